package io.grantsmith.samples;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import java.time.Duration;

/** The README's ten-line example: grant read-only access to a schema for two hours. */
public final class Quickstart {
  private Quickstart() {}

  /**
   * Grants {@code alice@example.com} read-only access to {@code shop/sales} for two hours.
   *
   * @param integration the server
   * @param connector the connector's credentials
   * @return the grant (user name, password, expiry, JDBC URL)
   */
  public static AccessGrant grant(Integration integration, Credentials connector) {
    try (AccessManager manager =
        AccessManager.builder().integration(integration).credentials(connector).build()) {
      AccessRequest request =
          AccessRequest.builder()
              .requestId("TICKET-42")
              .grantee("alice@example.com")
              .integration(integration)
              .addResource(ResourceRef.schema("shop", "sales"))
              .level(AccessLevel.READ_ONLY)
              .duration(Duration.ofHours(2))
              .build();
      return manager.grant(request);
    }
  }

  /**
   * Runs against an embedded server.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    SampleServer.run(
        (integration, connector) -> {
          AccessGrant g = grant(integration, connector);
          System.out.println("Granted " + g.username() + " until " + g.expiresAt());
        });
  }
}
