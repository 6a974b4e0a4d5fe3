package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.internal.Sql.literal;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.Footprint;
import io.grantsmith.postgres.azure.internal.Renderer;
import io.grantsmith.postgres.azure.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is particular to a Microsoft Entra principal as a grantee: reading its role (and Azure's
 * mapping of it), the statement that creates it ({@code pgaadauth_create_principal_with_oid}, run
 * only when the role is missing), the grant of the lease role to it (the grant's last step), the
 * ending of its sessions where the connector may signal them, and the members of a lease role.
 *
 * <p>The principal's own role is never altered, never dropped, and its standing privileges are
 * never read or touched: all that a lease adds is held by the lease role, a NOLOGIN managed role
 * granted to the principal's role.
 */
final class EntraPrincipals {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  /** The database Azure's {@code pgaadauth} functions are run in. */
  static final String DATABASE = "postgres";

  /** Insufficient privilege: not an Entra administrator. */
  static final String NOT_ALLOWED = "42501";

  /** Duplicate object: the role was created meanwhile. */
  static final String CREATED_MEANWHILE = "42710";

  /** Undefined function: the server has no Entra authentication. */
  static final String NO_ENTRA = "42883";

  /** Object not in prerequisite state: the principal's role does not inherit (before 16). */
  static final String NOINHERIT_SQLSTATE = "55000";

  /**
   * The principal's role, if it exists: whether it inherits, is a superuser, is a role Grantsmith
   * manages (a member of the marker) or the connector itself, and whether it is a member of the
   * lease role already. Parameters: the marker role, the lease role, the principal's role.
   */
  static final String ROLE =
      "SELECT r.rolinherit, r.rolsuper, r.rolname = current_user AS connector,"
          + " EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles k ON k.oid = m.roleid"
          + " WHERE m.member = r.oid AND k.rolname = ?) AS managed,"
          + " EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles l ON l.oid = m.roleid"
          + " WHERE m.member = r.oid AND l.rolname = ?) AS member"
          + " FROM pg_roles r WHERE r.rolname = ?";

  /** Azure's mapping of a role to an Entra principal. Parameters: the role. */
  static final String MAPPING =
      "SELECT principaltype::text, objectid::text"
          + " FROM pg_catalog.pgaadauth_list_principals(false) WHERE rolname::text = ?";

  /**
   * The members of the roles ({@code text[]} parameter) other than the current user and roles that
   * hold ADMIN OPTION on them (who administer them): member, role, grantor, and whether the
   * connector can revoke the membership (as {@code FootprintQueries.memberships} decides).
   */
  static String members(int majorVersion) {
    String removable =
        majorVersion >= 16
            ? "(m.grantor = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
                + " OR pg_has_role(m.grantor, 'USAGE'))"
            : "NOT g.rolsuper AND (SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user)";
    return "SELECT u.rolname::text, g.rolname::text, pg_get_userbyid(m.grantor)::text, "
        + removable
        + " FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member"
        + " JOIN pg_roles g ON g.oid = m.roleid"
        + " WHERE g.rolname = ANY(?::text[]) AND u.rolname <> current_user"
        + " AND NOT EXISTS (SELECT 1 FROM pg_auth_members a WHERE a.member = m.member"
        + " AND a.roleid = m.roleid AND a.admin_option)"
        + " ORDER BY 2, 1, 3";
  }

  private EntraPrincipals() {}

  /**
   * The principal's role as read before a grant.
   *
   * @param exists whether the role exists
   * @param inherit whether it has INHERIT
   * @param member whether it is a member of the lease role already
   */
  record Found(boolean exists, boolean inherit, boolean member) {}

  /**
   * Reads the principal's role and checks, before any SQL is sent, that a lease may be granted to
   * it: it is no superuser, not the connector, not a role Grantsmith manages; where Azure's mapping
   * can be read ({@code pgaadauth_list_principals}), it is mapped to this object id and type;
   * before PostgreSQL 16 it has INHERIT (the plain membership the lease role gets relies on it).
   *
   * @throws GrantsmithException naming the role and the reason, if it may not
   */
  static Found read(ManagerRuntime rt, EntraPrincipal p, String leaseRole, ServerState server) {
    String name = p.roleName();
    List<boolean[]> rows =
        rt.query(
            rt.shared(),
            ROLE,
            "read the role of the Entra principal " + name,
            rs ->
                new boolean[] {
                  rs.getBoolean("rolinherit"),
                  rs.getBoolean("rolsuper"),
                  rs.getBoolean("connector"),
                  rs.getBoolean("managed"),
                  rs.getBoolean("member")
                },
            rt.config.marker(),
            leaseRole,
            name);
    if (rows.isEmpty()) {
      return new Found(false, true, false);
    }
    boolean[] f = rows.get(0);
    String refused = f[1] ? "a superuser" : f[2] ? "the connector itself" : f[3] ? "managed" : null;
    if (refused != null) {
      throw new GrantsmithException(
          "Refused to grant to the Entra "
              + p.type().label()
              + " "
              + name
              + ": its role is "
              + (refused.equals("managed") ? "a role Grantsmith manages" : refused)
              + "; nothing was changed");
    }
    checkMapping(rt, p, server);
    if (server.major() < 16 && !f[0]) {
      throw new GrantsmithException(
          "Refused to grant to the Entra "
              + p.type().label()
              + " "
              + name
              + ": its role is NOINHERIT, and before PostgreSQL 16 a membership passes no"
              + " privileges to a NOINHERIT role; an administrator can run ALTER ROLE "
              + Sql.ident(name)
              + " INHERIT. Nothing was changed");
    }
    return new Found(true, f[0], f[4]);
  }

  /** Refuses an existing role that Azure maps to another principal, or to none. */
  private static void checkMapping(ManagerRuntime rt, EntraPrincipal p, ServerState server) {
    if (!server.databases().contains(DATABASE)) {
      LOG.warn(
          "Cannot check that {} is mapped to Entra object {}: the connector cannot connect to {}",
          p.roleName(),
          p.objectId(),
          DATABASE);
      return;
    }
    List<String[]> mapped;
    try (Connection c = rt.connections.open(DATABASE)) {
      mapped =
          ManagerRuntime.rows(
              c, MAPPING, rs -> new String[] {rs.getString(1), rs.getString(2)}, p.roleName());
    } catch (SQLException e) {
      // Azure's functions may be missing (no Entra) or not executable by the connector: the role
      // exists, so it is granted to as named, and the mapping is left unchecked.
      LOG.warn(
          "Cannot read Azure's Entra mapping of {} (SQLSTATE {}); granting to the role as named",
          p.roleName(),
          e.getSQLState());
      return;
    }
    if (mapped.isEmpty()) {
      throw new GrantsmithException(
          "Refused to grant to the Entra "
              + p.type().label()
              + " "
              + p.roleName()
              + ": a role of that name exists but is not a Microsoft Entra principal"
              + " (pgaadauth_list_principals does not list it); nothing was changed");
    }
    String type = mapped.get(0)[0];
    String oid = mapped.get(0)[1];
    if (!p.type().label().equalsIgnoreCase(type) || !sameUuid(p.objectId(), oid)) {
      throw new GrantsmithException(
          "Refused to grant to the Entra "
              + p.type().label()
              + " "
              + p.roleName()
              + " with object id "
              + p.objectId()
              + ": its role is mapped to the Entra "
              + type
              + " with object id "
              + oid
              + "; nothing was changed");
    }
  }

  private static boolean sameUuid(String a, String b) {
    try {
      return b != null && UUID.fromString(a).equals(UUID.fromString(b));
    } catch (IllegalArgumentException e) {
      return a.equalsIgnoreCase(b);
    }
  }

  /**
   * {@code SELECT pg_catalog.pgaadauth_create_principal_with_oid(roleName, objectId, objectType,
   * false, isMfa)}, every text argument a quoted literal: what creates a principal's role on Azure.
   */
  static String createSql(EntraPrincipal p) {
    return "SELECT pg_catalog.pgaadauth_create_principal_with_oid("
        + literal(p.roleName())
        + ", "
        + literal(p.objectId().toLowerCase(Locale.ROOT))
        + ", "
        + literal(p.type().label())
        + ", false, "
        + p.mfa()
        + ")";
  }

  /** The description of the step that creates the principal's role. */
  static String createDescription(EntraPrincipal p) {
    return "create the role of the Entra " + p.type().label() + " " + p.roleName();
  }

  /**
   * The step that creates the principal's role, in {@value #DATABASE}, on its own (a {@code
   * SELECT}, which a batch cannot carry); only an Entra administrator may run it.
   */
  static Step createStep(EntraPrincipal p) {
    return Step.builder()
        .database(DATABASE)
        .description(createDescription(p))
        .autocommit(true)
        .addStatement(Statement.of(DATABASE, createSql(p), createDescription(p)))
        .build();
  }

  /**
   * The refusal when the connector may not create the principal's role: it names the statement an
   * Entra administrator runs instead.
   */
  static GrantsmithException notAllowed(String connector, EntraPrincipal p, Exception cause) {
    return new GrantsmithException(
        "The connector "
            + connector
            + " may not create the role of the Entra "
            + p.type().label()
            + " "
            + p.roleName()
            + " (SQLSTATE "
            + NOT_ALLOWED
            + "): only a Microsoft Entra administrator of the server may. Nothing was changed."
            + " An Entra administrator can run, in the database "
            + DATABASE
            + ": "
            + createSql(p)
            + "; then grant again",
        cause);
  }

  /** The refusal when the server has no Entra authentication. */
  static GrantsmithException noEntra(EntraPrincipal p, Exception cause) {
    return new GrantsmithException(
        "Cannot create the role of the Entra "
            + p.type().label()
            + " "
            + p.roleName()
            + ": the server has no pgaadauth_create_principal_with_oid (SQLSTATE "
            + NO_ENTRA
            + "); enable Microsoft Entra authentication on the server. Nothing was changed",
        cause);
  }

  /**
   * Grants the lease role to the principal's role: on 16+ {@code WITH INHERIT TRUE, SET FALSE} (its
   * privileges pass on, {@code SET ROLE} to it is refused); before 16 a plain membership, guarded:
   * it fails with SQLSTATE {@value #NOINHERIT_SQLSTATE} if the principal's role is NOINHERIT (it
   * would not pass the privileges on) or missing.
   */
  static List<Statement> grantLease(Renderer r, String db, String leaseRole, String principal) {
    List<Statement> out = new ArrayList<>();
    if (r.majorVersion() < 16) {
      String body =
          " BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
              + literal(principal)
              + " AND rolinherit) THEN RAISE EXCEPTION 'role % is missing or NOINHERIT', "
              + literal(principal)
              + " USING ERRCODE = '"
              + NOINHERIT_SQLSTATE
              + "'; END IF; END ";
      String tag = "$grantsmith$";
      for (int i = 0; body.contains(tag); i++) {
        tag = "$grantsmith" + i + "$";
      }
      out.add(
          Statement.of(
              db, "DO " + tag + body + tag, "check that the role " + principal + " inherits"));
    }
    out.add(
        Statement.of(
            db,
            "GRANT "
                + r.id(leaseRole)
                + " TO "
                + r.id(principal)
                + (r.majorVersion() >= 16 ? " WITH INHERIT TRUE, SET FALSE" : ""),
            "grant the lease role " + leaseRole + " to the Entra principal " + principal));
    return out;
  }

  /**
   * Ends the sessions of the principal's role that the connector may signal: those of a role whose
   * privileges it has, or all if it has {@code pg_signal_backend}'s; never a superuser's. On Azure
   * the connector usually may not (the role is not its own): such sessions stay open, and lose the
   * lease's privileges at their next statement, since membership is checked per statement.
   */
  static Statement terminateSessions(String db, String principal) {
    return Statement.of(
        db,
        "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a"
            + " JOIN pg_roles r ON r.oid = a.usesysid WHERE r.rolname = "
            + literal(principal)
            + " AND a.pid <> pg_backend_pid() AND NOT r.rolsuper"
            + " AND (pg_has_role(a.usesysid, 'USAGE') OR pg_has_role('pg_signal_backend', 'USAGE'))",
        "end the sessions of the Entra principal " + principal + " that the connector may signal");
  }

  /**
   * The members of {@code roles} other than the connector and the roles administering them, as
   * memberships (the member as the item's role, the lease role as its name), read in the shared
   * database.
   */
  static List<Footprint.Held> members(ManagerRuntime rt, Collection<String> roles, int major) {
    if (roles.isEmpty()) {
      return List.of();
    }
    String shared = rt.shared();
    return rt.query(
        shared,
        members(major),
        "read the members of " + roles,
        rs ->
            new Footprint.Held(
                rs.getString(1),
                shared,
                Footprint.Kind.MEMBERSHIP,
                "role",
                List.of(rs.getString(2)),
                List.of(),
                null,
                null,
                rs.getString(3),
                rs.getBoolean(4)),
        (Object) roles.toArray(String[]::new));
  }

  /** The members of one lease role other than the connector and its administrators. */
  static List<Footprint.Held> members(ManagerRuntime rt, String leaseRole, int major) {
    return members(rt, Set.of(leaseRole), major);
  }

  /** A leftover membership in a lease role, with the statement its grantor runs. */
  static Leftover leftover(Renderer r, Footprint.Held member, String connector) {
    return Leftover.builder()
        .role(member.role())
        .database(member.database())
        .object("role " + member.names().get(0))
        .privilege("member")
        .grantor(member.grantor() != null ? member.grantor() : connector)
        .statement(Footprint.removal(r, member, connector).sql())
        .build();
  }
}
