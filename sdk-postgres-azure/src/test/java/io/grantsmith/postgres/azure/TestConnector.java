package io.grantsmith.postgres.azure;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.internal.Sql;
import io.grantsmith.testkit.AzurePostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A connector for server tests: a fresh LOGIN CREATEROLE role that is a member of
 * azure_pg_admin, created by the server admin, with the reference setup's grants in the given
 * databases. Every test acts as this role, never as superuser.
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
    this.integration = Integration.builder().name("test").hostname(server.host())
        .port(server.port()).sslMode(SslMode.DISABLE).build();
  }

  /**
   * Creates a connector with the setup grants on {@code databases}.
   */
  static TestConnector create(AzurePostgres server, String... databases) throws SQLException {
    String name = "conn_" + UUID.randomUUID().toString().substring(0, 8);
    Secret password = Secret.of("pw-" + UUID.randomUUID());
    try (Connection admin = server.adminConnection("postgres");
        Statement st = admin.createStatement()) {
      st.execute("CREATE ROLE " + Sql.ident(name) + " LOGIN CREATEROLE PASSWORD "
          + Sql.literal(password.reveal()));
      st.execute("GRANT azure_pg_admin TO " + Sql.ident(name));
    }
    for (String db : databases) {
      try (Connection admin = server.adminConnection(db);
          Statement st = admin.createStatement()) {
        st.execute("GRANT ALL PRIVILEGES ON DATABASE " + Sql.ident(db)
            + " TO azure_pg_admin WITH GRANT OPTION");
        st.execute("DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace"
            + " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP"
            + " EXECUTE format('GRANT ALL ON SCHEMA %I TO azure_pg_admin WITH GRANT OPTION', s);"
            + " EXECUTE format('GRANT ALL ON ALL TABLES IN SCHEMA %I TO azure_pg_admin"
            + " WITH GRANT OPTION', s);"
            + " EXECUTE format('GRANT ALL ON ALL SEQUENCES IN SCHEMA %I TO azure_pg_admin"
            + " WITH GRANT OPTION', s);"
            + " EXECUTE format('GRANT ALL ON ALL FUNCTIONS IN SCHEMA %I TO azure_pg_admin"
            + " WITH GRANT OPTION', s); END LOOP; END $$");
      }
    }
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
