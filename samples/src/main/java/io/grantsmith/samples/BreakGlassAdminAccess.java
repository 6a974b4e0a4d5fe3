package io.grantsmith.samples;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import java.time.Duration;

/** Break-glass: admin access to a database for 30 minutes, dropped right after revocation. */
public final class BreakGlassAdminAccess {
  private BreakGlassAdminAccess() {}

  /**
   * Grants the on-call engineer admin access to {@code shop} for 30 minutes.
   *
   * @param integration the server
   * @param connector the connector's credentials
   * @param onCall the engineer
   * @return the grant
   */
  public static AccessGrant grant(Integration integration, Credentials connector, String onCall) {
    try (AccessManager manager =
        AccessManager.builder().integration(integration).credentials(connector).build()) {
      return manager.grant(
          AccessRequest.builder()
              .requestId("INC-" + System.nanoTime())
              .grantee(onCall)
              .integration(integration)
              .addResource(ResourceRef.database("shop"))
              .level(AccessLevel.ADMIN)
              .duration(Duration.ofMinutes(30))
              .justification("incident")
              .cleanupAfterDays(0)
              .build());
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
          AccessGrant g = grant(integration, connector, "oncall@example.com");
          System.out.println("Break-glass " + g.username() + " until " + g.expiresAt());
        });
  }
}
