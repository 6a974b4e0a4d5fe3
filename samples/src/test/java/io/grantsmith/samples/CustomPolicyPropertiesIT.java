package io.grantsmith.samples;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.PostgresCatalogReader;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.GrantsmithArbitraries;
import io.grantsmith.testkit.PostgresVersion;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * How an integrator tests their own {@link AccessPolicy} with Grantsmith's generators and a
 * real, Azure-shaped server: here a policy that never hands out sequences, checked by logging
 * in as the user, and the promise that access applied then revoked leaves the server as it was.
 */
class CustomPolicyPropertiesIT {
  /** The integrator's policy: the standard one, minus every privilege on sequences. */
  static final AccessPolicy NO_SEQUENCES = (level, kind) ->
      kind == ResourceKind.SEQUENCE ? Set.of() : AccessPolicy.standard().privileges(level, kind);

  private static AzurePostgres server;
  private static Integration integration;
  private static Credentials connector;
  private static AccessManager manager;

  @BeforeContainer
  static void start() {
    server = AzurePostgres.shared(PostgresVersion.configured().get(0).major());
    SampleServer.run(server, (i, c) -> {
      integration = Integration.builder().from(i).name("policy-" + UUID.randomUUID()
          .toString().substring(0, 8)).userCleanupAfterDays(0).build();
      connector = c;
    });
    try (Connection c = server.adminConnection("shop"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS sales.items (id serial, name text)");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    // The table above came after the connector's setup: run it again so the connector may
    // grant on it, as an admin would after adding tables outside the default privileges.
    SampleServer.run(server, (i, c) -> connector = c);
    manager = AccessManager.builder().integration(integration).credentials(connector)
        .policy(NO_SEQUENCES).build();
  }

  @AfterContainer
  static void stop() {
    if (manager != null) {
      manager.close();
    }
  }

  @Property(tries = 12)
  void anyRequestAppliedThenRevokedLeavesTheServerAsItWas(
      @ForAll("grantees") String grantee, @ForAll AccessLevel level,
      @ForAll("tables") String table) throws Exception {
    PostgresCatalogReader reader = new PostgresCatalogReader(
        ConnectionSource.of(integration, connector));
    CatalogSnapshot before = reader.read("shop");

    AccessGrant grant = manager.grant(AccessRequest.builder()
        .requestId("REQ-" + UUID.randomUUID()).grantee(grantee).integration(integration)
        .addResource(ResourceRef.relation("shop", "sales", table)).level(level)
        .duration(Duration.ofMinutes(5)).build());
    String password = grant.password().orElseThrow().reveal();
    assertThat(server).user(grant.username(), password).canSelectFrom("shop", "sales." + table);
    assertThat(reader.read("shop").grantsTo(grant.username()))
        .extracting(Grant::resource).noneMatch(r -> r.kind() == ResourceKind.SEQUENCE);

    manager.revoke(grant.username());

    assertThat(server).role(grant.username()).doesNotExist();
    assertThat(reader.read("shop").grants()).isEqualTo(before.grants());
  }

  @Provide
  Arbitrary<String> grantees() {
    // A grantee is a person's identity: not blank, no control characters (AccessRequest's rule).
    return Arbitraries.oneOf(GrantsmithArbitraries.hostileIdentifiers()
            .filter(s -> !s.isBlank() && s.chars().noneMatch(Character::isISOControl)),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(s -> s + "@example.com"));
  }

  @Provide
  Arbitrary<String> tables() {
    return Arbitraries.of("orders", "items");
  }
}
