package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#sweep}: under a transaction-scoped advisory lock on the shared database
 * (held by a transaction open for the whole sweep), revokes every expired lease of this integration
 * and drops every revoked user whose cleanup time passed; one user's failure is recorded and the
 * sweep goes on.
 */
final class SweepOperation {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;
  private final RevokeOperation revoke;
  private final Bundles bundles;

  SweepOperation(ManagerRuntime rt, RevokeOperation revoke) {
    this.rt = rt;
    this.revoke = revoke;
    this.bundles = new Bundles(rt);
  }

  SweepResult sweep() {
    SweepResult.Builder result = SweepResult.builder();
    rt.checkTransactions();
    try (Connection c = rt.connections.open(rt.shared())) {
      // The lock is transaction-scoped, so that it never outlives the sweep on a server
      // connection a pooler hands to someone else: the transaction stays open while the sweep
      // runs (it writes nothing; the revokes run in transactions of their own) and its end
      // releases the lock.
      c.setAutoCommit(false);
      try {
        if (!tryLock(c)) {
          LOG.info("Sweep skipped: another sweep holds the lock");
          return result.skipped(true).build();
        }
        Instant now = rt.config.clock().instant();
        for (LeaseState st : LeaseState.readAll(c, rt.config.marker())) {
          if (st.integration().map(rt.config.integration().name()::equals).orElse(true)) {
            sweepOne(st, now, result);
          }
        }
        sweepBundles(now, result);
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new GrantsmithException("Cannot sweep: SQLSTATE " + e.getSQLState(), e);
    }
    SweepResult r = result.build();
    LOG.info(
        "Sweep revoked {}, dropped {}, failed {}, dropped bundles {}",
        r.revoked(),
        r.dropped(),
        r.failed().keySet(),
        r.droppedBundles());
    return r;
  }

  private void sweepOne(LeaseState st, Instant now, SweepResult.Builder result) {
    String user = st.roleName();
    Optional<Lease> lease = st.lease();
    try {
      if (lease.isPresent() && st.revokedAt().isEmpty() && lease.get().isExpiredAt(now)) {
        ApplyResult r = revoke.revoke(user);
        if (!r.databases().isEmpty()) {
          result.addRevoked(user);
        }
        if (rt.readServer(user).state(user) == null) {
          result.addDropped(user);
        }
      } else if (st.revokedAt().isPresent()
          && lease.flatMap(Lease::cleanupAt).map(t -> !now.isBefore(t)).orElse(false)) {
        revoke.drop(user);
        result.addDropped(user);
      }
    } catch (LeftoverAccessException e) {
      LOG.warn("Sweep could not finish {}: {}", user, e.getMessage());
      result.putFailed(user, e.getMessage()).putLeftover(user, e.leftovers());
    } catch (RuntimeException e) {
      LOG.warn("Sweep could not handle {}: {}", user, e.getMessage());
      result.putFailed(user, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Bundles without members: the first sweep that finds one records since when (in its comment), a
   * sweep after the cleanup period (the integration's, else none) drops it; a bundle with members
   * again loses the record. A grant that claims a bundle meanwhile wins: the sweep's guards fail
   * with the conflict SQLSTATE and it leaves the bundle to the next sweep.
   */
  private void sweepBundles(Instant now, SweepResult.Builder result) {
    var days = rt.config.integration().userCleanupAfterDays();
    Duration cleanup = days.isPresent() ? Duration.ofDays(days.getAsInt()) : Duration.ZERO;
    String shared = rt.shared();
    ServerState server = null;
    for (Bundles.Held b : bundles.readAll()) {
      try {
        boolean due =
            b.members().isEmpty()
                && (b.droppingAt() != null
                    || b.unusedSince() != null && !now.isBefore(b.unusedSince().plus(cleanup)));
        if (due) {
          if (server == null) {
            server = rt.readServer(b.name());
          }
          rt.execute(bundles.dropPlan(new Renderer(server.major()), b, now, server));
          result.addDroppedBundle(b.name());
          LOG.info("Dropped the unused bundle {}", b.name());
          continue;
        }
        String comment = Bundles.usageComment(b, now);
        if (comment != null) {
          if (server == null) {
            server = rt.readServer(b.name());
          }
          rt.execute(
              Plan.builder()
                  .addStep(
                      Step.builder()
                          .database(shared)
                          .description("record whether the bundle " + b.name() + " is in use")
                          .addStatement(Renderer.guardBundle(shared, b.name(), b.comment()))
                          .addStatement(
                              new Renderer(server.major()).commentOnRole(shared, b.name(), comment))
                          .build())
                  .build());
        }
      } catch (ApplyException e) {
        // A grant claimed the bundle (conflict) or it could not be dropped: the next sweep sees.
        LOG.info("Sweep left the bundle {}: SQLSTATE {}", b.name(), e.sqlState().orElse("unknown"));
      } catch (RuntimeException e) {
        LOG.warn("Sweep could not handle the bundle {}: {}", b.name(), e.getMessage());
      }
    }
  }

  /** Sets the source's timeouts in the transaction, then tries the sweep's lock. */
  private boolean tryLock(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String t :
          rt.connections
              .timeouts()
              .map(t -> Renderer.transactionTimeouts(t.statement(), t.lock()))
              .orElse(List.of())) {
        st.execute(t);
      }
    }
    return ManagerRuntime.rows(
            c,
            LifecycleQueries.tryTransactionLock(AccessManager.SWEEP_LOCK_KEY),
            rs -> rs.getBoolean(1))
        .get(0);
  }
}
