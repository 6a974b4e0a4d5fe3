package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.ManagerRuntime.Attempt;
import io.grantsmith.postgres.azure.internal.Footprint;
import io.grantsmith.postgres.azure.internal.LeaseCodec;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#revoke}, {@link AccessManager#planRevoke} and the sweep's drop: LOGIN off
 * and the revocation recorded first, then sessions ended, privileges and ownership removed in every
 * database the user holds something in, memberships revoked, and the role dropped when its cleanup
 * time has come; what the connector could not remove is reported. An Entra principal's lease role
 * loses its members (the principal) in the first transaction, the principal's sessions are ended
 * where the connector may signal them, and the lease role is dropped at once; the principal's own
 * role is never touched.
 */
final class RevokeOperation {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;
  private final Holdings holdings;

  RevokeOperation(ManagerRuntime rt, Holdings holdings) {
    this.rt = rt;
    this.holdings = holdings;
  }

  ApplyResult revoke(String userOrRequestId) {
    String user = target(userOrRequestId);
    if (user == null) {
      return ApplyResult.builder().build();
    }
    return rt.locked(
        user, () -> revokeOnce(user, s -> true, s -> false), IllegalStateException::new);
  }

  /**
   * Revokes {@code user} as {@link #revoke} does if its state, read under the user's lock (and read
   * again after a conflict), is {@code due}; otherwise changes nothing. The sweep's per-lease path:
   * a lease extended or granted again since the sweep read it is left alone. With {@code drop} true
   * of that state, the role is dropped whatever its cleanup period.
   *
   * @return empty if the user is not due, else the result (empty if the role is gone)
   */
  Optional<ApplyResult> revokeIf(
      String user, Predicate<LeaseState> due, Predicate<LeaseState> drop) {
    return Optional.ofNullable(
        rt.locked(user, () -> revokeOnce(user, due, drop), IllegalStateException::new));
  }

  /** Done with null if the user's state is not {@code due}. */
  private Attempt<ApplyResult> revokeOnce(
      String user, Predicate<LeaseState> due, Predicate<LeaseState> dropIf) {
    ServerState server = rt.readServer(user);
    LeaseState st = server.state(user);
    if (st == null) {
      return new Attempt.Done<>(ApplyResult.builder().build());
    }
    if (!due.test(st)) {
      return new Attempt.Done<>(null);
    }
    boolean drop = dropIf.test(st);
    Plan plan = revokePlan(st, server, rt.config.clock().instant(), drop);
    ApplyResult result = rt.apply(plan);
    if (drop) {
      checkRevoked(user, result);
      LOG.info("Dropped {}", user);
    } else if (!plan.isEmpty()) {
      LOG.info("Revoked the access of {}", user);
      checkRevoked(user, result);
    }
    return new Attempt.Done<>(result);
  }

  Plan planRevoke(String userOrRequestId) {
    String user = target(userOrRequestId);
    if (user == null) {
      return Plan.empty();
    }
    ServerState server = rt.readServer(user);
    LeaseState st = server.state(user);
    return st == null ? Plan.empty() : revokePlan(st, server, rt.config.clock().instant(), false);
  }

  /** The managed user a name or request id means, or null if none. */
  private String target(String userOrRequestId) {
    String user = rt.resolve(userOrRequestId);
    return user != null ? user : managedOrAbsent(userOrRequestId);
  }

  /**
   * For a name that no managed user or lease matched: the name itself if it is now a managed role
   * (a grant created it since), else null if no role has that name. An existing role that
   * Grantsmith does not manage (the connector, the admin, any other role) is refused: revoking it
   * must not be reported as done. One query, so that a concurrent grant cannot slip between two
   * reads.
   */
  private String managedOrAbsent(String name) {
    String marker = rt.config.marker();
    List<Boolean> managed =
        rt.query(
            rt.shared(),
            LifecycleQueries.MANAGED_OR_ABSENT,
            "read the role " + name,
            rs -> rs.getBoolean(1),
            marker,
            name);
    if (managed.isEmpty()) {
      return null;
    }
    if (managed.get(0)) {
      return name;
    }
    throw new GrantsmithException(
        "Role "
            + name
            + " exists but is not managed by Grantsmith"
            + " (not a member of "
            + marker
            + " without ADMIN OPTION); refusing to touch it");
  }

