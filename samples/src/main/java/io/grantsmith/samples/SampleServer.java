package io.grantsmith.samples;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.postgres.azure.SecurePasswordGenerator;
import io.grantsmith.testkit.AzurePostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BiConsumer;

/**
 * What the samples' {@code main} methods run on: an embedded server with a {@code shop} database
 * ({@code sales.orders}) and a connector set up by the admin.
 */
public final class SampleServer {
  private SampleServer() {}

  /**
   * Prepares {@code server} (database {@code shop}, the connector) and runs {@code sample}.
   *
   * @param server the server
   * @param sample receives the integration and the connector's credentials
   */
  public static void run(AzurePostgres server, BiConsumer<Integration, Credentials> sample) {
    Integration integration =
        Integration.builder()
            .name("samples")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
    ConnectionSource admin =
        ConnectionSource.of(
            integration, Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
    try {
      try (Connection c = server.adminConnection("postgres");
          Statement st = c.createStatement()) {
        if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'shop'").next()) {
          server.createDatabase("shop");
        }
      }
      try (Connection c = server.adminConnection("shop");
          Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA IF NOT EXISTS sales");
        st.execute("CREATE TABLE IF NOT EXISTS sales.orders (id int)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create the sample database: " + e.getMessage(), e);
    }
    ConnectorSetup setup = ConnectorSetup.builder().majorVersion(server.majorVersion()).build();
    Secret password = new SecurePasswordGenerator().generate();
    JdbcExecutor.builder().connections(admin).build().apply(setup.plan(password, admin));
    sample.accept(integration, Credentials.of(setup.connectorName(), password));
  }

  /**
   * Starts an embedded PostgreSQL 17, runs {@code sample} on it as {@link #run(AzurePostgres,
   * BiConsumer)} does, and stops it.
   *
   * @param sample receives the integration and the connector's credentials
   */
  public static void run(BiConsumer<Integration, Credentials> sample) {
    try (AzurePostgres server = AzurePostgres.embedded(17)) {
      run(server, sample);
    }
  }
}
