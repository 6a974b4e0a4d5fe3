package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.Grant;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.ManagerRuntime.Attempt;
import io.grantsmith.postgres.azure.internal.Footprint;
import io.grantsmith.postgres.azure.internal.LeaseCodec.Approval;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#grant} and {@link AccessManager#planGrant}: reads the server, expands the
 * request into a desired state ({@link AccessExpansion}), plans it ({@link Planner}), guards the
 * plan against concurrent changes and applies it, LOGIN last.
 */
final class GrantOperation {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;
  private final Holdings holdings;
  private final RevokeOperation revoke;
  private final Bundles bundles;

  GrantOperation(ManagerRuntime rt, Holdings holdings, RevokeOperation revoke) {
    this.rt = rt;
    this.holdings = holdings;
    this.revoke = revoke;
    this.bundles = new Bundles(rt);
  }

  /** A grant ready to apply, or an expired lease to revoke before anything else. */
  sealed interface Prepared {
    /** The user's lease expired but was not revoked: revoke, then prepare again. */
    record RevokeFirst(Plan revoke) implements Prepared {}

    /**
     * The grant's plan, after {@code revokeFirst} (empty unless only planned).
     *
     * @param revokeFirst the revocation a dry run plans first
     * @param create the creation of an Entra principal's missing role, first of all (else empty)
     * @param plan the grant
     * @param access what it hands out
     */
    record Ready(Plan revokeFirst, Plan create, Plan plan, IssuedAccess access)
        implements Prepared {}
  }

  AccessGrant grant(AccessRequest request) {
    checkIntegration(request);
    String user = rt.config.userName(request);
    return rt.locked(user, () -> attempt(request, user), () -> unrevoked(user));
  }

  private Attempt<AccessGrant> attempt(AccessRequest request, String user) {
    Prepared p = prepare(request, user, true);
    if (p instanceof Prepared.RevokeFirst first) {
      if (!rt.apply(first.revoke()).dryRun()) {
        return new Attempt.Again<>();
      }
      // Nothing changed on the server: plan the grant as if the revocation had run.
      p = prepare(request, user, false);
    }
    Prepared.Ready ready = (Prepared.Ready) p;
    ApplyResult result;
    try {
      result = rt.execute(ready.create().then(ready.plan()));
    } catch (ApplyException e) {
      EntraPrincipal principal = request.entraPrincipal().orElse(null);
      boolean creating =
          principal != null
              && !ready.create().isEmpty()
              && e.committedDatabases().isEmpty()
              && e.step().filter(EntraPrincipals.createDescription(principal)::equals).isPresent();
      String state = e.sqlState().orElse("");
      if (creating && state.equals(EntraPrincipals.NOT_ALLOWED)) {
        throw EntraPrincipals.notAllowed(rt.connector(), principal, e);
      }
      if (creating && state.equals(EntraPrincipals.NO_ENTRA)) {
        throw EntraPrincipals.noEntra(principal, e);
      }
      if (creating && state.equals(EntraPrincipals.CREATED_MEANWHILE)) {
        return new Attempt.Again<>();
      }
      throw e;
    }
    LOG.info(
        "Granted {} access to {} as {} until {} (request {})",
        request.level().label(),
        request.resources(),
        request
            .entraPrincipal()
            .map(e -> "the Entra " + e.type().label() + " " + e.roleName() + " through " + user)
            .orElse(user),
        ready.access().lease().expiresAt(),
        request.requestId());
    return new Attempt.Done<>(ready.access().toGrant(rt.config.integration(), result));
  }

  private static GrantsmithException unrevoked(String user) {
    return new GrantsmithException(
        "The expired lease of " + user + " could not be revoked before granting again");
  }

  Plan planGrant(AccessRequest request) {
    checkIntegration(request);
    Prepared.Ready p = (Prepared.Ready) prepare(request, rt.config.userName(request), false);
    return p.revokeFirst().then(p.create()).then(p.plan());
  }

  void checkIntegration(AccessRequest request) {
    Integration integration = rt.config.integration();
    InvalidValueException.check(
        request.integration().name().equals(integration.name()),
        "AccessRequest.integration",
        "must be this manager's integration " + integration.name(),
        request.integration().name());
  }