  /** The plan that revokes {@code st} at {@code now}; with {@code drop}, the role is dropped. */
  Plan revokePlan(LeaseState st, ServerState server, Instant now, boolean drop) {
    String shared = rt.shared();
    String user = st.roleName();
    Renderer r = new Renderer(server.major());
    String conn = rt.connector();
    boolean revoked = st.revokedAt().isPresent();
    Optional<Lease> lease = st.lease();
    Duration cleanup = cleanupPeriod(lease);
    // An Entra principal's lease role is dropped at once: it is no one's login, and the principal's
    // own role, which keeps its standing privileges, is never touched.
    EntraPrincipal principal = st.principal().orElse(null);
    boolean dropNow = drop || principal != null || cleanup != null && cleanup.isZero();
    Holdings.Traces traces = holdings.traces(user);
    List<String> unreadable = new ArrayList<>();
    // Only what DROP OWNED cannot remove: privileges from grantors the connector does not
    // inherit from (a user may hold thousands of the others).
    List<Footprint.Held> held = holdings.heldBy(user, server, unreadable, traces.databases(), true);
    boolean leftovers = !unreadable.isEmpty();
    for (Footprint.Held h : held) {
      // DROP OWNED removes default privileges for the user whoever defined them.
      leftovers |=
          !h.removable()
              && (h.kind() == Footprint.Kind.PRIVILEGE && !h.type().equals("default acl")
                  || h.kind() == Footprint.Kind.MEMBERSHIP && !holdings.isMarker(h));
    }
    // What the connector cannot remove blocks DROP ROLE (SQLSTATE 2BP01): it is reported instead.
    dropNow &= !leftovers;

    List<Statement> first = new ArrayList<>();
    first.add(Renderer.guardComment(shared, user, st.comment().orElse(null)));
    int changes = 0;
    String comment = st.comment().orElse(null);
    if (st.login()) {
      first.add(r.setLogin(shared, user, false));
      changes++;
    }
    if (!revoked) {
      first.add(r.setValidUntil(shared, user, now));
      if (lease.isPresent()) {
        comment = revokedComment(st, now);
        first.add(r.commentOnRole(shared, user, comment));
      }
      changes++;
    }
    // A lease role's members (its principal, and anyone it was granted to) lose it in the first
    // transaction: their next statement has none of its privileges.
    List<Footprint.Held> members =
        principal == null ? List.of() : EntraPrincipals.members(rt, user, server.major());
    for (Footprint.Held m : members) {
      if (m.removable()) {
        first.add(Holdings.membershipRemoval(r, m, conn));
        changes++;
      }
    }
    // Per database: what the user owns goes to the connector, every privilege goes away. The
    // server's own dependency records (pg_shdepend) name every database where the user owns
    // something or holds a privilege, so only those are visited.
    List<String> dbs = new ArrayList<>();
    for (String db : server.databases()) {
      if (traces.databases().contains(db) || db.equals(shared) && (!revoked || dropNow)) {
        dbs.add(db);
      }
    }
    List<Statement> memberships = new ArrayList<>();
    for (Footprint.Held h : held) {
      if (h.kind() == Footprint.Kind.MEMBERSHIP && h.removable() && !holdings.isMarker(h)) {
        memberships.add(Holdings.membershipRemoval(r, h, conn));
      }
    }
    boolean terminate = !revoked || st.sessions() > 0;
    if (changes == 0 && dbs.isEmpty() && memberships.isEmpty() && !terminate && !dropNow) {
      return Plan.empty();
    }
    // Membership in the user lets the connector end its sessions and reassign its objects.
    first.add(r.grantRole(shared, user, conn, false));
    Plan.Builder plan =
        Plan.builder()
            .addStep(
                step(shared, "disable login of " + user + " and record the revocation", first));
    if (terminate) {
      Step.Builder end =
          Step.builder()
              .database(shared)
              .description("end the sessions of " + user)
              .autocommit(true)
              .addStatement(r.terminateSessions(shared, user));
      if (principal != null && !revoked) {
        end.addStatement(EntraPrincipals.terminateSessions(shared, principal.roleName()));
      }
      plan.addStep(end.build());
    }
    for (String db : dbs) {
      // Privileges from other grantors first, each revoked as its grantor; DROP OWNED then
      // removes what the connector's own grantor granted, default privileges included.
      List<Footprint.Held> here = new ArrayList<>();
      for (Footprint.Held h : held) {
        if (h.kind() == Footprint.Kind.PRIVILEGE && h.removable() && h.database().equals(db)) {
          here.add(h);
        }
      }
      List<Statement> removals = new ArrayList<>(Holdings.privilegeRemovals(r, here, conn));
      removals.add(r.reassignOwned(db, user, conn));
      removals.add(r.dropOwned(db, user));
      plan.addStep(step(db, "remove every privilege of " + user + " in " + db, removals));
    }
    if (!memberships.isEmpty()) {
      plan.addStep(step(shared, "remove the memberships of " + user, memberships));
    }
    if (dropNow) {
      plan.addStep(step(shared, "drop " + user, List.of(r.dropRole(shared, user))));
    }
    return Renderer.guarded(plan.build(), user, comment);
  }

