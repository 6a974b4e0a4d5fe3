package io.grantsmith.postgres.azure;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.Footprint;
import io.grantsmith.postgres.azure.internal.LeaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares one managed user's lease with what it holds: a pure function, no I/O. What a lease
 * approves is its approvals expanded against the catalog ({@code grants}, {@code memberOf}); what
 * it holds is the server's footprint of the user, from every grantor.
 */
final class DriftCheck {
  private static final Duration TOLERANCE = Duration.ofSeconds(1);

  private DriftCheck() {}

  /** A privilege on an object. */
  private record Key(ResourceRef resource, Privilege privilege) {}

  /**
   * The differences for one user.
   *
   * @param st the user's lease state
   * @param held what it holds (every database, memberships included)
   * @param grants what its active lease approves, or null if the lease predates recorded approvals
   *     (then held privileges and memberships are not judged)
   * @param memberOf the roles its active lease approves (the marker included)
   * @param marker the marker role
   * @param now the current instant
   * @return the differences
   */
  static List<Drift> check(
      LeaseState st,
      Collection<Footprint.Held> held,
      List<Grant> grants,
      Set<String> memberOf,
      String marker,
      Instant now) {
    return check(st, held, grants, memberOf, marker, now, List.of());
  }

  /**
   * The differences for one managed role, an Entra principal's lease role included: such a role
   * must never have LOGIN, and its members (but the connector and its administrators) must be its
   * principal while the lease is active, and no one after.
   *
   * @param members the role's members but the connector and its administrators, as memberships (the
   *     member as the item's role); judged for a lease role only
   * @see #check(LeaseState, Collection, List, Set, String, Instant)
   */
  static List<Drift> check(
      LeaseState st,
      Collection<Footprint.Held> held,
      List<Grant> grants,
      Set<String> memberOf,
      String marker,
      Instant now,
      Collection<Footprint.Held> members) {
    String role = st.roleName();
    EntraPrincipal principal = st.principal().orElse(null);
    List<Drift> out = new ArrayList<>();
    boolean active = st.isActiveAt(now);
    if (st.lease().isEmpty()) {
      out.add(
          Drift.builder()
              .role(role)
              .kind(Drift.Kind.NO_LEASE)
              .detail("member of " + marker + " but its comment holds no readable lease")
              .build());
    }
    boolean judged = !active || grants != null;
    Set<Key> approved = new LinkedHashSet<>();
    if (active && grants != null) {
      for (Grant g : grants) {
        for (Privilege p : g.privileges()) {
          approved.add(new Key(g.resource(), p));
        }
      }
    }
    Set<Key> has = new LinkedHashSet<>();
    Set<String> hasRoles = new TreeSet<>();
    for (Footprint.Held h : held) {
      switch (h.kind()) {
        case PRIVILEGE:
          {
            Key key =
                h.resource().isPresent() && h.grantsmithPrivilege().isPresent()
                    ? new Key(h.resource().get(), h.grantsmithPrivilege().get())
                    : null;
            if (key != null) {
              has.add(key);
            }
            if (judged && (key == null || !approved.contains(key))) {
              out.add(
                  item(role, Drift.Kind.UNAPPROVED_PRIVILEGE, h)
                      .detail(
                          h.privilege()
                              + " on "
                              + h.object()
                              + " in "
                              + h.database()
                              + ", granted by "
                              + h.grantor()
                              + ", is not approved by "
                              + (active ? "the lease" : "any active lease"))
                      .build());
            }
            break;
          }
        case MEMBERSHIP:
          {
            String granted = h.names().get(0);
            hasRoles.add(granted);
            if (!granted.equals(marker) && judged && (!active || !memberOf.contains(granted))) {
              out.add(
                  item(role, Drift.Kind.UNAPPROVED_MEMBERSHIP, h)
                      .detail(
                          "member of "
                              + granted
                              + ", granted by "
                              + h.grantor()
                              + ", is not approved by "
                              + (active ? "the lease" : "any active lease"))
                      .build());
            }
            break;
          }
        case OWNER:
          if (!active) {
            out.add(
                item(role, Drift.Kind.OWNED_AFTER_LEASE, h)
                    .detail(
                        "owns "
                            + h.object()
                            + " in "
                            + h.database()
                            + " although its lease is not active")
                    .build());
          }
          break;
        default:
          break;
      }
    }
    if (active && grants != null) {
      for (Key k : approved) {
        if (!has.contains(k)) {
          out.add(
              Drift.builder()
                  .role(role)
                  .kind(Drift.Kind.MISSING_PRIVILEGE)
                  .database(k.resource().database().orElse(""))
                  .object(k.resource().toString())
                  .privilege(k.privilege().keyword())
                  .detail(
                      k.privilege().keyword()
                          + " on "
                          + k.resource()
                          + " is approved by the lease but not held")
                  .build());
        }
      }
      for (String m : memberOf) {
        if (!hasRoles.contains(m)) {
          out.add(
              Drift.builder()
                  .role(role)
                  .kind(Drift.Kind.MISSING_MEMBERSHIP)
                  .object("role " + m)
                  .privilege("member")
                  .detail("membership in " + m + " is approved by the lease but not held")
                  .build());
        }
      }
    }
    if (principal != null) {
      leaseRole(st, principal, active, members, out);
    } else if (active && !st.login()) {
      out.add(
          Drift.builder()
              .role(role)
              .kind(Drift.Kind.LOGIN_OFF_DURING_LEASE)
              .detail(
                  "LOGIN is off although the lease is active until " + st.lease().get().expiresAt())
              .build());
    }
    if (principal == null && !active && st.login()) {
      out.add(
          Drift.builder()
              .role(role)
              .kind(Drift.Kind.LOGIN_AFTER_LEASE)
              .detail(
                  "LOGIN is on although the lease "
                      + (st.revokedAt().isPresent()
                          ? "was revoked at " + st.revokedAt().get()
                          : st.lease().isPresent()
                              ? "expired at " + st.lease().get().expiresAt()
                              : "is unreadable"))
              .build());
    }
    st.lease().ifPresent(l -> validUntil(st, l, active).ifPresent(out::add));
    return out;
  }

