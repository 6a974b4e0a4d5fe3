package io.grantsmith.postgres.azure.internal;

/**
 * The queries of the access lifecycle: the managed users and their leases, the databases the
 * connector may use, what a user holds where, and the sweep's lock. Parameters are bound, never
 * written into the text.
 */
public final class LifecycleQueries {
  private LifecycleQueries() {}

  /** The connector's own role name. Parameters: none. */
  public static final String CURRENT_USER = "SELECT current_user";

  /** A query that proves a session works. Parameters: none. */
  public static final String PING = "SELECT 1";

  /**
   * The databases the connector can connect to, except templates, by name. Parameters: none.
   * Azure's own databases are left out by the caller.
   */
  public static final String CONNECTABLE_DATABASES =
      "SELECT datname::text FROM pg_database"
          + " WHERE datallowconn AND NOT datistemplate"
          + " AND has_database_privilege(oid, 'CONNECT') ORDER BY datname";

  /**
   * Of the databases given, those where the connector cannot grant CONNECT (created after the
   * connector setup). Parameters: the database names ({@code text[]}).
   */
  public static final String NOT_SET_UP =
      "SELECT datname::text FROM pg_database"
          + " WHERE datname = ANY (?)"
          + " AND NOT has_database_privilege(oid, 'CONNECT WITH GRANT OPTION') ORDER BY datname";

  /**
   * The sequences owned by a relation's columns ({@code pg_depend} auto or internal: serial and
   * identity columns), as schema and name. Parameters: the relation's schema and name.
   */
  public static final String OWNED_SEQUENCES =
      "SELECT n.nspname::text, s.relname::text"
          + " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
          + " JOIN pg_namespace n ON n.oid = s.relnamespace"
          + " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
          + " AND d.deptype IN ('a', 'i') AND d.refobjid = (SELECT t.oid FROM pg_class t"
          + " JOIN pg_namespace tn ON tn.oid = t.relnamespace"
          + " WHERE tn.nspname = ? AND t.relname = ?)";

  /**
   * The first database, by name, other than the shared one where a role holds CONNECT itself or
   * through a role it is a direct member of (its bundles), else the shared one if it holds it
   * there. Parameters: the role, the shared database.
   */
  public static final String CONNECT_DATABASE =
      "WITH u AS (SELECT oid FROM pg_roles WHERE rolname = ?)"
          + " SELECT d.datname::text FROM pg_database d"
          + " CROSS JOIN LATERAL aclexplode(d.datacl) a"
          + " WHERE (a.grantee = (SELECT oid FROM u) OR a.grantee IN (SELECT m.roleid"
          + " FROM pg_auth_members m WHERE m.member = (SELECT oid FROM u)))"
          + " AND a.privilege_type = 'CONNECT'"
          + " ORDER BY d.datname::text = ?, d.datname LIMIT 1";

  /**
   * One row if a role exists: whether it is a member of the marker role without ADMIN OPTION (a
   * managed user). Parameters: the marker role, the role.
   */
  public static final String MANAGED_OR_ABSENT =
      "SELECT EXISTS (SELECT 1 FROM pg_auth_members m"
          + " JOIN pg_roles k ON k.oid = m.roleid WHERE m.member = r.oid"
          + " AND NOT m.admin_option AND k.rolname = ?) FROM pg_roles r WHERE r.rolname = ?";

  /**
   * The databases in which a role owns objects or holds privileges, from the server's dependency
   * records; NULL for shared objects. Parameters: the role.
   */
  public static final String FOOTPRINT_DATABASES =
      "SELECT DISTINCT d.datname::text"
          + " FROM pg_shdepend s LEFT JOIN pg_database d ON d.oid = s.dbid"
          + " WHERE s.refclassid = 'pg_authid'::regclass"
          + " AND s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = ?)";

  /**
   * For each of the roles given that exists: whether the server's dependency records name it in any
   * database or on a shared object (it owns something, holds a privilege, is named in a policy, or
   * granted something), and whether the current user has its privileges (which ending its sessions
   * needs). One index lookup per role. Parameters: the roles ({@code text[]}). Columns: rolname,
   * traced, signal.
   */
  public static final String TRACED =
      "SELECT r.rolname::text AS rolname, EXISTS (SELECT 1 FROM pg_shdepend s"
          + " WHERE s.refclassid = 'pg_authid'::regclass AND s.refobjid = r.oid) AS traced,"
          + " pg_has_role(r.oid, 'USAGE') AS signal"
          + " FROM pg_roles r WHERE r.rolname = ANY (?::text[])";

