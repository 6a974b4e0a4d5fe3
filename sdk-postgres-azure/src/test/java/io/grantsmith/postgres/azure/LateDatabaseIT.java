package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.manager;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A database created after the connector setup: grants touching it are refused before anything
 * changes, with a message that names it and the command that sets it up; the printed setup of that
 * one database, run by the admin, makes the same grant work; verify lists it with the SQL that
 * closes the gap.
 */
class LateDatabaseIT {

  static String suffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  @AzurePostgresTest
  void grantOnADatabaseCreatedAfterTheSetupIsRefusedUntilItsOwnSetupRuns(AzurePostgres server)
      throws Exception {
    String early = server.createDatabase();
    estate(server, early);
    TestConnector tc = AccessFixtures.connector(server, early);
    String suffix = suffix();
    String late = "Late \"db\" it's " + suffix;
    server.createDatabase(late);
    estate(server, late);
    Integration integration = integration(tc, 0);
    try (AccessManager manager = manager(tc, integration, Clock.systemUTC())) {
      String grantee = "late-" + suffix + "@example.com";
      String user = AccessManager.userName(integration.name(), grantee);
      List<String> rolesBefore = roles(server);
      String aclBefore = databaseAcl(server, late);

      for (ResourceRef[] resources :
          List.of(
              new ResourceRef[] {ResourceRef.relation(late, "app", "t")},
              new ResourceRef[] {
                ResourceRef.relation(early, "app", "t"), ResourceRef.database(late)
              },
              new ResourceRef[] {ResourceRef.server()})) {
        assertThatThrownBy(
                () ->
                    manager.grant(
                        request(
                            integration,
                            grantee,
                            AccessLevel.READ_ONLY,
                            Duration.ofHours(1),
                            resources)))
            .isInstanceOf(InvalidValueException.class)
            .hasMessageContaining("database")
            .hasMessageContaining(late.replace("\"", "\\\""))
            .hasMessageContaining("created after the connector setup")
            .hasMessageContaining("grantsmith setup-sql")
            .hasMessageContaining("--database 'Late \"db\" it'\\''s " + suffix + "'")
            .satisfies(
                e ->
                    assertThat(((InvalidValueException) e).field())
                        .isEqualTo("AccessRequest.resources"));
      }
      assertThatThrownBy(
              () ->
                  manager.planGrant(
                      request(
                          integration,
                          grantee,
                          AccessLevel.READ_ONLY,
                          Duration.ofHours(1),
                          ResourceRef.database(late))))
          .isInstanceOf(InvalidValueException.class);
      // Nothing changed on the server: no role, no privilege on the database.
      assertThat(roles(server)).isEqualTo(rolesBefore).doesNotContain(user);
      assertThat(databaseAcl(server, late)).isEqualTo(aclBefore);

      // The admin runs the printed setup of that one database; the connector is untouched.
      ConnectorSetup setup =
          ConnectorSetup.builder()
              .majorVersion(server.majorVersion())
              .connectorName(tc.name)
              .build();
      String script = setup.scriptFor(late);
      assertThat(script)
          .doesNotContain(tc.name)
          .doesNotContain("CREATE ROLE")
          .contains(
              "GRANT ALL PRIVILEGES ON DATABASE \"Late \"\"db\"\" it's "
                  + suffix
                  + "\" TO azure_pg_admin WITH GRANT OPTION");
      runAsAdmin(server, script);

      AccessGrant g =
          manager.grant(
              request(
                  integration,
                  grantee,
                  AccessLevel.READ_ONLY,
                  Duration.ofHours(1),
                  ResourceRef.relation(late, "app", "t")));
      String pw = g.password().orElseThrow().reveal();
      assertThat(g.username()).isEqualTo(user);
      assertThat(server)
          .user(user, pw)
          .canLogin(late)
          .canSelectFrom(late, "app", "t")
          .cannotSelectFrom(late, "app", "secret")
          .cannotInsertInto(late, "app", "t");
      manager.revoke(user);
      assertThat(server).user(user, pw).cannotLogin(late);
    }
  }

  @AzurePostgresTest
  void verifyListsALateDatabaseWithTheSqlThatClosesTheGap(AzurePostgres server) throws Exception {
    String early = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, early);
    String late = server.createDatabase();
    estate(server, late);
    ConnectorSetup setup =
        ConnectorSetup.builder().majorVersion(server.majorVersion()).connectorName(tc.name).build();

    SetupVerification check = setup.verify(tc.connections(), List.of(early, late));
    assertThat(check.isOk()).isFalse();
    List<String> onDatabase =
        List.of(
            "cannot grant CONNECT on database " + late,
            "cannot grant CREATE on database " + late,
            "cannot grant TEMPORARY on database " + late);
    assertThat(check.missing())
        .containsAll(onDatabase)
        .allMatch(m -> m.endsWith(" on database " + late) || m.endsWith(" in database " + late));
    assertThat(check.fixes())
        .filteredOn(f -> onDatabase.contains(f.missing()))
        .hasSize(3)
        .allSatisfy(
            f -> {
              assertThat(f.description()).contains("grantsmith setup-sql --database " + late);
              assertThat(f.sql())
                  .contains(
                      "GRANT ALL PRIVILEGES ON DATABASE "
                          + late
                          + " TO azure_pg_admin WITH GRANT OPTION",
                      "\\connect '" + late + "'",
                      "ALTER DEFAULT PRIVILEGES");
            });
    // The three gaps share one fix, printed once.
    assertThat(check.fixScript().split("ON DATABASE " + late, -1)).hasSize(2);

