package io.grantsmith.samples;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Read-only access to one schema for a whole team, one managed user per person. */
public final class BulkReadOnlyAccess {
  private BulkReadOnlyAccess() {}

  /**
   * Grants each person read-only access to {@code shop/sales} for a working day.
   *
   * @param integration the server
   * @param connector the connector's credentials
   * @param people the grantees
   * @return one grant per person
   */
  public static List<AccessGrant> grant(
      Integration integration, Credentials connector, List<String> people) {
    try (AccessManager manager =
        AccessManager.builder().integration(integration).credentials(connector).build()) {
      List<AccessGrant> out = new ArrayList<>();
      for (String person : people) {
        out.add(
            manager.grant(
                AccessRequest.builder()
                    .requestId("bulk-" + person)
                    .grantee(person)
                    .integration(integration)
                    .addResource(ResourceRef.schema("shop", "sales"))
                    .level(AccessLevel.READ_ONLY)
                    .duration(Duration.ofHours(8))
                    .build()));
      }
      return out;
    }
  }

  /**
   * Runs against an embedded server.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    SampleServer.run(
        (integration, connector) ->
            grant(integration, connector, List.of("bob@example.com", "carol@example.com"))
                .forEach(g -> System.out.println(g.username() + " until " + g.expiresAt())));
  }
}
