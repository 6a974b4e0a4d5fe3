package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.internal.GroundTruth;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Shared set-up for the access lifecycle tests. */
final class AccessFixtures {
  private AccessFixtures() {}

  /** Creates schemas app and other with tables, a sequence and a function, as the admin. */
  static void estate(AzurePostgres server, String db) throws SQLException {
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA app");
      st.execute("CREATE TABLE app.t (id serial PRIMARY KEY, v text)");
      st.execute("CREATE TABLE app.secret (x int)");
      st.execute("CREATE SEQUENCE app.s");
      st.execute("CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
      st.execute("CREATE SCHEMA other");
      st.execute("CREATE TABLE other.o (x int)");
    }
  }

  /** A connector set up by the setup SQL for {@code dbs}. */
  static TestConnector connector(AzurePostgres server, String... dbs) throws SQLException {
    return TestConnector.create(server, dbs);
  }

  /**
   * An integration of the server without TLS whose users are dropped at revocation, for a connector
   * a test sets up itself.
   */
  static Integration plainIntegration(AzurePostgres server, String name) {
    return Integration.builder()
        .name(name)
        .hostname(server.host())
        .port(server.port())
        .sslMode(SslMode.DISABLE)
        .userCleanupAfterDays(0)
        .build();
  }

  /** Connections as the server's admin, as the connector setup is applied. */
  static ConnectionSource asAdmin(AzurePostgres server, Integration base) {
    return ConnectionSource.of(
        base, Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
  }

  /** An integration of its own per connector, so that sweeps of other tests leave it alone. */
  static Integration integration(TestConnector tc, int cleanupDays) {
    return Integration.builder()
        .from(tc.integration)
        .name("it-" + tc.name)
        .userCleanupAfterDays(cleanupDays)
        .customAccessDetails("Ask #db-help")
        .build();
  }

  static AccessManager manager(TestConnector tc, Integration integration, Clock clock) {
    return AccessManager.builder()
        .integration(integration)
        .credentials(tc.credentials())
        .clock(clock)
        .build();
  }

  static AccessRequest request(
      Integration integration,
      String grantee,
      AccessLevel level,
      Duration duration,
      ResourceRef... resources) {
    return AccessRequest.builder()
        .requestId("REQ-" + UUID.randomUUID())
        .grantee(grantee)
        .integration(integration)
        .level(level)
        .duration(duration)
        .addResources(resources)
        .build();
  }

  static Clock offset(Duration d) {
    return Clock.offset(Clock.systemUTC(), d);
  }

  /** What the role holds in the database, except its marker membership. */
  static List<String> findings(AzurePostgres server, String db, String role) {
    return GroundTruth.privilegeFindings(server, db, role).stream()
        .filter(f -> !f.contains(AccessManager.MARKER_ROLE))
        .collect(Collectors.toList());
  }

  static String scalar(AzurePostgres server, String db, String sql) throws SQLException {
    try (Connection c = server.superuserConnection(db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