    runAsAdmin(server, check.fixScript());
    SetupVerification after = setup.verify(tc.connections(), List.of(early, late));
    assertThat(after.missing()).isEmpty();
    assertThat(after.fixes()).isEmpty();
    assertThat(after.fixScript()).isEmpty();
  }

  @AzurePostgresTest
  void theFixPlanClosesEveryGapOfAConnectorMadeByHand(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    try (Connection admin = server.adminConnection(db);
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
      st.execute(
          "CREATE FUNCTION sales.total(a int, b text) RETURNS int LANGUAGE sql" + " AS 'SELECT 1'");
    }
    String connector = "hand_" + suffix();
    String marker = "marker_" + suffix();
    String password = "Hand-" + UUID.randomUUID();
    try (Connection admin = server.adminConnection("postgres");
        Statement st = admin.createStatement()) {
      st.execute("CREATE ROLE " + connector + " LOGIN PASSWORD '" + password + "'");
    }
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .majorVersion(server.majorVersion())
            .connectorName(connector)
            .markerRole(marker)
            .build();
    ConnectionSource asConnector =
        ConnectionSource.of(plain(server), Credentials.of(connector, Secret.of(password)));
    SetupVerification check = setup.verify(asConnector, List.of(db));
    assertThat(check.missing())
        .contains(
            connector + " cannot create roles (NOCREATEROLE)",
            connector + " is not a member of azure_pg_admin",
            "the marker role " + marker + " does not exist",
            "cannot grant SELECT on table sales.orders in database " + db,
            "cannot grant EXECUTE on function sales.total(a integer, b text) in database " + db);
    assertThat(check.fixes())
        .extracting(SetupVerification.Fix::missing)
        .containsAll(check.missing());
    assertThat(check.fixScript())
        .contains(
            "ALTER ROLE " + connector + " WITH CREATEROLE",
            "GRANT azure_pg_admin TO " + connector,
            "GRANT " + marker + " TO " + connector + " WITH ADMIN OPTION",
            "GRANT ALL PRIVILEGES ON TABLE sales.orders TO azure_pg_admin WITH GRANT OPTION",
            "GRANT ALL PRIVILEGES ON FUNCTION sales.total(a integer, b text) TO azure_pg_admin");

    ConnectionSource admin =
        ConnectionSource.of(
            plain(server), Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
    JdbcExecutor.builder().connections(admin).build().apply(check.fixPlan());
    // On 16+ the connector also sets createrole_self_grant on itself, as its fix says.
    assertThat(check.connectorFixPlan().isEmpty()).isEqualTo(server.majorVersion() < 16);
    JdbcExecutor.builder().connections(asConnector).build().apply(check.connectorFixPlan());
    SetupVerification after = setup.verify(asConnector, List.of(db));
    assertThat(after.missing()).isEmpty();
    assertThat(after.isOk()).isTrue();
  }

  static Integration plain(AzurePostgres server) {
    return Integration.builder()
        .name("late")
        .hostname(server.host())
        .port(server.port())
        .sslMode(SslMode.DISABLE)
        .build();
  }

  /** Every role name on the server, read as the admin. */
  static List<String> roles(AzurePostgres server) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = server.adminConnection("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT rolname FROM pg_roles ORDER BY rolname")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  static String databaseAcl(AzurePostgres server, String db) throws SQLException {
    try (Connection c = server.adminConnection("postgres");
        java.sql.PreparedStatement ps =
            c.prepareStatement("SELECT datacl::text FROM pg_database WHERE datname = ?")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  /**
   * Runs a printed psql script as the admin the way psql would: {@code \connect 'db'} switches the
   * database, other meta-commands ({@code \set ON_ERROR_STOP on}) are skipped, and the SQL between
   * them runs in one go.
   */
  static void runAsAdmin(AzurePostgres server, String script) throws SQLException {
    String current = "postgres";
    StringBuilder chunk = new StringBuilder();
    List<String[]> chunks = new ArrayList<>();
    for (String line : script.split("\n", -1)) {
      if (line.startsWith("\\connect ")) {
        chunks.add(new String[] {current, chunk.toString()});
        String arg = line.substring("\\connect ".length());
        current = arg.substring(1, arg.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
        chunk.setLength(0);
      } else if (!line.startsWith("\\")) {
        chunk.append(line).append('\n');
      }
    }
    chunks.add(new String[] {current, chunk.toString()});
    for (String[] c : chunks) {
      if (c[1].isBlank() || c[1].lines().allMatch(l -> l.isBlank() || l.startsWith("--"))) {
        continue;
      }
      try (Connection admin = server.adminConnection(c[0]);
          Statement st = admin.createStatement()) {
        st.execute(c[1]);
      }
    }
  }
}
