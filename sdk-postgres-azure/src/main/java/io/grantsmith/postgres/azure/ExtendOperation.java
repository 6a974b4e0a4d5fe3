package io.grantsmith.postgres.azure;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.ManagerRuntime.Attempt;
import io.grantsmith.postgres.azure.internal.LeaseCodec;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#extend}: moves an active lease's expiry, its cleanup time with it, and the
 * role's {@code VALID UNTIL}, capped at the integration's maximum access duration from now.
 */
final class ExtendOperation {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;

  ExtendOperation(ManagerRuntime rt) {
    this.rt = rt;
  }

  Optional<Lease> extend(String userOrRequestId, Duration by) {
    InvalidValueException.check(
        by != null && !by.isNegative() && !by.isZero(), "extend.by", "must be positive", by);
    String user = rt.resolve(userOrRequestId);
    if (user == null) {
      return Optional.empty();
    }
    return rt.locked(user, () -> extendOnce(user, by), IllegalStateException::new);
  }

  private Attempt<Optional<Lease>> extendOnce(String user, Duration by) {
    Instant now = rt.config.clock().instant();
    ServerState server = rt.readServer(user);
    LeaseState st = server.state(user);
    if (st == null || !st.isActiveAt(now)) {
      return new Attempt.Done<>(Optional.empty());
    }
    Lease old = st.lease().get();
    Instant cap = now.plus(rt.config.integration().maxAccessDuration());
    Instant wanted = old.expiresAt().plus(by);
    Instant expiry = wanted.isAfter(cap) ? cap : wanted;
    if (!expiry.isAfter(old.expiresAt())) {
      return new Attempt.Done<>(Optional.of(old));
    }
    Instant cleanupAt =
        old.cleanupAt().map(c -> expiry.plus(Duration.between(old.expiresAt(), c))).orElse(null);
    String comment =
        LeaseCodec.encode(
            LeaseCodec.Fields.of(st, rt.config.integration().name()).withExpiry(expiry, cleanupAt));
    String shared = rt.shared();
    Renderer r = new Renderer(server.major());
    Plan plan =
        Plan.builder()
            .addStep(
                Step.builder()
                    .database(shared)
                    .description("extend the lease of " + user + " to " + expiry)
                    .addStatement(Renderer.guardComment(shared, user, st.comment().orElse(null)))
                    .addStatement(r.setValidUntil(shared, user, expiry))
                    .addStatement(r.commentOnRole(shared, user, comment))
                    .build())
            .build();
    rt.execute(plan);
    LOG.info("Extended the lease of {} to {}", user, expiry);
    Lease.Builder b =
        Lease.builder()
            .roleName(old.roleName())
            .requestId(old.requestId())
            .grantee(old.grantee())
            .grantedAt(old.grantedAt())
            .expiresAt(expiry);
    if (cleanupAt != null) {
      b.cleanupAt(cleanupAt);
    }
    old.entraPrincipal().ifPresent(b::entraPrincipal);
    return new Attempt.Done<>(Optional.of(b.build()));
  }
}
