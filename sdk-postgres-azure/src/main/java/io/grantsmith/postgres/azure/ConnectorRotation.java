package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SecretStore;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#rotateConnectorPassword}: sets a new password, proves a login with it,
 * stores it, and puts the old one back over a session opened before the change if the proof or the
 * store fails. A connector that logs in with tokens is refused before anything is read or sent.
 */
final class ConnectorRotation {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;

  ConnectorRotation(ManagerRuntime rt) {
    this.rt = rt;
  }

  Credentials rotate(SecretStore store, SecretRef ref) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(ref, "ref");
    if (rt.connections.logsInWithTokens()) {
      String who = rt.knownConnector();
      throw new GrantsmithException(
          "Cannot rotate the password of "
              + (who != null
                  ? "the connector " + who
                  : "the connector of integration " + rt.config.integration().name())
              + ": it logs in with Microsoft Entra tokens (its ConnectionSource logsInWithTokens())"
              + " and has no password; nothing was changed");
    }
    Credentials old = store.load(ref);
    String shared = rt.shared();
    Secret fresh = rt.config.passwords().generate();
    Credentials next = Credentials.of(old.username(), fresh);
    Function<Credentials, ConnectionSource> logins = rt.config.logins();
    try (Connection lifeline = logins.apply(old).open(shared)) {
      Renderer r = new Renderer(lifeline.getMetaData().getDatabaseMajorVersion());
      ApplyResult applied =
          rt.execute(
              Plan.builder()
                  .addStep(
                      Step.builder()
                          .database(shared)
                          .description("rotate the password of " + old.username())
                          .addStatement(r.setPassword(shared, old.username(), fresh))
                          .build())
                  .build());
      if (applied.dryRun()) {
        return old;
      }
      try {
        try (Connection proof = logins.apply(next).open(shared);
            java.sql.Statement st = proof.createStatement()) {
          st.execute(LifecycleQueries.PING);
        } catch (SQLException e) {
          throw new GrantsmithException(
              "The new password of "
                  + old.username()
                  + " did not work (SQLSTATE "
                  + e.getSQLState()
                  + "); the old one was restored",
              e);
        }
        store.store(ref, next);
      } catch (RuntimeException e) {
        restore(lifeline, r, shared, old);
        throw e;
      }
      Credentials current = rt.credentials.get();
      if (current != null && current.username().equals(old.username())) {
        rt.credentials.set(next);
        if (rt.pool != null) {
          rt.pool.evictIdle();
        }
      }
      LOG.info("Rotated the password of {}", old.username());
      return next;
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot rotate the password of " + old.username() + ": SQLSTATE " + e.getSQLState(), e);
    }
  }

  private static void restore(Connection lifeline, Renderer r, String db, Credentials old) {
    try (java.sql.Statement st = lifeline.createStatement()) {
      st.execute(r.setPassword(db, old.username(), old.password()).sql());
    } catch (SQLException e) {
      LOG.error(
          "Could not restore the password of {}: SQLSTATE {}", old.username(), e.getSQLState());
    }
  }
}
