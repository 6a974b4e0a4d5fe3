package io.grantsmith.postgres.azure;

import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.Footprint;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a managed user holds, whoever granted it, and the statements that remove it: read for a
 * grant (what goes beyond the approval) and for a revocation (what is left).
 */
final class Holdings {
  private final ManagerRuntime rt;

  Holdings(ManagerRuntime rt) {
    this.rt = rt;
  }

  /**
   * Where a user holds something.
   *
   * @param databases the databases where it owns objects or holds privileges
   * @param memberOf the roles it is a member of
   */
  record Traces(Set<String> databases, Set<String> memberOf) {}

  /**
   * The databases in which {@code user} owns objects or holds privileges (default privileges
   * included), from the server's dependency records ({@code pg_shdepend}; privileges on databases
   * themselves are shared objects, removed from the shared database's session), and the roles it is
   * a member of: two small queries instead of catalog snapshots.
   */
  Traces traces(String user) {
    String shared = rt.shared();
    try (Connection c = rt.connections.open(shared)) {
      Set<String> dbs = new HashSet<>();
      for (String db :
          ManagerRuntime.rows(
              c, LifecycleQueries.FOOTPRINT_DATABASES, rs -> rs.getString(1), user)) {
        dbs.add(db == null ? shared : db);
      }
      Set<String> roles =
          new TreeSet<>(
              ManagerRuntime.rows(c, LifecycleQueries.MEMBER_OF, rs -> rs.getString(1), user));
      return new Traces(dbs, roles);
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot read what " + user + " holds: SQLSTATE " + e.getSQLState(), e);
    }
  }

  /**
   * What {@code user} holds, whoever granted it: in every database the server's dependency records
   * name for it (privileges on databases read from the shared one) and its memberships. Databases
   * it holds something in that the connector cannot connect to go to {@code unreadable}.
   */
  List<Footprint.Held> heldBy(String user, ServerState server, List<String> unreadable) {
    return heldBy(user, server, unreadable, traces(user).databases(), false);
  }

  /**
   * {@link #heldBy(String, ServerState, List)} where the databases are known already; with {@code
   * foreignOnly}, privileges only from grantors the connector does not inherit from.
   */
  List<Footprint.Held> heldBy(
      String user,
      ServerState server,
      List<String> unreadable,
      Set<String> where,
      boolean foreignOnly) {
    String shared = rt.shared();
    List<Footprint.Held> out = new ArrayList<>();
    for (String db : where) {
      if (!server.databases().contains(db)) {
        unreadable.add(db);
      }
    }
    for (String db : server.databases()) {
      if (!db.equals(shared) && !where.contains(db)) {
        continue;
      }
      try (Connection c = rt.connections.open(db)) {
        out.addAll(Footprint.read(c, List.of(user), db.equals(shared), foreignOnly));
        if (db.equals(shared)) {
          out.addAll(Footprint.memberships(c, List.of(user)));
        }
      } catch (SQLException e) {
        throw new GrantsmithException(
            "Cannot read what " + user + " holds in " + db + ": SQLSTATE " + e.getSQLState(), e);
      }
    }
    return out;
  }

  /** Whether {@code h} is the user's membership in the marker role. */
  boolean isMarker(Footprint.Held h) {
    return h.kind() == Footprint.Kind.MEMBERSHIP && h.names().get(0).equals(rt.config.marker());
  }

  /**
   * A plan removing {@code items}: the memberships from the shared database in one step (first or
   * last), the privileges in one step per database, each revoked as its grantor.
   *
   * @param privilegesStep the description of the step in a database
   * @param membershipsStep the description of the memberships' step
   */
  Plan removal(
      Renderer r,
      List<Footprint.Held> items,
      Function<String, String> privilegesStep,
      String membershipsStep,
      boolean membershipsFirst) {
    String conn = rt.connector();
    Map<String, List<Footprint.Held>> byDb = new LinkedHashMap<>();
    List<Statement> memberships = new ArrayList<>();
    for (Footprint.Held h : items) {
      if (h.kind() == Footprint.Kind.MEMBERSHIP) {
        memberships.add(membershipRemoval(r, h, conn));
      } else {
        byDb.computeIfAbsent(h.database(), d -> new ArrayList<>()).add(h);
      }
    }
    List<Step> steps = new ArrayList<>();
    byDb.forEach(
        (db, held) ->
            steps.add(
                Step.builder()
                    .database(db)
                    .description(privilegesStep.apply(db))
                    .addAllStatements(privilegeRemovals(r, held, conn))
                    .build()));
    if (!memberships.isEmpty()) {
      Step step =
          Step.builder()
              .database(rt.shared())
              .description(membershipsStep)
              .addAllStatements(memberships)
              .build();
      steps.add(membershipsFirst ? 0 : steps.size(), step);
    }
    return Plan.builder().addAllSteps(steps).build();
  }

  /** Each privilege revoked as its grantor: SET ROLE grantor, the REVOKEs, RESET ROLE. */
  static List<Statement> privilegeRemovals(
      Renderer r, List<Footprint.Held> items, String connector) {
    Map<String, List<Footprint.Held>> byGrantor = new TreeMap<>();
    for (Footprint.Held h : items) {
      byGrantor.computeIfAbsent(h.grantor(), g -> new ArrayList<>()).add(h);
    }
    List<Statement> out = new ArrayList<>();
    byGrantor.forEach(
        (grantor, held) -> {
          String db = held.get(0).database();
          boolean other = !grantor.equals(connector);
          if (other) {
            out.add(r.setRole(db, grantor));
          }
          for (Footprint.Held h : held) {
            out.add(Footprint.removal(r, h, connector));
          }
          if (other) {
            out.add(r.resetRole(db));
          }
        });
    return out;
  }

  /** REVOKE role FROM user; on 16+ attributed to the grant's grantor, which the revoke needs. */
  static Statement membershipRemoval(Renderer r, Footprint.Held h, String connector) {
    String grantor = r.majorVersion() >= 16 && !h.grantor().equals(connector) ? h.grantor() : null;
    return r.revokeRole(h.database(), h.names().get(0), h.role(), grantor);
  }

  /**
   * What the connector cannot remove, as leftovers with the statement each grantor must run. With
   * {@code all}, everything in {@code held} but the marker membership counts (after a revoke,
   * whatever is still there is left over).
   */
  List<Leftover> leftovers(
      Renderer r, String user, List<Footprint.Held> held, List<String> unreadable, boolean all) {
    String connector = rt.connector();
    List<Leftover> out = new ArrayList<>();
    for (Footprint.Held h : held) {
      if (isMarker(h) || !all && h.removable()) {
        continue;
      }
      String grantor = h.grantor() != null ? h.grantor() : user;
      out.add(
          Leftover.builder()
              .role(user)
              .database(h.database())
              .object(h.object())
              .privilege(h.what())
              .grantor(grantor)
              .statement(Footprint.removal(r, h, connector).sql())
              .build());
    }
    for (String db : unreadable) {
      out.add(
          Leftover.builder()
              .role(user)
              .database(db)
              .object("objects in database " + db + ", which the connector cannot connect to")
              .privilege("privileges or ownership")
              .grantor("the database owner")
              .statement(
                  r.reassignOwned(db, user, connector).sql() + "; " + r.dropOwned(db, user).sql())
              .build());
    }
    return out;
  }
}
