package io.grantsmith.azure.identity;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.postgres.azure.SetupVerification;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.EntraEmulation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The connector as a Microsoft Entra administrator, logging in through azure-identity-extensions'
 * real pgjdbc plugin with tokens from a test credential, on the testkit's Entra emulation.
 */
class EntraConnectorIT {

  @AzurePostgresTest
  void anEntraConnectorSetsUpGrantsAndRevokesAcrossATokenChange(AzurePostgres server)
      throws Exception {
    EntraEmulation entra = EntraEmulation.install(server);
    String db = server.createDatabase();
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA app");
      st.execute("CREATE TABLE app.t (id int)");
      st.execute("CREATE TABLE app.secret (id int)");
    }
    String connector = "grantsmith-mi-" + UUID.randomUUID().toString().substring(0, 8);
    entra.createAdministrator(connector, UUID.randomUUID().toString(), "service");
    String first = TestTokens.next();
    entra.acceptToken(connector, first);

    Integration integration =
        Integration.builder()
            .name("entra-" + connector)
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .userCleanupAfterDays(0)
            .build();
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .majorVersion(server.majorVersion())
            .connectorName(connector)
            .build();
    ConnectionSource admin =
        ConnectionSource.of(
            integration, Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
    ConnectionSource tokens =
        EntraConnections.of(
            integration, connector, EntraAuth.tokenCredentialProvider(TestTokens.class.getName()));
    JdbcExecutor.builder()
        .connections(admin)
        .build()
        .apply(setup.planForEntraAdministrator(List.of("postgres", db)));
    JdbcExecutor.builder().connections(tokens).build().apply(setup.planForEntraConnectorItself());
    SetupVerification verification = setup.verify(tokens, List.of("postgres", db));
    assertThat(verification.missing()).isEmpty();
    assertThat(TestTokens.requests())
        .contains("https://ossrdbms-aad.database.windows.net/.default -> " + first);

    try (ConnectionSource.Pooled pool = ConnectionSource.pooled(tokens)) {
      AccessManager manager =
          AccessManager.builder().integration(integration).connections(pool).build();
      AccessGrant grant =
          manager.grant(
              AccessRequest.builder()
                  .requestId("REQ-" + UUID.randomUUID())
                  .grantee("alice@contoso.com")
                  .integration(integration)
                  .level(AccessLevel.READ_ONLY)
                  .duration(Duration.ofHours(1))
                  .addResources(ResourceRef.relation(db, "app", "t"))
                  .build());
      String user = grant.username();
      String password = grant.password().orElseThrow().reveal();
      assertThat(server)
          .user(user, password)
          .canSelectFrom(db, "app.t")
          .cannotSelectFrom(db, "app.secret");

      // The token expires while the pool lives: Entra hands out a new one, the server accepts
      // only that one. Idle connections are closed, as after their idle time.
      String second = TestTokens.next();
      entra.acceptToken(connector, second);
      assertThatThrownBy(() -> server.connect("postgres", connector, first).close())
          .hasFieldOrPropertyWithValue("SQLState", "28P01");
      pool.evictIdle();
      int before = TestTokens.requests().size();
      manager.revoke(grant.lease().requestId());
      assertThat(TestTokens.requests().subList(before, TestTokens.requests().size()))
          .isNotEmpty()
          .allMatch(r -> r.endsWith(" -> " + second));
      assertThat(server).user(user, password).cannotLogin(db);
      try (Connection c = tokens.open(db);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(connector);
      }
    }
  }

  @AzurePostgresTest
  void aWrongTokenIsRefusedByTheServer(AzurePostgres server) throws SQLException {
    EntraEmulation entra = EntraEmulation.install(server);
    String connector = "grantsmith-mi-" + UUID.randomUUID().toString().substring(0, 8);
    entra.createAdministrator(connector, UUID.randomUUID().toString(), "service");
    entra.acceptToken(connector, "a-token-the-credential-does-not-have");
    TestTokens.next();
    Integration integration =
        Integration.builder()
            .name("entra")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
    ConnectionSource tokens =
        EntraConnections.of(
            integration, connector, EntraAuth.tokenCredentialProvider(TestTokens.class.getName()));
    assertThatThrownBy(() -> tokens.open("postgres").close())
        .isInstanceOf(SQLException.class)
        .hasFieldOrPropertyWithValue("SQLState", "28P01");
  }
}
