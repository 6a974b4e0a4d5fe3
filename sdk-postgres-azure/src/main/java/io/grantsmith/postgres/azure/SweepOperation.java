package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Lease;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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

  SweepOperation(ManagerRuntime rt, RevokeOperation revoke) {
    this.rt = rt;
    this.revoke = revoke;
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
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new GrantsmithException("Cannot sweep: SQLSTATE " + e.getSQLState(), e);
    }
    SweepResult r = result.build();
    LOG.info(
        "Sweep revoked {}, dropped {}, failed {}", r.revoked(), r.dropped(), r.failed().keySet());
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
