package io.grantsmith.azure.identity;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.Integration;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.EntraEmulation;
import java.util.UUID;

/**
 * A login when azure-identity finds no credential says which credentials it tried. It waits for
 * azure-identity's own timeouts (managed identity's endpoint), so it runs on one version only.
 */
class EntraCredentialIT {

  @AzurePostgresTest(versions = 17)
  void withNoCredentialTheLoginNamesTheCredentialsTried(AzurePostgres server) {
    EntraEmulation entra = EntraEmulation.install(server);
    String connector = "grantsmith-dev-" + UUID.randomUUID().toString().substring(0, 8);
    entra.createAdministrator(connector, UUID.randomUUID().toString(), "user");
    ConnectionSource tokens =
        EntraConnections.of(
            Integration.builder()
                .name("entra")
                .hostname(server.host())
                .port(server.port())
                .sslMode(SslMode.DISABLE)
                .build(),
            connector,
            EntraAuth.developer());
    assertThatThrownBy(() -> tokens.open("postgres").close())
        .isInstanceOf(EntraCredentialException.class)
        .hasMessageContaining("No Microsoft Entra token for azure-identity's default credential")
        .hasMessageContaining("https://ossrdbms-aad.database.windows.net/.default")
        .hasMessageContaining("DefaultAzureCredential")
        .hasMessageContaining("EnvironmentCredential")
        .hasMessageContaining("ManagedIdentityCredential")
        .hasMessageContaining("Azure CLI");
  }
}