  private Prepared prepare(AccessRequest request, String user, boolean forReal) {
    Instant now = rt.config.clock().instant();
    String shared = rt.shared();
    ServerState server = rt.readServer(user);
    for (ResourceRef r : request.resources()) {
      r.database()
          .ifPresent(
              db ->
                  InvalidValueException.check(
                      server.databases().contains(db),
                      "AccessRequest.resources",
                      "must name databases the connector can connect to",
                      r));
    }
    SetupCoverage.require(rt, request, server.databases());
    LeaseState st = server.state(user);
    // What the request itself grants directly (roles; before 16, levels that create objects):
    // only those resources need their objects read; bundles are read by what they lack.
    List<ResourceRef> directNow =
        split(AccessExpansion.approvals(null, request), server).direct().stream()
            .map(Approval::resource)
            .toList();
    CatalogSnapshot sharedSnap = rt.catalog(shared, directNow, user);
    ServerState fresh = server;
    if (st == null && sharedSnap.role(user).isPresent()) {
      // Another replica may have created the user between the two reads: read again, after.
      fresh = rt.readServer(user);
      st = fresh.state(user);
      sharedSnap = rt.catalog(shared, directNow, user);
    }
    if (st == null && sharedSnap.role(user).isPresent()) {
      throw new GrantsmithException(
          "Role "
              + user
              + " exists but is not managed by Grantsmith"
              + " (not a member of "
              + rt.config.marker()
              + "); refusing to touch it");
    }
    EntraPrincipal principal = request.entraPrincipal().orElse(null);
    if (st != null && !samePrincipal(st, principal)) {
      throw new GrantsmithException(
          "Role "
              + user
              + " holds the lease of "
              + st.principal().map(x -> "the Entra principal " + x.roleName()).orElse("a user")
              + ", not of "
              + (principal == null ? "the user " + request.grantee() : principal.roleName())
              + "; refusing to touch it");
    }
    // Before any SQL: the principal's role may be granted to (and, before 16, inherits).
    EntraPrincipals.Found found =
        principal == null ? null : EntraPrincipals.read(rt, principal, user, fresh);
    Plan revokeFirst = Plan.empty();
    if (st != null && !st.isActiveAt(now) && st.revokedAt().isEmpty()) {
      revokeFirst = revoke.revokePlan(st, fresh, now, false);
      if (forReal) {
        return new Prepared.RevokeFirst(revokeFirst);
      }
      // Plan the grant as if the revocation had happened: a fresh user.
      st = null;
    }
    LeaseState current = st != null && st.isActiveAt(now) ? st : null;
    List<Approval> approvals = AccessExpansion.approvals(current, request);
    Bundles.Split split = split(approvals, fresh);
    List<Bundles.Sync> syncs = new ArrayList<>();
    for (Bundles.Bundle b : split.bundles()) {
      syncs.add(bundles.read(b));
    }
    // What someone else gave a bundle beyond its key would reach every member: it goes (revoked
    // as its grantor) before any membership is granted, or nothing happens.
    Plan beyondKeys = removeBeyondKeys(syncs, fresh);
    AccessExpansion.Catalog catalog = catalog(approvals, split.direct(), user, fresh, sharedSnap);
    AccessExpansion.Names names =
        new AccessExpansion.Names(user, rt.connector(), rt.config.marker());
    GrantDesign design =
        GrantDesign.of(
            new GrantDesign.Input(
                request,
                rt.config.integration(),
                rt.config.policy(),
                names,
                current,
                catalog,
                now,
                split),
            rt.config.passwords()::generate);
    // Before LOGIN: whatever the existing role holds beyond the approval goes, or nothing
    // happens (what the connector cannot remove is named, with the statement that removes it).
    Plan unapproved = st == null ? Plan.empty() : removeUnapproved(user, fresh, design);
    Plan planned =
        Planner.builder()
            .sharedDatabase(shared)
            .bundleRoles(split.names())
            .build()
            .plan(design.desired(), catalog.snapshots().values());
    List<Statement> first = new ArrayList<>();
    first.add(
        st == null
            ? Renderer.guardAbsent(shared, user)
            : Renderer.guardComment(shared, user, st.comment().orElse(null)));
    if (sharedSnap.role(rt.config.marker()).isEmpty()) {
      first.add(Renderer.ensureMarker(shared, rt.config.marker()));
    }
    Renderer r = new Renderer(fresh.major());
    first.addAll(bundles.sharedStatements(r, syncs));
    Plan check =
        Plan.builder()
            .addStep(
                Step.builder()
                    .database(shared)
                    .description("check the lease of " + user + " and the marker role")
                    .addAllStatements(first)
                    .build())
            .build();
    // The bundles are brought up to date after the lease is written (so that the guards of
    // later transactions hold) and before LOGIN.
    Plan bundleObjects = Plan.builder().addAllSteps(bundles.objectSteps(r, syncs)).build();
    // An Entra principal: its missing role is created first of all (only an Entra administrator
    // may: a refusal then changes nothing), and the lease role is granted to it last, where a
    // user's LOGIN is enabled.
    Plan create = Plan.empty();
    Plan last = Plan.empty();
    if (principal != null) {
      if (!found.exists()) {
        create = Plan.builder().addStep(EntraPrincipals.createStep(principal)).build();
      }
      if (!found.member() || !revokeFirst.isEmpty()) {
        last =
            Plan.builder()
                .addStep(
                    Step.builder()
                        .database(shared)
                        .description("grant the lease role " + user + " to " + principal.roleName())
                        .addAllStatements(
                            EntraPrincipals.grantLease(r, shared, user, principal.roleName()))
                        .build())
                .build();
      }
    }
    Plan plan =
        beyondKeys.then(
            Renderer.guarded(
                check.then(beforeLogin(planned, bundleObjects.then(unapproved))).then(last),
                user,
                design.comment()));
    return new Prepared.Ready(
        revokeFirst,
        create,
        plan,
        new IssuedAccess(user, design.lease(), design.password(), design.database()));
  }

