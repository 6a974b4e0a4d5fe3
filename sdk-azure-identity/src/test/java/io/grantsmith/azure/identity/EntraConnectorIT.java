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
    SetupVerification unfinished = setup.verify(tokens, List.of("postgres", db));
    if (server.majorVersion() >= 16) {
      // Only the connector's own step is missing; the server admin may not run it.
      assertThat(unfinished.missing())
          .singleElement()
          .asString()
          .startsWith(
              connector + " does not become a member (SET, INHERIT) of the roles it creates");
      assertThat(unfinished.fixes().get(0).runAs())
          .isEqualTo(SetupVerification.Fix.RunAs.CONNECTOR);
      assertThat(unfinished.fixPlan().isEmpty()).isTrue();
      assertThat(unfinished.connectorFixPlan().statements())
          .extracting(io.grantsmith.api.Statement::sql)
          .containsExactlyElementsOf(
              setup.planForEntraConnectorItself().statements().stream()
                  .map(io.grantsmith.api.Statement::sql)
                  .toList());
      try (Connection c = server.adminConnection("postgres");
          Statement st = c.createStatement()) {
        String sql = unfinished.connectorFixPlan().statements().get(0).sql();
        assertThatThrownBy(() -> st.execute(sql)).hasFieldOrPropertyWithValue("SQLState", "42501");
      }
    } else {
      assertThat(unfinished.missing()).isEmpty();
    }
    JdbcExecutor.builder().connections(tokens).build().apply(unfinished.connectorFixPlan());
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
      assertThatThrownBy(
              () ->
                  manager.rotateConnectorPassword(
                      KeyVaultSecretStore.of(
                          EntraAuth.tokenCredentialProvider(TestTokens.class.getName())),
                      KeyVaultSecretStore.ref("ops-vault", "pg-connector")))
          .isExactlyInstanceOf(io.grantsmith.api.GrantsmithException.class)
          .hasMessageStartingWith("Cannot rotate the password of the connector " + connector + ":")
          .hasMessageContaining("Microsoft Entra tokens");
      try (Connection c = tokens.open(db);
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(connector);
      }
    }
  }

  @AzurePostgresTest
  void aTokenConnectorThatIsNotAnEntraAdministratorIsReportedWithTheAzureAdministratorsStep(
      AzurePostgres server) throws SQLException {
    EntraEmulation entra = EntraEmulation.install(server);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String boss = "entra-admin-" + suffix;
    String connector = "grantsmith-app-" + suffix;
    entra.createAdministrator(boss, UUID.randomUUID().toString(), "service");
    String bossToken = "boss-" + UUID.randomUUID();
    entra.acceptToken(boss, bossToken);
    // An Entra principal that is not an administrator, created by an Entra administrator.
    try (Connection c = server.connect("postgres", boss, bossToken);
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT pgaadauth_create_principal_with_oid(?, ?, 'service', false, false)")) {
      ps.setString(1, connector);
      ps.setString(2, UUID.randomUUID().toString());
      ps.execute();
    }
    try (Connection c = server.adminConnection("postgres");
        Statement st = c.createStatement()) {
      st.execute("GRANT azure_pg_admin TO \"" + connector + "\"");
    }
    entra.acceptToken(connector, TestTokens.next());
    Integration integration =
        Integration.builder()
            .name("entra")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .majorVersion(server.majorVersion())
            .connectorName(connector)
            .build();
    ConnectionSource tokens =
        EntraConnections.of(
            integration, connector, EntraAuth.tokenCredentialProvider(TestTokens.class.getName()));
    assertThat(tokens.logsInWithTokens()).isTrue();
    String gap = connector + " is not a Microsoft Entra administrator of the server";
    SetupVerification check = setup.verify(tokens, List.of("postgres"));
    assertThat(check.missing()).contains(gap);
    SetupVerification.Fix fix =
        check.fixes().stream().filter(f -> f.missing().equals(gap)).findFirst().orElseThrow();
    assertThat(fix.runAs()).isEqualTo(SetupVerification.Fix.RunAs.AZURE_ADMINISTRATOR);
    assertThat(fix.description())
        .contains("Security > Authentication")
        .contains(
            "az postgres flexible-server microsoft-entra-admin create -g RG -s SERVER"
                + " --display-name "
                + connector);
    assertThat(fix.sql()).isEmpty();
    assertThat(check.fixScript() + check.connectorFixScript()).doesNotContain("entra-admin");

    // The same login through a source that does not say it uses tokens: no Entra check.
    String token = TestTokens.next();
    entra.acceptToken(connector, token);
    SetupVerification plain =
        setup.verify(
            ConnectionSource.of(integration, Credentials.of(connector, Secret.of(token))),
            List.of("postgres"));
    assertThat(plain.checkedDatabases()).containsExactly("postgres");
    assertThat(plain.missing()).isNotEmpty().doesNotContain(gap);

    // An Entra administrator passes it.
    entra.acceptToken(boss, TestTokens.next());
    SetupVerification asBoss =
        ConnectorSetup.builder()
            .majorVersion(server.majorVersion())
            .connectorName(boss)
            .build()
            .verify(
                EntraConnections.of(
                    integration,
                    boss,
                    EntraAuth.tokenCredentialProvider(TestTokens.class.getName())),
                List.of("postgres"));
    assertThat(asBoss.checkedDatabases()).containsExactly("postgres");
    assertThat(asBoss.missing())
        .doesNotContain(boss + " is not a Microsoft Entra administrator of the server");
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
