package io.grantsmith.azure.identity;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.util.List;
import java.util.UUID;

/**
 * {@code rotateConnectorPassword} with the connector's credentials in Key Vault: the new password
 * is written as a new secret version; when the vault refuses the write, the old password is put
 * back on the server.
 */
class KeyVaultRotationIT {

  @AzurePostgresTest
  void rotationWritesANewVersionAndRollsBackWhenTheVaultRefuses(AzurePostgres server)
      throws Exception {
    String connector = "conn_" + UUID.randomUUID().toString().substring(0, 8);
    String initial = "pw-" + UUID.randomUUID();
    Integration integration =
        Integration.builder()
            .name("kv-" + connector)
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
    JdbcExecutor.builder()
        .connections(
            ConnectionSource.of(
                integration, Credentials.of(server.adminUser(), Secret.of(server.adminPassword()))))
        .build()
        .apply(
            ConnectorSetup.builder()
                .majorVersion(server.majorVersion())
                .connectorName(connector)
                .build()
                .plan(Secret.of(initial), List.of("postgres")));

    try (FakeKeyVault vault = new FakeKeyVault("ops-vault")) {
      vault.seed("pg-connector", initial, connector);
      TestTokens.next();
      KeyVaultSecretStore store =
          KeyVaultSecretStore.of(TestTokens.credential(), vault.httpClient());
      SecretRef ref = KeyVaultSecretStore.ref("ops-vault", "pg-connector");
      AccessManager manager =
          AccessManager.builder().integration(integration).credentials(store.load(ref)).build();
      try {
        Credentials rotated = manager.rotateConnectorPassword(store, ref);
        String fresh = rotated.password().reveal();
        assertThat(fresh).isNotEqualTo(initial);
        assertThat(vault.writes()).hasSize(1);
        assertThat(vault.writes().get(0).get("value").asText()).isEqualTo(fresh);
        assertThat(vault.versionCount("pg-connector")).isEqualTo(2);
        assertThat(server).user(connector, fresh).canLogin("postgres");
        assertThat(server).user(connector, initial).cannotLogin("postgres");

        vault.refuseWrites(true);
        assertThatThrownBy(() -> manager.rotateConnectorPassword(store, ref))
            .isInstanceOf(GrantsmithException.class)
            .hasMessageContaining("Cannot store the secret");
        assertThat(vault.versionCount("pg-connector")).isEqualTo(2);
        assertThat(store.load(ref).password().reveal()).isEqualTo(fresh);
        assertThat(server).user(connector, fresh).canLogin("postgres");
      } finally {
        manager.close();
      }
    }
  }
}
