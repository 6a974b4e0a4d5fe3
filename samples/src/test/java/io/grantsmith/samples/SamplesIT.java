package io.grantsmith.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

class SamplesIT {

  @AzurePostgresTest
  void everySampleRuns(AzurePostgres server) {
    SampleServer.run(server, (integration, connector) -> {
      AccessGrant quick = Quickstart.grant(integration, connector);
      assertThat(quick.password()).isPresent();
      assertThat(quick.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(110)));

      List<AccessGrant> bulk = BulkReadOnlyAccess.grant(integration, connector,
          List.of("bob@example.com", "carol@example.com"));
      assertThat(bulk).extracting(AccessGrant::username).doesNotHaveDuplicates().hasSize(2);

      AccessGrant glass = BreakGlassAdminAccess.grant(integration, connector,
          "oncall@example.com");
      assertThat(glass.expiresAt()).isBefore(Instant.now().plus(Duration.ofMinutes(31)));
      assertThat(glass.lease().grantee()).isEqualTo("oncall@example.com");

      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
      try {
        ScheduledSweep.schedule(s, integration, connector, 60);
      } finally {
        s.shutdown();
        try {
          s.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      AccessManager manager = AccessManager.builder().integration(integration)
          .credentials(connector).build();
      for (AccessGrant g : List.of(quick, bulk.get(0), bulk.get(1), glass)) {
        manager.revoke(g.username());
      }
      assertThat(AccessLevel.parse("admin")).isEqualTo(AccessLevel.ADMIN);
    });
  }
}
