package io.grantsmith.samples;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.SweepResult;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Sweeps expired grants every minute; safe on any number of replicas. */
public final class ScheduledSweep {
  private ScheduledSweep() {}

  /**
   * Schedules a sweep every {@code periodSeconds}.
   *
   * @param scheduler the scheduler
   * @param integration the server
   * @param connector the connector's credentials
   * @param periodSeconds the period
   * @return the scheduled task
   */
  public static ScheduledFuture<?> schedule(ScheduledExecutorService scheduler,
      Integration integration, Credentials connector, long periodSeconds) {
    AccessManager manager = AccessManager.builder().integration(integration)
        .credentials(connector).build();
    return scheduler.scheduleAtFixedRate(() -> {
      try {
        SweepResult r = manager.sweep();
        System.out.println("swept: revoked " + r.revoked() + ", dropped " + r.dropped());
      } catch (RuntimeException e) {
        System.err.println("sweep failed: " + e.getMessage()); // next run retries
      }
    }, 0, periodSeconds, TimeUnit.SECONDS);
  }

  /**
   * Runs one sweep cycle against an embedded server.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    SampleServer.run((integration, connector) -> {
      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
      try {
        schedule(s, integration, connector, 60).get(2, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException expected) {
        // the first sweep ran; the schedule would go on
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        s.shutdownNow();
      }
    });
  }
}
