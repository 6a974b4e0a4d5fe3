package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Secret;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.ManagerRuntime.Attempt;
import io.grantsmith.postgres.azure.internal.LeaseCodec;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#resetPassword}: a new password for an active lease that has LOGIN, the time
 * it was set recorded in the lease; nothing else changes.
 */
final class PasswordReset {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;

  PasswordReset(ManagerRuntime rt) {
    this.rt = rt;
  }

  AccessGrant resetPassword(String userOrRequestId) {
    String user = rt.resolve(userOrRequestId);
    if (user == null) {
      throw noActiveLease(userOrRequestId, null);
    }
    return rt.locked(user, () -> resetOnce(userOrRequestId, user), IllegalStateException::new);
  }

  private Attempt<AccessGrant> resetOnce(String userOrRequestId, String user) {
    Instant now = rt.config.clock().instant();
    ServerState server = rt.readServer(user);
    LeaseState st = server.state(user);
    // Active means recorded, not expired and never revoked: LOGIN is never enabled over a
    // revocation, and the guard below turns a concurrent one into a retry that refuses.
    if (st == null || !st.isActiveAt(now)) {
      throw noActiveLease(userOrRequestId, user);
    }
    if (st.principal().isPresent()) {
      throw new GrantsmithException(
          "The lease of "
              + user
              + " is for the Entra "
              + st.principal().get().type().label()
              + " "
              + st.principal().get().roleName()
              + ", which logs in with Entra tokens and has no password to reset");
    }
    if (!st.login()) {
      // LOGIN is enabled only by a grant, after it checked the user's whole footprint.
      throw new GrantsmithException(
          "The grant of "
              + user
              + " stopped before enabling"
              + " login; grant the request again to finish it (with a new password)");
    }
    Lease lease = st.lease().get();
    String comment =
        LeaseCodec.encode(
            LeaseCodec.Fields.of(st, rt.config.integration().name()).withPasswordSetAt(now));
    Secret password = rt.config.passwords().generate();
    String shared = rt.shared();
    Renderer r = new Renderer(server.major());
    Step step =
        Step.builder()
            .database(shared)
            .description("set a new password for " + user)
            .addStatement(Renderer.guardComment(shared, user, st.comment().orElse(null)))
            .addStatement(r.setPassword(shared, user, password))
            .addStatement(r.commentOnRole(shared, user, comment))
            .build();
    ApplyResult result = rt.execute(Plan.builder().addStep(step).build());
    String database = connectDatabase(user, shared);
    if (!result.dryRun()) {
      LOG.info(
          "Set a new password for {} (lease {} until {})",
          user,
          lease.requestId(),
          lease.expiresAt());
    }
    IssuedAccess access =
        new IssuedAccess(user, lease, result.dryRun() ? null : password, database);
    return new Attempt.Done<>(access.toGrant(rt.config.integration(), result));
  }

  private static GrantsmithException noActiveLease(String userOrRequestId, String user) {
    return new GrantsmithException(
        "No active lease for "
            + userOrRequestId
            + (user == null || user.equals(userOrRequestId) ? "" : " (user " + user + ")")
            + ": it is unknown, expired or revoked; grant access again instead");
  }

  /** The first database, by name, other than {@code shared} where the user holds CONNECT. */
  private String connectDatabase(String user, String shared) {
    return rt
        .query(
            shared,
            LifecycleQueries.CONNECT_DATABASE,
            "read the databases of " + user,
            rs -> rs.getString(1),
            user,
            shared)
        .stream()
        .findFirst()
        .orElse(shared);
  }
}
