package com.example.orders;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.SecretRef;
import io.grantsmith.azure.identity.EntraAuth;
import io.grantsmith.azure.identity.EntraConnections;
import io.grantsmith.azure.identity.KeyVaultSecretStore;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;

/** The README's Entra connector and Key Vault store. */
public final class EntraConnector {

  private EntraConnector() {}

  /**
   * A manager whose connector logs in with Entra tokens of a user-assigned managed identity.
   *
   * @param prod the integration
   * @return the manager
   */
  public static AccessManager entra(Integration prod) {
    // tag::entra[]
    EntraAuth identity = EntraAuth.managedIdentity("3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f");
    ConnectionSource.Pooled connections =
        ConnectionSource.pooled(EntraConnections.of(prod, "grantsmith-mi", identity));
    AccessManager manager =
        AccessManager.builder()
            .integration(prod)
            .connector("grantsmith-mi") // the Entra administrator's role name
            .connections(connections) // a fresh token at every new connection
            .build();
    // end::entra[]
    return manager;
  }

  /**
   * A password connector whose credentials live in Key Vault, rotated into a new secret version.
   *
   * @param prod the integration
   */
  public static void keyVault(Integration prod) {
    // tag::keyvault[]
    KeyVaultSecretStore vault = KeyVaultSecretStore.of(EntraAuth.managedIdentity());
    SecretRef ref = KeyVaultSecretStore.ref("ops-vault", "pg-connector");
    Credentials connector = vault.load(ref); // value: the password; tag "username": the role
    try (AccessManager manager =
        AccessManager.builder().integration(prod).credentials(connector).build()) {
      manager.rotateConnectorPassword(vault, ref); // a new version; the old password if it fails
    }
    // end::keyvault[]
  }
}