  /** Whether the lease of {@code st} is for {@code principal} (null: a password user's). */
  private static boolean samePrincipal(LeaseState st, EntraPrincipal principal) {
    EntraPrincipal held = st.principal().orElse(null);
    if (held == null || principal == null) {
      return held == null && principal == null || st.lease().isEmpty();
    }
    return held.type() == principal.type()
        && held.objectId().equalsIgnoreCase(principal.objectId())
        && held.roleName().equals(principal.roleName());
  }

  /** How {@code approvals} are held on this server. */
  private Bundles.Split split(List<Approval> approvals, ServerState server) {
    return Bundles.split(
        approvals,
        rt.config.policy(),
        server.major(),
        rt.config.conventions(),
        rt.connector(),
        server.databases());
  }

  /**
   * The snapshots of the databases the approvals touch, shared first (whatever the user holds
   * there, and every object only for the approvals granted directly), and their sequences.
   */
  private AccessExpansion.Catalog catalog(
      List<Approval> approvals,
      List<Approval> direct,
      String user,
      ServerState server,
      CatalogSnapshot sharedSnap) {
    String shared = rt.shared();
    List<ResourceRef> approved = direct.stream().map(Approval::resource).toList();
    Map<String, CatalogSnapshot> snaps = new LinkedHashMap<>();
    snaps.put(shared, sharedSnap);
    for (String db : AccessExpansion.databases(approvals, server.databases())) {
      snaps.computeIfAbsent(db, d -> rt.catalog(d, approved, user));
    }
    return new AccessExpansion.Catalog(
        shared, snaps, server.databases(), rt.ownedSequences(direct, snaps));
  }

  /**
   * {@code plan} with {@code extra} run after its first step (which writes the lease, so that the
   * guards of later transactions hold) and before the rest, LOGIN last among them.
   */
  private static Plan beforeLogin(Plan plan, Plan extra) {
    if (extra.isEmpty() || plan.steps().isEmpty()) {
      return plan.then(extra);
    }
    Plan.Builder out = Plan.builder().addStep(plan.steps().get(0)).addAllSteps(extra.steps());
    return out.addAllSteps(plan.steps().subList(1, plan.steps().size())).build();
  }

