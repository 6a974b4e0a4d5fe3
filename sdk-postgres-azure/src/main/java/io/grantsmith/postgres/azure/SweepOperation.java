package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Lease;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#sweep}: under a session advisory lock on the shared database, revokes every
 * expired lease of this integration and drops every revoked user whose cleanup time passed; one
 * user's failure is recorded and the sweep goes on.
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
    try (Connection c = rt.connections.open(rt.shared())) {
      if (!advisory(c, LifecycleQueries.tryLock(AccessManager.SWEEP_LOCK_KEY))) {
        LOG.info("Sweep skipped: another sweep holds the lock");
        return result.skipped(true).build();
      }
      try {
        Instant now = rt.config.clock().instant();
        for (LeaseState st : LeaseState.readAll(c, rt.config.marker())) {
          if (st.integration().map(rt.config.integration().name()::equals).orElse(true)) {
            sweepOne(st, now, result);
          }
        }
      } finally {
        advisory(c, LifecycleQueries.unlock(AccessManager.SWEEP_LOCK_KEY));
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

  private static boolean advisory(Connection c, String sql) throws SQLException {
    return ManagerRuntime.rows(c, sql, rs -> rs.getBoolean(1)).get(0);
  }
}