  /** A lease role: LOGIN never, its principal as its only member while active, no one after. */
  private static void leaseRole(
      LeaseState st,
      EntraPrincipal principal,
      boolean active,
      Collection<Footprint.Held> members,
      List<Drift> out) {
    String role = st.roleName();
    String whose = "the lease role " + role + " of the Entra " + principal.type().label() + " ";
    if (st.login()) {
      out.add(
          Drift.builder()
              .role(role)
              .kind(Drift.Kind.LOGIN_ON_LEASE_ROLE)
              .detail("LOGIN is on, but " + whose + principal.roleName() + " never logs in")
              .build());
    }
    boolean granted = false;
    for (Footprint.Held m : members) {
      if (active && m.role().equals(principal.roleName())) {
        granted = true;
        continue;
      }
      out.add(
          item(m.role(), Drift.Kind.UNAPPROVED_MEMBERSHIP, m)
              .detail(
                  "member of "
                      + whose
                      + principal.roleName()
                      + ", granted by "
                      + m.grantor()
                      + (active
                          ? ", but only its principal may be"
                          : ", although the lease is not active"))
              .build());
    }
    if (active && !granted) {
      out.add(
          Drift.builder()
              .role(principal.roleName())
              .kind(Drift.Kind.MISSING_MEMBERSHIP)
              .object("role " + role)
              .privilege("member")
              .detail(
                  "membership in "
                      + whose
                      + principal.roleName()
                      + " is approved by the lease but not held")
              .build());
    }
  }

  private static java.util.Optional<Drift> validUntil(LeaseState st, Lease l, boolean active) {
    Instant end = st.revokedAt().filter(r -> r.isBefore(l.expiresAt())).orElse(l.expiresAt());
    Instant vu = st.validUntil().orElse(null);
    boolean ok =
        vu != null
            && (active
                ? !vu.isBefore(end.minus(TOLERANCE)) && !vu.isAfter(end.plus(TOLERANCE))
                : !vu.isAfter(end.plus(TOLERANCE)));
    if (ok) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        Drift.builder()
            .role(st.roleName())
            .kind(Drift.Kind.VALID_UNTIL_MISMATCH)
            .detail(
                "VALID UNTIL is "
                    + (vu == null ? "not set" : vu)
                    + " but the lease "
                    + (active ? "expires at " : "ended at ")
                    + end)
            .build());
  }

  private static Drift.Builder item(String role, Drift.Kind kind, Footprint.Held h) {
    Drift.Builder b =
        Drift.builder()
            .role(role)
            .kind(kind)
            .database(h.database())
            .object(h.object())
            .privilege(h.what());
    if (h.grantor() != null) {
      b.grantor(h.grantor());
    }
    return b;
  }
}
