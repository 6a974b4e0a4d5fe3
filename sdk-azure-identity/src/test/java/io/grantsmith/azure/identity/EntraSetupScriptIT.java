package io.grantsmith.azure.identity;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.Integration;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.postgres.azure.SetupVerification;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.EntraEmulation;
import io.grantsmith.testkit.internal.Psql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code grantsmith setup-sql --auth entra}'s script, run by the server admin in psql, then the
 * connector's own step with its token: the setup verification passes.
 */
class EntraSetupScriptIT {

  @AzurePostgresTest
  void theEntraSetupScriptRunsInPsqlAndTheConnectorVerifiesIt(AzurePostgres server)
      throws Exception {
    Path psql = Psql.executable();
    EntraEmulation entra = EntraEmulation.install(server);
    String db = server.createDatabase();
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
    }
    String connector = "grantsmith-mi-" + UUID.randomUUID().toString().substring(0, 8);
    entra.createAdministrator(connector, UUID.randomUUID().toString(), "service");
    entra.acceptToken(connector, TestTokens.next());
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .majorVersion(server.majorVersion())
            .connectorName(connector)
            .build();
    Path dir = Files.createTempDirectory("grantsmith-entra-setup");
    Path file = dir.resolve("setup.sql");
    Files.writeString(file, setup.scriptForEntraAdministrator(), StandardCharsets.UTF_8);
    ProcessBuilder pb =
        new ProcessBuilder(
                psql.toString(),
                "-X",
                "-q",
                "-f",
                file.toString(),
                "host="
                    + server.host()
                    + " port="
                    + server.port()
                    + " user="
                    + server.adminUser()
                    + " dbname=postgres sslmode=disable")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", server.adminPassword());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();

    ConnectionSource tokens =
        EntraConnections.of(
            Integration.builder()
                .name("entra")
                .hostname(server.host())
                .port(server.port())
                .sslMode(SslMode.DISABLE)
                .build(),
            connector,
            EntraAuth.tokenCredentialProvider(TestTokens.class.getName()));
    // Before the connector's own step (part C of the script), verify names it, for the connector.
    SetupVerification before = setup.verify(tokens, List.of("postgres", db));
    if (server.majorVersion() >= 16) {
      assertThat(before.fixes())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.runAs()).isEqualTo(SetupVerification.Fix.RunAs.CONNECTOR);
                String statement = f.plan().statements().get(0).sql();
                assertThat(Files.readString(file)).contains("--    " + statement + ";");
              });
    } else {
      assertThat(before.missing()).isEmpty();
    }
    JdbcExecutor.builder().connections(tokens).build().apply(setup.planForEntraConnectorItself());
    SetupVerification check = setup.verify(tokens, List.of("postgres", db));
    assertThat(check.missing()).isEmpty();
    for (Path f : List.of(file, dir.resolve(ConnectorSetup.GENERATED_FILE), dir)) {
      Files.deleteIfExists(f);
    }
  }
}
