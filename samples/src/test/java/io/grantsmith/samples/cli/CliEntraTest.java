package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's Entra and Key Vault options, without a server. */
class CliEntraTest {

  @Test
  void setupSqlForAnEntraConnectorSetsNoPasswordAndNamesThePortalStep() {
    CliTest.Result r =
        CliTest.run(
            Map.of(),
            "setup-sql",
            "--auth",
            "entra",
            "--connector-user",
            "grantsmith-mi",
            "--server-version",
            "16",
            "--for-database",
            "app");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Microsoft Entra administrator")
        .contains("az postgres flexible-server microsoft-entra-admin create")
        .contains("GRANT azure_pg_admin TO \"grantsmith-mi\"")
        .contains("createrole_self_grant")
        .doesNotContain("PASSWORD")
        .doesNotContain("CREATE ROLE \"grantsmith-mi\"");
    CliTest.Result all =
        CliTest.run(Map.of(), "setup-sql", "--auth", "entra", "--connector-user", "grantsmith-mi");
    assertThat(all.code()).isZero();
    assertThat(all.out()).contains("\\i grantsmith-setup-databases.sql").doesNotContain("PASSWORD");
  }

  @Test
  void badEntraAndKeyVaultInputIsRefusedBeforeAnyConnectionNamingTheFlag() {
    CliTest.Result r =
        CliTest.run(
            Map.of(),
            "verify-setup",
            "--host",
            "db.invalid",
            "--user",
            "grantsmith-mi",
            "--auth",
            "entra",
            "--entra-client-id",
            "not-a-uuid");
    assertThat(r.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(r.err()).contains("--entra-client-id").contains("not-a-uuid");

    CliTest.Result secret =
        CliTest.run(
            Map.of(),
            "verify-setup",
            "--host",
            "db.invalid",
            "--user",
            "c",
            "--password-secret",
            "vault://x/y");
    assertThat(secret.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(secret.err()).contains("--password-secret").contains("keyvault://VAULT/SECRET");

    CliTest.Result both =
        CliTest.run(
            Map.of(),
            "verify-setup",
            "--host",
            "db.invalid",
            "--user",
            "c",
            "--auth",
            "entra",
            "--password-secret",
            "keyvault://ops-vault/pg");
    assertThat(both.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(both.err()).contains("exclude each other");

    CliTest.Result mode =
        CliTest.run(Map.of(), "verify-setup", "--host", "h", "--user", "c", "--auth", "kerberos");
    assertThat(mode.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(mode.err()).contains("password or entra");

    CliTest.Result env =
        CliTest.run(
            Map.of(
                "GRANTSMITH_AUTH",
                "entra",
                "GRANTSMITH_PASSWORD_SECRET",
                "keyvault://ops-vault/pg"),
            "verify-setup",
            "--host",
            "h",
            "--user",
            "c");
    assertThat(env.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(env.err()).contains("exclude each other");
  }

  @Test
  void rotatingTheConnectorPasswordWithEntraIsRefusedBeforeAnyConnectionNamingTheConnector() {
    String refusal =
        "--auth entra: cannot rotate the password of the connector grantsmith-mi: it logs in with"
            + " Microsoft Entra tokens and has no password; nothing was changed";
    for (String[] extra :
        new String[][] {{}, {"--password-file", "/tmp/grantsmith-never-written"}}) {
      CliTest.Result r =
          CliTest.run(
              Map.of("GRANTSMITH_AUTH", "entra"),
              CliIT.concat(
                  new String[] {
                    "rotate-connector-password",
                    "--host",
                    "db.example.invalid",
                    "--user",
                    "grantsmith-mi"
                  },
                  extra));
      assertThat(r.code()).as(r.err()).isEqualTo(GrantsmithCli.BAD_INPUT);
      assertThat(r.err()).contains(refusal).doesNotContain("db.example.invalid");
      assertThat(r.out()).isEmpty();
    }
    assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/tmp/grantsmith-never-written")))
        .isFalse();
  }

  @Test
  void badEntraPrincipalFlagsAreRefusedBeforeAnyConnectionNamingTheFlag() {
    String[] base = {
      "grant", "--host", "db.invalid", "--user", "c", "--resource", "shop", "--grantee",
    };
    String oid = "3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f";
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", "x");
    CliTest.Result type =
        CliTest.run(
            env,
            CliIT.concat(
                base,
                new String[] {"alice@contoso.com"},
                "--entra-principal",
                "robot",
                "--entra-object-id",
                oid));
    assertThat(type.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(type.err()).contains("--entra-principal").contains("robot");

    CliTest.Result id =
        CliTest.run(
            env,
            CliIT.concat(
                base,
                new String[] {"alice@contoso.com"},
                "--entra-principal",
                "user",
                "--entra-object-id",
                "not-a-uuid"));
    assertThat(id.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(id.err())
        .contains("--entra-object-id")
        .contains("must be a UUID")
        .contains("not-a-uuid");

    CliTest.Result missing =
        CliTest.run(
            env,
            CliIT.concat(base, new String[] {"alice@contoso.com"}, "--entra-principal", "group"));
    assertThat(missing.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(missing.err()).contains("missing --entra-object-id");

    CliTest.Result name =
        CliTest.run(
            env,
            CliIT.concat(
                base,
                new String[] {"pg_team"},
                "--entra-principal",
                "group",
                "--entra-object-id",
                oid));
    assertThat(name.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(name.err()).contains("--grantee").contains("reserved").contains("pg_team");

    CliTest.Result newPassword =
        CliTest.run(
            env,
            CliIT.concat(
                base,
                new String[] {"alice@contoso.com"},
                "--entra-principal",
                "user",
                "--entra-object-id",
                oid,
                "--new-password"));
    assertThat(newPassword.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(newPassword.err()).contains("--new-password does not apply to an Entra principal");
  }

  @Test
  void rotationToKeyVaultExcludesAPasswordFile() {
    CliTest.Result r =
        CliTest.run(
            Map.of(),
            "rotate-connector-password",
            "--host",
            "h",
            "--user",
            "c",
            "--password-secret",
            "keyvault://ops-vault/pg",
            "--password-file",
            "/tmp/x");
    assertThat(r.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(r.err()).contains("--password-file and --password-secret exclude each other");
    CliTest.Result none =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", "x"),
            "rotate-connector-password",
            "--host",
            "h",
            "--user",
            "c");
    assertThat(none.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(none.err()).contains("missing --password-file");
  }
}