  private static Step step(String db, String description, List<Statement> statements) {
    return Step.builder()
        .database(db)
        .description(description)
        .addAllStatements(statements)
        .build();
  }

  /**
   * The comment that records the revocation of {@code st}'s lease (which must be present) at {@code
   * now}: the expiry no later than now, the cleanup time a cleanup period after now.
   */
  String revokedComment(LeaseState st, Instant now) {
    Lease lease = st.lease().orElseThrow();
    Duration cleanup = cleanupPeriod(st.lease());
    Instant expiry = lease.expiresAt().isBefore(now) ? lease.expiresAt() : now;
    return LeaseCodec.encode(
        LeaseCodec.Fields.of(st, rt.config.integration().name())
            .withExpiry(expiry, cleanup == null ? null : now.plus(cleanup))
            .withRevokedAt(now));
  }

  /** The lease's cleanup period, else the integration's, else none. */
  Duration cleanupPeriod(Optional<Lease> lease) {
    var days = rt.config.integration().userCleanupAfterDays();
    return lease
        .flatMap(l -> l.cleanupAt().map(c -> Duration.between(l.expiresAt(), c)))
        .orElse(days.isPresent() ? Duration.ofDays(days.getAsInt()) : null);
  }

  /**
   * After a revocation: whatever {@code user} still holds (if it still exists), as leftovers.
   *
   * @throws LeftoverAccessException if anything is left
   */
  private void checkRevoked(String user, ApplyResult result) {
    if (result.dryRun()) {
      return;
    }
    ServerState server = rt.readServer(user);
    if (server.state(user) == null) {
      return;
    }
    List<String> unreadable = new ArrayList<>();
    List<Footprint.Held> held = holdings.heldBy(user, server, unreadable);
    Renderer r = new Renderer(server.major());
    // What DROP OWNED left although the connector may act as its grantor (it revokes as one
    // grantor per object): revoked as that grantor, then read again.
    List<Footprint.Held> removable = new ArrayList<>();
    for (Footprint.Held h : held) {
      if (h.removable()
          && (h.kind() == Footprint.Kind.PRIVILEGE
              || h.kind() == Footprint.Kind.MEMBERSHIP && !holdings.isMarker(h))) {
        removable.add(h);
      }
    }
    if (!removable.isEmpty()) {
      rt.execute(
          holdings.removal(
              r,
              removable,
              db -> "remove what is left of " + user + " in " + db,
              "remove what is left of the memberships of " + user,
              false));
      unreadable.clear();
      held = holdings.heldBy(user, server, unreadable);
    }
    List<Leftover> left = new ArrayList<>(holdings.leftovers(r, user, held, unreadable, true));
    if (server.state(user).principal().isPresent()) {
      // The lease role could not be dropped: whoever is still a member keeps its privileges.
      List<Footprint.Held> members = EntraPrincipals.members(rt, user, server.major());
      List<Footprint.Held> revocable = members.stream().filter(Footprint.Held::removable).toList();
      if (!revocable.isEmpty()) {
        rt.execute(
            holdings.removal(
                r, revocable, db -> "", "remove the members of the lease role " + user, false));
        members = EntraPrincipals.members(rt, user, server.major());
      }
      for (Footprint.Held m : members) {
        left.add(EntraPrincipals.leftover(r, m, rt.connector()));
      }
    }
    if (!left.isEmpty()) {
      throw new LeftoverAccessException(
          user, "Revoked the access of " + user + " (login off, sessions ended), but", left);
    }
  }
}
