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
 * GRANTSMITH_PASSWORD.
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
  }
}
