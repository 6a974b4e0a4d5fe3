package io.grantsmith.postgres.azure;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.testkit.AzurePostgres;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * A connector for server tests: a fresh connector created by the server admin with {@link
 * ConnectorSetup}'s SQL for the given databases. Every test acts as this role, never as superuser.
 */
final class TestConnector {
  final AzurePostgres server;
  final String name;
  final Secret password;
  final Integration integration;

  private TestConnector(AzurePostgres server, String name, Secret password) {
    this.server = server;
    this.name = name;
    this.password = password;
    this.integration =
        Integration.builder()
            .name("test")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
  }

  /**
   * Creates a connector with Grantsmith's own setup SQL, applied by the server admin, covering
   * {@code databases}.
   */
  static TestConnector create(AzurePostgres server, String... databases) throws SQLException {
    String name = "conn_" + UUID.randomUUID().toString().substring(0, 8);
    Secret password = Secret.of("pw-" + UUID.randomUUID());
    Integration admin =
        Integration.builder()
            .name("admin")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
    ConnectionSource adminConnections =
        ConnectionSource.of(
            admin, Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
    ConnectorSetup setup =
        ConnectorSetup.builder().majorVersion(server.majorVersion()).connectorName(name).build();
    JdbcExecutor.builder()
        .connections(adminConnections)
        .build()
        .apply(setup.plan(password, List.of(databases)));
    return new TestConnector(server, name, password);
  }

  Credentials credentials() {
    return Credentials.of(name, password);
  }

  ConnectionSource connections() {
    return ConnectionSource.of(integration, credentials());
  }

  JdbcExecutor executor() {
    return JdbcExecutor.builder().connections(connections()).build();
  }

  /** Snapshots of the shared database and {@code db}, as the planner wants them. */
  java.util.List<io.grantsmith.api.CatalogSnapshot> snapshots(String db) {
    return java.util.List.of(reader().read("postgres"), reader().read(db));
  }

  PostgresCatalogReader reader() {
    return new PostgresCatalogReader(connections());
  }
}
