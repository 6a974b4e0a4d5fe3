package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep's revocation of a batch of expired leases, with the guarantees of {@link
 * RevokeOperation} for each user and a few statements for all of them. It takes only users that
 * hold what a bundle lease gives: memberships in bundle roles granted by the connector and the
 * marker membership, and nothing the server's dependency records ({@code pg_shdepend}) name in any
 * database; every other user is left to the per-lease path. For the batch, under this process's
 * locks of its users: one transaction on the shared database checks that every lease is still the
 * one read (else it fails with the conflict SQLSTATE and changes nothing), turns LOGIN off, sets
 * {@code VALID UNTIL}, records the revocation in each comment and revokes the memberships; one
 * statement then ends the sessions of all of them; one transaction drops those whose cleanup period
 * is zero, guarded by the comments just written. A set-based read then checks that none of the
 * others holds anything. Whatever does not go as planned is handed back for the per-lease path.
 */
final class BulkRevoke {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  private final ManagerRuntime rt;
  private final RevokeOperation revoke;

  BulkRevoke(ManagerRuntime rt, RevokeOperation revoke) {
    this.rt = rt;
    this.revoke = revoke;
  }

  /**
   * What a batch did.
   *
   * @param revoked the users it revoked that hold nothing now (the dropped ones among them)
   * @param dropped the users it dropped
   * @param perLease the users it did not revoke (not eligible, or the batch failed before any
   *     change): for the per-lease path, from the start
   * @param unfinished the users it revoked that still hold something, still exist although due to
   *     be dropped, or whose sessions may be open: for the per-lease path, to finish
   */
  record Outcome(
      List<String> revoked, List<String> dropped, List<String> perLease, List<String> unfinished) {}

  /** A membership of a user, as {@link LifecycleQueries#MEMBERSHIPS_OF} reads it. */
  private record Membership(
      String user, String granted, String grantor, boolean adminOption, boolean bundle) {}

  /** What the server records of a user: {@link LifecycleQueries#TRACED}. */
  private record Traced(boolean traced, boolean signal) {}

  /**
   * Revokes the expired leases of {@code users} in one batch, as far as it can.
   *
   * @param users managed users whose lease was expired (and not revoked) when the sweep read them
   * @return what was done, and who is left to the per-lease path
   */
  Outcome run(List<String> users) {
    return rt.lockedAll(users, () -> runLocked(users));
  }