  /**
   * Every membership of the roles given, whoever granted it: the member, the granted role, the
   * grantor, whether with ADMIN OPTION, and whether the granted role is a bundle (the bundle marker
   * role is a member of it). Parameters: the bundle marker role, the roles ({@code text[]}).
   * Columns: rolname, granted, grantor, admin_option, bundle.
   */
  public static final String MEMBERSHIPS_OF =
      "SELECT u.rolname::text AS rolname, g.rolname::text AS granted,"
          + " pg_get_userbyid(m.grantor)::text AS grantor, m.admin_option,"
          + " EXISTS (SELECT 1 FROM pg_auth_members b JOIN pg_roles k ON k.oid = b.member"
          + " WHERE b.roleid = g.oid AND k.rolname = ?) AS bundle"
          + " FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member"
          + " JOIN pg_roles g ON g.oid = m.roleid WHERE u.rolname = ANY (?::text[])"
          + " ORDER BY 1, 2, 3";

  /** The roles a role is a member of. Parameters: the role. */
  public static final String MEMBER_OF =
      "SELECT g.rolname::text"
          + " FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
          + " WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = ?)";

  /**
   * A statement that reads nothing, sent twice in one transaction to check that a pooler keeps the
   * transaction on one server connection. Parameters: none.
   */
  public static final String PROBE = "SELECT 1";

  /**
   * Takes the transaction-scoped advisory lock {@code key} if it is free; the transaction's end
   * releases it, so that it never outlives the transaction on a pooled server connection.
   * Parameters: none.
   *
   * @param key the lock key
   * @return the SQL, returning one boolean
   */
  public static String tryTransactionLock(long key) {
    return "SELECT pg_try_advisory_xact_lock(" + key + ")";
  }

  /**
   * The managed roles (members of the marker role without ADMIN OPTION on it): login flag, {@code
   * VALID UNTIL}, the comment and, when it looks like a lease, its members (read with jsonb
   * operators), and the count of open sessions. The comment is cast to jsonb only when it looks
   * like a lease (and, on 16+, when {@code pg_input_is_valid} says it is JSON), so a hand-written
   * comment never breaks the read. Parameters: the marker role and, with {@code one}, the role.
   *
   * @param majorVersion the server's major version
   * @param one whether to read one role only
   * @return the SQL
   */
  public static String leases(int majorVersion, boolean one) {
    return leases(majorVersion, one ? "AND r.rolname = ?" : "");
  }

  /**
   * {@link #leases(int, boolean)} of the managed roles among those given. Parameters: the marker
   * role, the roles ({@code text[]}).
   *
   * @param majorVersion the server's major version
   * @return the SQL
   */
  public static String leasesOf(int majorVersion) {
    return leases(majorVersion, "AND r.rolname = ANY (?::text[])");
  }

  private static String leases(int majorVersion, String filter) {
    String valid = majorVersion >= 16 ? " AND pg_input_is_valid(c.txt, 'jsonb')" : "";
    return String.join(
        "\n",
        "SELECT r.rolname::text AS rolname, r.rolcanlogin, r.rolvaliduntil, c.txt,",
        "  x.j ->> 'integration' AS integration, x.j ->> 'requestId' AS request_id,",
        "  x.j ->> 'grantee' AS grantee, x.j ->> 'grantedAt' AS granted_at,",
        "  x.j ->> 'expiresAt' AS expires_at, x.j ->> 'cleanupAt' AS cleanup_at,",
        "  x.j ->> 'passwordSetAt' AS password_set_at, x.j ->> 'revokedAt' AS revoked_at,",
        "  ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(x.j -> 'requests')",
        "    = 'array' THEN x.j -> 'requests' ELSE '[]'::jsonb END)) AS requests,",
        "  CASE WHEN jsonb_typeof(x.j -> 'approved') = 'array' THEN ARRAY(SELECT ARRAY[",
        "    e ->> 'level', e ->> 'kind', e ->> 'database', e ->> 'schema', e ->> 'name',",
        "    e ->> 'args'] FROM jsonb_array_elements(x.j -> 'approved') e) END AS approved,",
        "  (SELECT count(*) FROM pg_stat_activity a WHERE a.usesysid = r.oid)::int AS sessions,",
        "  x.j -> 'entra' ->> 'type' AS entra_type, x.j -> 'entra' ->> 'objectId' AS entra_oid,",
        "  x.j -> 'entra' ->> 'roleName' AS entra_role, x.j -> 'entra' ->> 'mfa' AS entra_mfa",
        "FROM pg_roles r",
        "CROSS JOIN LATERAL (SELECT shobj_description(r.oid, 'pg_authid') AS txt) c",
        "CROSS JOIN LATERAL (SELECT CASE WHEN left(c.txt, 15) = '{\"grantsmith\":1'"
            + " AND right(c.txt, 1) = '}'"
            + valid
            + " THEN c.txt::jsonb END AS j) x",
        "WHERE EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles k ON k.oid = m.roleid",
        // Members holding ADMIN OPTION administer the marker (the connector; on 16+ whoever
        // created it): they are not managed users.
        "  WHERE m.member = r.oid AND NOT m.admin_option AND k.rolname = ?)",
        filter,
        "ORDER BY r.rolname");
  }
}
