package io.grantsmith.postgres.azure;

import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Grant;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.Footprint;
import io.grantsmith.postgres.azure.internal.LeaseCodec.Approval;
import io.grantsmith.postgres.azure.internal.LeaseState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccessManager#drift}: what every managed user of the integration holds, read once per
 * database, against what its lease approves, expanded as a grant expands it ({@link
 * AccessExpansion}) and compared by {@link DriftCheck}.
 */
final class DriftOperation {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;

  DriftOperation(ManagerRuntime rt) {
    this.rt = rt;
  }

  DriftReport drift() {
    Instant now = rt.config.clock().instant();
    ServerState server = rt.readServer();
    String shared = rt.shared();
    String marker = rt.config.marker();
    DriftReport.Builder report = DriftReport.builder().checkedAt(now);
    List<LeaseState> states = new ArrayList<>();
    for (LeaseState st : server.states()) {
      if (st.integration().map(rt.config.integration().name()::equals).orElse(true)) {
        states.add(st);
        report.addRole(st.roleName());
      }
    }
    server.databases().forEach(report::addDatabase);
    Map<String, List<Footprint.Held>> held = held(server, states);
    // The members of Entra principals' lease roles (but the connector and their administrators).
    Map<String, List<Footprint.Held>> members = new HashMap<>();
    List<String> leaseRoles =
        states.stream().filter(st -> st.principal().isPresent()).map(LeaseState::roleName).toList();
    for (Footprint.Held m : EntraPrincipals.members(rt, leaseRoles, server.major())) {
      members.computeIfAbsent(m.names().get(0), k -> new ArrayList<>()).add(m);
    }
    AccessExpansion.Catalog catalog = catalog(server, states, now);
    for (LeaseState st : states) {
      List<Grant> grants = null;
      Set<String> memberOf = new TreeSet<>();
      memberOf.add(marker);
      if (st.approvals().isPresent() && st.isActiveAt(now)) {
        grants = new ArrayList<>();
        AccessExpansion.Names names =
            new AccessExpansion.Names(st.roleName(), rt.connector(), marker);
        Bundles.Split split =
            Bundles.split(
                st.approvals().get(),
                rt.config.policy(),
                server.major(),
                rt.config.conventions(),
                rt.connector(),
                server.databases());
        memberOf.addAll(split.names());
        for (Approval a : split.direct()) {
          try {
            AccessExpansion.Access access =
                AccessExpansion.expand(List.of(a), names, rt.config.policy(), catalog);
            grants.addAll(access.grants());
            memberOf.addAll(access.memberOf());
          } catch (InvalidValueException gone) {
            LOG.debug("Approved {} no longer exists", a.resource());
          }
        }
      }
      for (Drift d :
          DriftCheck.check(
              st,
              held.getOrDefault(st.roleName(), List.of()),
              grants,
              memberOf,
              marker,
              now,
              members.getOrDefault(st.roleName(), List.of()))) {
        report.addDrift(d);
      }
    }
    bundleDrift(server, states, report);
    DriftReport out = report.build();
    LOG.info(
        "Drift: {} difference(s) over {} managed user(s)", out.drift().size(), out.roles().size());
    return out;
  }