  private Outcome runLocked(List<String> users) {
    String shared = rt.shared();
    String conn = rt.connector();
    String marker = rt.config.marker();
    Instant now = rt.config.clock().instant();
    String[] names = users.toArray(String[]::new);
    int major;
    Map<String, LeaseState> states = new LinkedHashMap<>();
    Map<String, Traced> traced;
    Map<String, List<Membership>> memberships;
    try (Connection c = rt.connections.open(shared)) {
      major = c.getMetaData().getDatabaseMajorVersion();
      for (LeaseState st : LeaseState.readMany(c, marker, users)) {
        states.put(st.roleName(), st);
      }
      traced = traced(c, names);
      memberships = memberships(c, names);
    } catch (SQLException | RuntimeException e) {
      LOG.warn("Sweep could not read a batch of {} users: {}", users.size(), reason(e));
      return new Outcome(List.of(), List.of(), users, List.of());
    }

    List<String> batch = new ArrayList<>();
    List<String> perLease = new ArrayList<>();
    for (String u : users) {
      LeaseState st = states.get(u);
      Traced t = traced.get(u);
      boolean eligible =
          st != null
              && t != null
              && !t.traced()
              && st.comment().isPresent()
              // An Entra principal's lease role has members to take it from and is dropped at
              // once: the per-lease revocation does both.
              && st.principal().isEmpty()
              && SweepOperation.expired(st, now)
              && memberships.getOrDefault(u, List.of()).stream()
                  .allMatch(
                      m ->
                          m.granted().equals(marker)
                              || m.bundle() && !m.adminOption() && conn.equals(m.grantor()));
      (eligible ? batch : perLease).add(u);
    }
    if (batch.isEmpty()) {
      return new Outcome(List.of(), List.of(), perLease, List.of());
    }

    Renderer r = new Renderer(major);
    Map<String, String> read = new LinkedHashMap<>();
    Map<String, String> written = new LinkedHashMap<>();
    List<Statement> statements = new ArrayList<>();
    List<String> drop = new ArrayList<>();
    for (String u : batch) {
      LeaseState st = states.get(u);
      read.put(u, st.comment().orElseThrow());
      written.put(u, revoke.revokedComment(st, now));
      Duration cleanup = revoke.cleanupPeriod(st.lease());
      if (cleanup != null && cleanup.isZero()) {
        drop.add(u);
      }
    }
    // Statements that change pg_authid or pg_auth_members make the server compute the connector's
    // role memberships again at the next privilege check, which costs in proportion to the roles
    // it is a member of (every managed user): the comments and the REVOKEs go first, checked
    // against one computation, then one ALTER ROLE per user. All of it commits at once.
    statements.add(Renderer.guardComments(shared, read));
    Map<String, List<String>> byBundle = new TreeMap<>();
    for (String u : batch) {
      statements.add(r.commentOnRole(shared, u, written.get(u)));
      for (Membership m : memberships.getOrDefault(u, List.of())) {
        if (!m.granted().equals(marker)) {
          byBundle.computeIfAbsent(m.granted(), b -> new ArrayList<>()).add(u);
        }
      }
    }
    byBundle.forEach((bundle, members) -> statements.add(r.revokeRole(shared, bundle, members)));
    for (String u : batch) {
      statements.add(r.disableLogin(shared, u, now));
      // Membership in the user lets the connector end its sessions.
      if (!traced.get(u).signal()) {
        statements.add(r.grantRole(shared, u, conn, false));
      }
    }
    ApplyResult first;
    try {
      first =
          rt.execute(
              Plan.builder()
                  .addStep(
                      Step.builder()
                          .database(shared)
                          .description(
                              "disable login of "
                                  + batch.size()
                                  + " users with expired leases, record the revocations and"
                                  + " remove their memberships")
                          .addAllStatements(statements)
                          .build())
                  .build());
    } catch (RuntimeException e) {
      // Nothing changed (one transaction): every user of the batch goes the per-lease way, which
      // reads again, so that a lease granted or extended meanwhile is left alone.
      LOG.info(
          "Sweep batch of {} users fell back to one lease at a time: {}", batch.size(), reason(e));
      return new Outcome(List.of(), List.of(), users, List.of());
    }
    LOG.info("Revoked the access of {} users in one batch", batch.size());

    try {
      rt.execute(
          Plan.builder()
              .addStep(
                  Step.builder()
                      .database(shared)
                      .description("end the sessions of " + batch.size() + " users")
                      .autocommit(true)
                      .addStatement(r.terminateSessions(shared, batch))
                      .build())
              .build());
    } catch (RuntimeException e) {
      LOG.warn("Sweep could not end the sessions of a batch: {}", reason(e));
      return new Outcome(List.of(), List.of(), perLease, batch);
    }

    List<String> dropped = new ArrayList<>();
    if (!drop.isEmpty()) {
      Map<String, String> guard = new LinkedHashMap<>();
      drop.forEach(u -> guard.put(u, written.get(u)));
      try {
        rt.execute(
            Plan.builder()
                .addStep(
                    Step.builder()
                        .database(shared)
                        .description("drop " + drop.size() + " users whose cleanup period is zero")
                        .addStatement(Renderer.guardComments(shared, guard))
                        .addStatement(r.dropRoles(shared, drop))
                        .build())
                .build());
        dropped.addAll(drop);
      } catch (RuntimeException e) {
        LOG.info("Sweep could not drop a batch of {} users: {}", drop.size(), reason(e));
      }
    }
    if (first.dryRun()) {
      return new Outcome(batch, List.of(), perLease, List.of());
    }

    // What a revocation must leave: nothing but the marker membership, and no role where the
    // cleanup period is zero. A grant or a sweep elsewhere may have acted in between too: the
    // per-lease path reads again and decides.
    List<String> remaining = new ArrayList<>(batch);
    remaining.removeAll(dropped);
    Set<String> unfinished = new LinkedHashSet<>();
    if (!remaining.isEmpty()) {
      String[] left = remaining.toArray(String[]::new);
      try (Connection c = rt.connections.open(shared)) {
        Map<String, Traced> after = traced(c, left);
        Map<String, List<Membership>> still = memberships(c, left);
        for (String u : remaining) {
          boolean holds =
              after.containsKey(u)
                  && (after.get(u).traced()
                      || drop.contains(u)
                      || still.getOrDefault(u, List.of()).stream()
                          .anyMatch(m -> !m.granted().equals(marker)));
          if (holds) {
            unfinished.add(u);
          }
        }
      } catch (SQLException | RuntimeException e) {
        LOG.warn("Sweep could not check a batch after revoking it: {}", reason(e));
        unfinished.addAll(remaining);
      }
    }
    List<String> revoked = new ArrayList<>(batch);
    revoked.removeAll(unfinished);
    return new Outcome(revoked, dropped, perLease, List.copyOf(unfinished));
  }

  private static Map<String, Traced> traced(Connection c, String[] users) throws SQLException {
    Map<String, Traced> out = new HashMap<>();
    for (Map.Entry<String, Traced> e :
        ManagerRuntime.rows(
            c,
            LifecycleQueries.TRACED,
            rs ->
                Map.entry(
                    rs.getString("rolname"),
                    new Traced(rs.getBoolean("traced"), rs.getBoolean("signal"))),
            (Object) users)) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private Map<String, List<Membership>> memberships(Connection c, String[] users)
      throws SQLException {
    Map<String, List<Membership>> out = new HashMap<>();
    for (Membership m :
        ManagerRuntime.rows(
            c,
            LifecycleQueries.MEMBERSHIPS_OF,
            rs ->
                new Membership(
                    rs.getString("rolname"),
                    rs.getString("granted"),
                    rs.getString("grantor"),
                    rs.getBoolean("admin_option"),
                    rs.getBoolean("bundle")),
            rt.config.conventions().bundleMarkerRole(),
            users)) {
      out.computeIfAbsent(m.user(), u -> new ArrayList<>()).add(m);
    }
    return out;
  }

  private static String reason(Exception e) {
    if (e instanceof ApplyException a) {
      return "SQLSTATE " + a.sqlState().orElse("unknown");
    }
    if (e instanceof SQLException s) {
      return "SQLSTATE " + s.getSQLState();
    }
    return String.valueOf(e.getMessage());
  }
}
