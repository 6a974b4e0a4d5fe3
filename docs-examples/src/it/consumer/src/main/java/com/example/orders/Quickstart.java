package com.example.orders;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import java.time.Duration;

/** The README's quickstart: grant a person read-only access for two hours, revoke, sweep. */
public final class Quickstart {

  private Quickstart() {}

  /**
   * Runs the quickstart against the server it names.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    // tag::quickstart[]
    Secret connectorPassword = Secret.of(System.getenv("GRANTSMITH_PASSWORD")); // or a vault
    Integration prod =
        Integration.builder()
            .name("orders-prod")
            .hostname("orders-prod.postgres.database.azure.com")
            .userCleanupAfterDays(7)
            .build();
    AccessManager manager =
        AccessManager.builder()
            .integration(prod)
            .credentials(Credentials.of("grantsmith_connector", connectorPassword))
            .build();
    AccessGrant grant =
        manager.grant(
            AccessRequest.builder()
                .requestId("REQ-1042")
                .grantee("alice@example.com")
                .integration(prod)
                .addResource(ResourceRef.schema("orders", "sales"))
                .level(AccessLevel.READ_ONLY)
                .duration(Duration.ofHours(2))
                .build());
    // grant.username(), grant.password(), grant.jdbcUrl(), grant.expiresAt() ... then later:
    manager.revoke(grant.username());
    manager.sweep(); // from a scheduler, on any number of replicas
    manager.close(); // when the service stops
    // end::quickstart[]
  }
}