  /**
   * The plan that removes what the request's bundles hold beyond their keys (a privilege someone
   * granted to a bundle, a membership of the bundle in another role), each revoked as its grantor.
   * Only bundles whose read found something are read item by item.
   *
   * @throws LeftoverAccessException before any change, if the connector cannot remove some (a
   *     grantor it cannot act as, an object the bundle owns, a policy naming it)
   */
  private Plan removeBeyondKeys(List<Bundles.Sync> syncs, ServerState server) {
    Renderer r = new Renderer(server.major());
    Plan out = Plan.empty();
    Map<ResourceRef, List<ResourceRef>> sequences = new HashMap<>();
    for (Bundles.Sync s : syncs) {
      if (!s.beyond()) {
        continue;
      }
      String name = s.bundle().name();
      List<String> unreadable = new ArrayList<>();
      List<Footprint.Held> extra = new ArrayList<>();
      List<Footprint.Held> refused = new ArrayList<>();
      for (Footprint.Held h : holdings.heldBy(name, server, unreadable)) {
        if (!bundles.withinKey(s.bundle().key(), h, sequences)) {
          extra.add(h);
          boolean revocable =
              h.kind() == Footprint.Kind.PRIVILEGE || h.kind() == Footprint.Kind.MEMBERSHIP;
          if (!revocable || !h.removable()) {
            refused.add(h);
          }
        }
      }
      if (extra.isEmpty() && unreadable.isEmpty()) {
        continue;
      }
      List<Leftover> left = holdings.leftovers(r, name, refused, unreadable, true);
      if (!left.isEmpty()) {
        throw new LeftoverAccessException(
            name,
            "Refused to grant membership in the bundle "
                + name
                + ": it holds more than its key approves, which every member would get, and",
            left);
      }
      LOG.warn(
          "The bundle {} holds {} item(s) beyond its key; revoking them as their grantors",
          name,
          extra.size());
      out =
          out.then(
              holdings.removal(
                  r,
                  extra,
                  db -> "remove what the bundle " + name + " holds in " + db + " beyond its key",
                  "remove the memberships of the bundle " + name + " in other roles",
                  true));
    }
    return out;
  }

  /** A privilege and the object it is on. */
  private record Approved(ResourceRef resource, Privilege privilege) {}

  /**
   * The plan that removes what an existing role holds beyond the design, each privilege revoked as
   * its grantor, to run before LOGIN is enabled.
   *
   * @throws LeftoverAccessException before any change, if the connector cannot remove some
   */
  private Plan removeUnapproved(String user, ServerState server, GrantDesign design) {
    Set<Approved> approved = new HashSet<>();
    for (Grant g : design.access().grants()) {
      for (Privilege p : g.privileges()) {
        approved.add(new Approved(g.resource(), p));
      }
    }
    Set<String> memberOf = design.access().memberOf();
    List<String> unreadable = new ArrayList<>();
    List<Footprint.Held> extra = new ArrayList<>();
    for (Footprint.Held h : holdings.heldBy(user, server, unreadable)) {
      boolean ok =
          switch (h.kind()) {
            case MEMBERSHIP -> memberOf.contains(h.names().get(0));
            case PRIVILEGE ->
                h.resource().isPresent()
                    && h.grantsmithPrivilege().isPresent()
                    && approved.contains(
                        new Approved(h.resource().get(), h.grantsmithPrivilege().get()));
            default -> true; // what it owns and policies naming it are no privilege granted to it
          };
      if (!ok) {
        extra.add(h);
      }
    }
    Renderer r = new Renderer(server.major());
    List<Leftover> left = holdings.leftovers(r, user, extra, unreadable, false);
    if (!left.isEmpty()) {
      throw new LeftoverAccessException(
          user,
          "Refused to enable login of " + user + ": it holds more than the lease approves, and",
          left);
    }
    return holdings.removal(
        r,
        extra,
        db -> "remove the privileges of " + user + " in " + db + " that were not approved",
        "remove the memberships of " + user + " that were not approved",
        true);
  }
}
