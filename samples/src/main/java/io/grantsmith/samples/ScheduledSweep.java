package io.grantsmith.samples;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.SweepResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Sweeps expired grants every minute; safe on any number of replicas. */
public final class ScheduledSweep {
  private ScheduledSweep() {}

  /**
   * Schedules a sweep every {@code periodSeconds}, the first one at once, printing what each sweep
   * did and each failure (the next run retries).
   *
   * @param scheduler the scheduler
   * @param integration the server
   * @param connector the connector's credentials
   * @param periodSeconds the period
   * @return the scheduled task
   */
  public static ScheduledFuture<?> schedule(
      ScheduledExecutorService scheduler,
      Integration integration,
      Credentials connector,
      long periodSeconds) {
    return schedule(
        scheduler,
        integration,
        connector,
        periodSeconds,
        r ->
            System.out.println(
                "swept: revoked "
                    + r.revoked()
                    + ", dropped "
                    + r.dropped()
                    + (r.failed().isEmpty() ? "" : ", failed " + r.failed().keySet())),
        e -> System.err.println("sweep failed: " + e.getMessage()));
  }

  /**
   * Schedules a sweep every {@code periodSeconds}, the first one at once, handing each sweep's
   * result to {@code onResult} and each failure to {@code onFailure} (where a service would log,
   * count or alert). A failure does not end the schedule: the next run retries.
   *
   * @param scheduler the scheduler
   * @param integration the server
   * @param connector the connector's credentials
   * @param periodSeconds the period
   * @param onResult receives what each sweep did
   * @param onFailure receives each sweep's failure
   * @return the scheduled task
   */
  public static ScheduledFuture<?> schedule(
      ScheduledExecutorService scheduler,
      Integration integration,
      Credentials connector,
      long periodSeconds,
      Consumer<SweepResult> onResult,
      Consumer<RuntimeException> onFailure) {
    AccessManager manager =
        AccessManager.builder().integration(integration).credentials(connector).build();
    return scheduler.scheduleAtFixedRate(
        () -> {
          SweepResult r;
          try {
            r = manager.sweep();
          } catch (RuntimeException e) {
            onFailure.accept(e);
            return;
          }
          onResult.accept(r);
        },
        0,
        periodSeconds,
        TimeUnit.SECONDS);
  }

  /**
   * Runs one sweep cycle against an embedded server: waits for the first sweep, then stops.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    SampleServer.run(
        (integration, connector) -> {
          ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
          CompletableFuture<SweepResult> first = new CompletableFuture<>();
          try {
            schedule(s, integration, connector, 60, first::complete, first::completeExceptionally);
            SweepResult r = first.get(60, TimeUnit.SECONDS);
            System.out.println("swept: revoked " + r.revoked() + ", dropped " + r.dropped());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the first sweep", e);
          } catch (Exception e) {
            throw new IllegalStateException("the first sweep did not succeed", e);
          } finally {
            s.shutdownNow();
          }
        });
  }
}
