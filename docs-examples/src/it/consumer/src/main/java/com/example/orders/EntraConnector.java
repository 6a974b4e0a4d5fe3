package com.example.orders;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.SecretRef;
import io.grantsmith.azure.identity.EntraAuth;
import io.grantsmith.azure.identity.EntraConnections;
import io.grantsmith.azure.identity.KeyVaultSecretStore;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;
import java.time.Duration;

/** The README's Entra connector, Entra principal as grantee and Key Vault store. */
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

  /**
   * Four hours of read access for an Entra group, one lease for the whole team, then revoked.
   *
   * @param manager a manager (its connector an Entra administrator if the group has no role yet)
   * @param prod the integration
   * @return the grant
   */
  public static AccessGrant principal(AccessManager manager, Integration prod) {
    // tag::principal[]
    EntraPrincipal dataTeam =
        EntraPrincipal.of(
            EntraPrincipal.Type.GROUP, "Data Team", "0f8fad5b-d9cb-469f-a165-70867728950e");
    AccessGrant grant =
        manager.grant(
            AccessRequest.builder()
                .requestId("REQ-1044")
                .grantee("Data Team") // the principal's role name
                .entraPrincipal(dataTeam)
                .integration(prod)
                .addResource(ResourceRef.schema("orders", "sales"))
                .level(AccessLevel.READ_ONLY)
                .duration(Duration.ofHours(4))
                .build());
    // No password: members log in as grant.username() ("Data Team") with an Entra token for
    // grant.tokenScope(); grant.lease().roleName() is the lease role that holds the access.
    manager.revoke("Data Team"); // or the request id, or the lease role
    // end::principal[]
    return grant;
  }
}
