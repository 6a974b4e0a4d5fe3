package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.EntraEmulation;
import io.grantsmith.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The CLI with an Entra connector on the testkit's Entra emulation: setup-sql --auth entra run by
 * the admin in psql, verify-setup, grant and revoke, logged in with tokens and no
 * GRANTSMITH_PASSWORD; then an Entra user as the grantee (plan, grant, log in with a token,
 * revoke).
 */
class CliEntraIT {

  @AzurePostgresTest
  void anEntraConnectorIsSetUpVerifiedAndGrantsWithoutAPassword(
      AzurePostgres server, TestDatabase db) throws Exception {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
    }
    EntraEmulation entra = EntraEmulation.install(server);
    String connector = "grantsmith-mi-" + UUID.randomUUID().toString().substring(0, 8);
    entra.createAdministrator(connector, UUID.randomUUID().toString(), "service");
    entra.acceptToken(connector, CliTestTokens.next());

    CliTest.Result sql =
        CliTest.run(
            Map.of(),
            "setup-sql",
            "--auth",
            "entra",
            "--connector-user",
            connector,
            "--server-version",
            String.valueOf(server.majorVersion()),
            "--for-database",
            "postgres",
            "--for-database",
            db.name());
    assertThat(sql.code()).as(sql.err()).isZero();
    CliIT.runAsAdmin(server, sql.out());

    String[] conn = {
      "--host",
      server.host(),
      "--port",
      String.valueOf(server.port()),
      "--sslmode",
      "disable",
      "--user",
      connector,
      "--integration-name",
      "clientra",
      "--auth",
      "entra",
      "--entra-token-provider",
      CliTestTokens.class.getName()
    };
    if (server.majorVersion() >= 16) {
      // The script's last part is the connector's own: verify-setup names it, for the connector.
      String statement =
          "ALTER ROLE \"" + connector + "\" SET createrole_self_grant = 'set, inherit';";
      CliTest.Result unfinished =
          CliTest.run(Map.of(), CliIT.concat(new String[] {"verify-setup"}, conn));
      assertThat(unfinished.code()).as(unfinished.out() + unfinished.err()).isEqualTo(1);
      assertThat(unfinished.out())
          .contains("    fix (as the connector): " + statement + "\n")
          .contains("Then run this logged in as the connector " + connector + " itself")
          .doesNotContain("run this as the server admin");
      CliTest.Result json =
          CliTest.run(
              Map.of(), CliIT.concat(new String[] {"verify-setup"}, conn, "--output", "json"));
      assertThat(CliIT.parse(json.out()))
          .containsEntry("fixSql", "")
          .hasEntrySatisfying(
              "fixes",
              f -> assertThat(f.toString()).contains("runAs=connector").contains(statement))
          .hasEntrySatisfying("connectorFixSql", f -> assertThat((String) f).contains(statement));
      // Run as printed, with psql logged in as the connector: its token is the password.
      String token = CliTestTokens.next();
      entra.acceptToken(connector, token);
      CliIT.runPsql(
          server,
          connector,
          token,
          unfinished.out().substring(unfinished.out().indexOf("\\set ON_ERROR_STOP on")));
    }
    CliTest.Result verify =
        CliTest.run(Map.of(), CliIT.concat(new String[] {"verify-setup"}, conn));
    assertThat(verify.out() + verify.err()).contains("Setup OK for " + connector);
    assertThat(verify.code()).isZero();

    CliTest.Result grant =
        CliTest.run(
            Map.of(),
            CliIT.concat(
                new String[] {"grant"},
                conn,
                "--grantee",
                "dana@contoso.com",
                "--resource",
                db.name() + "/sales/orders",
                "--duration",
                "PT15M",
                "--cleanup-after-days",
                "0",
                "--request-id",
                "entra-1",
                "--output",
                "json"));
    assertThat(grant.code()).as(grant.err()).isZero();
    String user = CliIT.field(grant.out(), "username");
    String password = CliIT.field(grant.out(), "password");
    try (Connection dana = server.connect(db.name(), user, password);
        ResultSet rs = dana.createStatement().executeQuery("SELECT count(*) FROM sales.orders")) {
      assertThat(rs.next()).isTrue();
    }

    CliTest.Result revoke =
        CliTest.run(
            Map.of(), CliIT.concat(new String[] {"revoke"}, conn, "--request-id", "entra-1"));
    assertThat(revoke.code()).as(revoke.err()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> server.connect(db.name(), user, password).close())
        .isInstanceOf(java.sql.SQLException.class);

    // An Entra user as the grantee: the connector, an Entra administrator, creates its role; the
    // user logs in as itself with a token, and no password is handed out.
    String erin = "erin-" + UUID.randomUUID().toString().substring(0, 8) + "@contoso.com";
    String oid = UUID.randomUUID().toString();
    String[] principal = {
      "--grantee",
      erin,
      "--entra-principal",
      "user",
      "--entra-object-id",
      oid,
      "--resource",
      db.name() + "/sales/orders",
      "--duration",
      "PT15M"
    };
    CliTest.Result plan =
        CliTest.run(
            Map.of(),
            CliIT.concat(
                new String[] {"plan"},
                conn,
                CliIT.concat(principal, new String[] {"--output", "json"})));
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(CliIT.field(plan.out(), "username")).isEqualTo(erin);
    assertThat(CliIT.field(plan.out(), "leaseRole")).startsWith("gs_e_erin_");
    assertThat(plan.out()).contains("pgaadauth_create_principal_with_oid(").contains(oid);

    CliTest.Result granted =
        CliTest.run(Map.of(), CliIT.concat(new String[] {"grant"}, conn, principal));
    assertThat(granted.code()).as(granted.err()).isZero();
    assertThat(granted.out())
        .contains("access to the Entra user " + erin)
        .contains("username:  " + erin + " (no password")
        .contains("az account get-access-token --resource-type oss-rdbms")
        .contains("https://ossrdbms-aad.database.windows.net/.default")
        .doesNotContain("  password:");
    assertThat(entra.objectId(erin)).hasValue(oid);
    String token = "erin-token-" + UUID.randomUUID(); // the connector's own tokens stay as they are
    entra.acceptToken(erin, token);
    try (Connection e = server.connect(db.name(), erin, token);
        ResultSet rs = e.createStatement().executeQuery("SELECT count(*) FROM sales.orders")) {
      assertThat(rs.next()).isTrue();
    }
    CliTest.Result revoked =
        CliTest.run(Map.of(), CliIT.concat(new String[] {"revoke"}, conn, "--username", erin));
    assertThat(revoked.code()).as(revoked.err()).isZero();
    try (Connection e = server.connect(db.name(), erin, token);
        Statement st = e.createStatement()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> st.executeQuery("SELECT count(*) FROM sales.orders"))
          .hasFieldOrPropertyWithValue("SQLState", "42501");
    }
  }
}