  /**
   * Of the bundles the integration's users are members of: what they hold beyond their keys
   * (whoever granted it), and their members that are not managed users (a managed user's
   * memberships are judged against its own lease).
   */
  private void bundleDrift(
      ServerState server, List<LeaseState> states, DriftReport.Builder report) {
    Set<String> ours = new TreeSet<>();
    for (LeaseState st : states) {
      ours.add(st.roleName());
    }
    List<Bundles.Held> all = new ArrayList<>();
    for (Bundles.Held b : new Bundles(rt).readAll()) {
      if (b.members().stream().anyMatch(ours::contains)) {
        all.add(b);
      }
    }
    if (all.isEmpty()) {
      return;
    }
    Set<String> managed = new TreeSet<>();
    for (LeaseState st : server.states()) {
      managed.add(st.roleName());
    }
    Map<String, List<Footprint.Held>> held =
        held(server, all.stream().map(Bundles.Held::name).toList(), true);
    Map<ResourceRef, List<ResourceRef>> sequences = new HashMap<>();
    Bundles bundles = new Bundles(rt);
    for (Bundles.Held b : all) {
      if (b.key() != null && server.databases().contains(b.key().database())) {
        // What the key approves and the bundle lacks (a table created since the last grant for
        // it among them): its members do not have it.
        for (Bundles.Missing m : bundles.lacking(b.name(), b.key(), false, false).missing()) {
          for (Privilege p : m.privileges()) {
            report.addDrift(
                Drift.builder()
                    .role(b.name())
                    .kind(Drift.Kind.MISSING_PRIVILEGE)
                    .database(b.key().database())
                    .object(m.object().toString())
                    .privilege(p.keyword())
                    .detail(
                        p.keyword()
                            + " on "
                            + m.object()
                            + " is in the key of the bundle "
                            + b.name()
                            + " but not held; the next grant for it adds it")
                    .build());
          }
        }
      }
      for (String member : b.members()) {
        if (!managed.contains(member)) {
          report.addDrift(
              Drift.builder()
                  .role(member)
                  .kind(Drift.Kind.UNAPPROVED_MEMBERSHIP)
                  .object("role " + b.name())
                  .privilege("member")
                  .detail(
                      "member of the bundle "
                          + b.name()
                          + " but not a managed user with an active lease")
                  .build());
        }
      }
      for (Footprint.Held h : held.getOrDefault(b.name(), List.of())) {
        if (!bundles.withinKey(b.key(), h, sequences)) {
          Drift.Builder d =
              Drift.builder()
                  .role(b.name())
                  .kind(
                      switch (h.kind()) {
                        case OWNER -> Drift.Kind.OWNED_AFTER_LEASE;
                        case MEMBERSHIP -> Drift.Kind.UNAPPROVED_MEMBERSHIP;
                        default -> Drift.Kind.UNAPPROVED_PRIVILEGE;
                      })
                  .database(h.database())
                  .object(h.object())
                  .privilege(h.what())
                  .detail(
                      h.what()
                          + " on "
                          + h.object()
                          + " in "
                          + h.database()
                          + " is beyond what the bundle "
                          + b.name()
                          + " holds by its key");
          if (h.grantor() != null) {
            d.grantor(h.grantor());
          }
          report.addDrift(d.build());
        }
      }
    }
  }

  /** What the users hold, by role: one read per database. */
  private Map<String, List<Footprint.Held>> held(ServerState server, List<LeaseState> states) {
    return held(server, states.stream().map(LeaseState::roleName).toList(), true);
  }

  /** What {@code roles} hold, by role: one read per database. */
  private Map<String, List<Footprint.Held>> held(
      ServerState server, List<String> roles, boolean memberships) {
    Map<String, List<Footprint.Held>> held = new HashMap<>();
    if (roles.isEmpty()) {
      return held;
    }
    String shared = rt.shared();
    for (String db : server.databases()) {
      try (Connection c = rt.connections.open(db)) {
        List<Footprint.Held> here = new ArrayList<>(Footprint.read(c, roles, db.equals(shared)));
        if (db.equals(shared) && memberships) {
          here.addAll(Footprint.memberships(c, roles));
        }
        for (Footprint.Held h : here) {
          held.computeIfAbsent(h.role(), k -> new ArrayList<>()).add(h);
        }
      } catch (SQLException e) {
        throw new GrantsmithException(
            "Cannot read what the managed users hold in " + db + ": SQLSTATE " + e.getSQLState(),
            e);
      }
    }
    return held;
  }

  /** Snapshots of every database an active lease approves something in, to expand approvals. */
  private AccessExpansion.Catalog catalog(
      ServerState server, List<LeaseState> states, Instant now) {
    String shared = rt.shared();
    PostgresCatalogReader reader = new PostgresCatalogReader(rt.connections);
    Map<String, CatalogSnapshot> snaps = new LinkedHashMap<>();
    snaps.put(shared, reader.read(shared));
    List<Approval> active = new ArrayList<>();
    for (LeaseState st : states) {
      if (st.isActiveAt(now)) {
        active.addAll(st.approvals().orElse(List.of()));
      }
    }
    for (String db : AccessExpansion.databases(active, server.databases())) {
      snaps.computeIfAbsent(db, reader::read);
    }
    return new AccessExpansion.Catalog(
        shared, snaps, server.databases(), rt.ownedSequences(active, snaps));
  }
}
