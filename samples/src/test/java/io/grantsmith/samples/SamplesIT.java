package io.grantsmith.samples;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.SweepResult;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.internal.GroundTruth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

class SamplesIT {

  @AzurePostgresTest
  void everySampleRuns(AzurePostgres server) {
    SampleServer.run(
        server,
        (integration, connector) -> {
          AccessGrant quick = Quickstart.grant(integration, connector);
          assertThat(quick.password()).isPresent();
          assertThat(quick.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(110)));
          assertThat(server)
              .user(quick.username(), quick.password().orElseThrow().reveal())
              .canLogin(quick.database());

          List<AccessGrant> bulk =
              BulkReadOnlyAccess.grant(
                  integration, connector, List.of("bob@example.com", "carol@example.com"));
          assertThat(bulk).extracting(AccessGrant::username).doesNotHaveDuplicates().hasSize(2);

          AccessGrant glass =
              BreakGlassAdminAccess.grant(integration, connector, "oncall@example.com");
          assertThat(glass.expiresAt()).isBefore(Instant.now().plus(Duration.ofMinutes(31)));
          assertThat(glass.lease().grantee()).isEqualTo("oncall@example.com");

          // A lease that ended an hour ago (granted by a manager whose clock is two hours behind):
          // the scheduled sweep must revoke it, and only it.
          AccessGrant expired;
          try (AccessManager past =
              AccessManager.builder()
                  .integration(integration)
                  .credentials(connector)
                  .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)))
                  .build()) {
            expired =
                past.grant(
                    AccessRequest.builder()
                        .requestId("EXPIRED-1")
                        .grantee("expired@example.com")
                        .integration(integration)
                        .addResource(ResourceRef.database("shop"))
                        .level(AccessLevel.READ_ONLY)
                        .duration(Duration.ofHours(1))
                        .build());
          }
          assertThat(expired.expiresAt()).isBefore(Instant.now());

          ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
          SweepResult swept;
          try {
            CompletableFuture<SweepResult> first = new CompletableFuture<>();
            ScheduledFuture<?> task =
                ScheduledSweep.schedule(
                    s, integration, connector, 60, first::complete, first::completeExceptionally);
            // Waits for the first sweep (it starts at once): a failure comes out of get() as an
            // ExecutionException, a sweep that never ran as a TimeoutException.
            swept = first.get(60, TimeUnit.SECONDS);
            assertThat(task.isDone()).as("the schedule goes on after a sweep").isFalse();
            assertThat(task.cancel(false)).isTrue();
          } catch (Exception e) {
            throw new AssertionError("the scheduled sweep did not succeed", e);
          } finally {
            s.shutdownNow();
          }
          assertThat(swept.skipped()).isFalse();
          assertThat(swept.failed()).isEmpty();
          assertThat(swept.revoked()).containsExactly(expired.username());
          assertThat(server).role(expired.username()).hasLoginDisabled();
          assertThat(heldIn(server, "shop", expired.username())).isEmpty();

          try (AccessManager manager =
              AccessManager.builder().integration(integration).credentials(connector).build()) {
            for (AccessGrant g : List.of(quick, bulk.get(0), bulk.get(1), glass)) {
              assertThat(manager.revoke(g.username()).databases()).as(g.username()).isNotEmpty();
            }
          }
          assertThat(server)
              .user(quick.username(), quick.password().orElseThrow().reveal())
              .cannotLogin(quick.database());
          for (AccessGrant g : List.of(quick, bulk.get(0), bulk.get(1))) {
            assertThat(server).role(g.username()).hasLoginDisabled();
            assertThat(heldIn(server, "shop", g.username())).as(g.username()).isEmpty();
          }
          // Break-glass access is dropped right after its revocation (cleanup after 0 days).
          assertThat(server).role(glass.username()).doesNotExist();
        });
  }

  @AzurePostgresTest
  void theApprovedAccessSampleIsRefusedThenGrantedAndAudited(AzurePostgres server)
      throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("gs-audit");
    java.nio.file.Path auditLog = dir.resolve("audit.jsonl");
    SampleServer.run(
        server,
        (integration, connector) -> {
          AccessGrant g = ApprovedAccess.grant(integration, connector, auditLog);
          String pw = g.password().orElseThrow().reveal();
          assertThat(server)
              .user(g.username(), pw)
              .canSelectFrom("shop", "sales.orders")
              .cannotInsertInto("shop", "sales.orders");
          List<String> lines;
          try {
            lines = java.nio.file.Files.readAllLines(auditLog);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          assertThat(lines).hasSize(5).noneMatch(l -> l.contains(pw));
          List<String> types =
              lines.stream().map(l -> l.replaceAll(".*\"type\":\"([A-Z_]+)\".*", "$1")).toList();
          assertThat(types)
              .containsExactly("REQUESTED", "DENIED", "REQUESTED", "APPROVED", "GRANTED");
          assertThat(lines.get(3)).contains("bob@example.com");
          try (AccessManager manager =
              AccessManager.builder().integration(integration).credentials(connector).build()) {
            manager.revoke(g.username());
          }
          assertThat(server).user(g.username(), pw).cannotLogin("shop");
        });
  }

  /** What the role holds in the database, as the server says, but its marker membership. */
  private static List<String> heldIn(AzurePostgres server, String db, String role) {
    return GroundTruth.privilegeFindings(server, db, role).stream()
        .filter(f -> !f.contains(AccessManager.MARKER_ROLE))
        .toList();
  }
}
