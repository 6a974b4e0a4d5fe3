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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#sweep}: under a transaction-scoped advisory lock on the shared database
 * (held by a transaction open for the whole sweep), revokes every expired lease of this integration
 * and drops every revoked user whose cleanup time passed; one user's failure is recorded and the
 * sweep goes on. Expired leases are revoked in batches ({@link BulkRevoke}); a user a batch cannot
 * take or finish goes through {@link RevokeOperation} alone, which reads its lease again first.
 */
final class SweepOperation {
  /** How many expired leases one batch revokes at most, unless configured. */
  static final int DEFAULT_BATCH = 200;

  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;
  private final RevokeOperation revoke;
  private final Bundles bundles;
  private final BulkRevoke bulk;

  SweepOperation(ManagerRuntime rt, RevokeOperation revoke) {
    this.rt = rt;
    this.revoke = revoke;
    this.bundles = new Bundles(rt);
    this.bulk = new BulkRevoke(rt, revoke);
  }

  /** Whether {@code st} holds a lease that expired by {@code now} and is not revoked. */
  static boolean expired(LeaseState st, Instant now) {
    return st.lease().isPresent() && st.revokedAt().isEmpty() && st.lease().get().isExpiredAt(now);
  }

  /** Whether {@code st} was revoked and its cleanup time passed by {@code now}. */
  private static boolean cleanupDue(LeaseState st, Instant now) {
    return st.revokedAt().isPresent()
        && st.lease().flatMap(Lease::cleanupAt).map(t -> !now.isBefore(t)).orElse(false);
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
        List<String> expired = new ArrayList<>();
        for (LeaseState st : LeaseState.readAll(c, rt.config.marker())) {
          if (st.integration().map(rt.config.integration().name()::equals).orElse(true)) {
            if (expired(st, now)) {
              expired.add(st.roleName());
            } else if (cleanupDue(st, now)) {
              dropOne(st.roleName(), now, result);
            }
          }
        }
        int size = rt.config.sweepBatch();
        for (int i = 0; i < expired.size(); i += size) {
          sweepBatch(expired.subList(i, Math.min(expired.size(), i + size)), now, result);
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

  /**
   * Revokes a batch of expired leases together; the users the batch did not take, or could not
   * finish, one at a time.
   */
  private void sweepBatch(List<String> users, Instant now, SweepResult.Builder result) {
    BulkRevoke.Outcome o;
    try {
      o = bulk.run(users);
    } catch (RuntimeException e) {
      LOG.warn("Sweep batch of {} users failed: {}", users.size(), e.getMessage());
      o = new BulkRevoke.Outcome(List.of(), List.of(), users, List.of());
    }
    o.revoked().forEach(result::addRevoked);
    o.dropped().forEach(result::addDropped);
    for (String user : o.perLease()) {
      revokeOne(user, now, result);
    }
    for (String user : o.unfinished()) {
      finishOne(user, result);
    }
  }

  /** Revokes one expired lease, if its lease, read again, is still expired and not revoked. */
  private void revokeOne(String user, Instant now, SweepResult.Builder result) {
    try {
      Optional<ApplyResult> r = revoke.revokeIf(user, st -> expired(st, now), st -> false);
      if (r.isEmpty()) {
        LOG.info("Sweep left {}: its lease changed since the sweep read it", user);
        return;
      }
      if (!r.get().databases().isEmpty()) {
        result.addRevoked(user);
      }
      if (rt.readServer(user).state(user) == null) {
        result.addDropped(user);
      }
    } catch (RuntimeException e) {
      failed(user, e, result);
    }
  }

  /**
   * Finishes a user a batch revoked but left holding something (or not dropped, or with sessions
   * perhaps open): the per-lease revocation, while the lease is still revoked; dropped if its
   * cleanup time has come.
   */
  private void finishOne(String user, SweepResult.Builder result) {
    Instant now = rt.config.clock().instant();
    try {
      revoke.revokeIf(user, st -> st.revokedAt().isPresent(), st -> cleanupDue(st, now));
      result.addRevoked(user);
      if (rt.readServer(user).state(user) == null) {
        result.addDropped(user);
      }
    } catch (RuntimeException e) {
      failed(user, e, result);
    }
  }

  /** Drops one revoked user whose cleanup time passed, if it still is. */
  private void dropOne(String user, Instant now, SweepResult.Builder result) {
    try {
      if (revoke.revokeIf(user, st -> cleanupDue(st, now), st -> true).isPresent()) {
        result.addDropped(user);
      }
    } catch (RuntimeException e) {
      failed(user, e, result);
    }
  }

  private static void failed(String user, RuntimeException e, SweepResult.Builder result) {
    if (e instanceof LeftoverAccessException left) {
      LOG.warn("Sweep could not finish {}: {}", user, e.getMessage());
      result.putFailed(user, e.getMessage()).putLeftover(user, left.leftovers());
    } else {
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
