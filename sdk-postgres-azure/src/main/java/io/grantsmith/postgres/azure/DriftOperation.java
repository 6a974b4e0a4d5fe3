package io.grantsmith.postgres.azure;

import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Grant;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.InvalidValueException;
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
    AccessExpansion.Catalog catalog = catalog(server, states, now);
    for (LeaseState st : states) {
      List<Grant> grants = null;
      Set<String> memberOf = new TreeSet<>();
      memberOf.add(marker);
      if (st.approvals().isPresent() && st.isActiveAt(now)) {
        grants = new ArrayList<>();
        AccessExpansion.Names names =
            new AccessExpansion.Names(st.roleName(), rt.connector(), marker);
        for (Approval a : st.approvals().get()) {
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
              st, held.getOrDefault(st.roleName(), List.of()), grants, memberOf, marker, now)) {
        report.addDrift(d);
      }
    }
    DriftReport out = report.build();
    LOG.info(
        "Drift: {} difference(s) over {} managed user(s)", out.drift().size(), out.roles().size());
    return out;
  }

  /** What the users hold, by role: one read per database. */
  private Map<String, List<Footprint.Held>> held(ServerState server, List<LeaseState> states) {
    List<String> roles = states.stream().map(LeaseState::roleName).toList();
    Map<String, List<Footprint.Held>> held = new HashMap<>();
    if (roles.isEmpty()) {
      return held;
    }
    String shared = rt.shared();
    for (String db : server.databases()) {
      try (Connection c = rt.connections.open(db)) {
        List<Footprint.Held> here = new ArrayList<>(Footprint.read(c, roles, db.equals(shared)));
        if (db.equals(shared)) {
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
