package io.grantsmith.postgres.azure.internal;

/** The catalog queries of {@code Discovery}: one per server, one for roles, one per database. */
public final class DiscoveryQueries {
  private DiscoveryQueries() {}

  /**
   * The server's major version and its databases (name, owner, whether the current user may
   * connect), except templates and Azure's own. Parameters: none.
   */
  public static final String DATABASES =
      "SELECT current_setting('server_version_num')::int"
          + " / 10000 AS major, d.datname::text, pg_catalog.pg_get_userbyid(d.datdba)::text,"
          + " has_database_privilege(d.oid, 'CONNECT')"
          + " FROM pg_catalog.pg_database d WHERE d.datallowconn AND NOT d.datistemplate AND "
          + SetupSql.databaseFilter("d.datname")
          + " AND d.datname <> 'template1'"
          + " ORDER BY d.datname COLLATE \"C\"";

  /**
   * The roles people use: not created by initdb, not {@code pg_*}, {@code azure_*}, {@code azuresu}
   * or {@code replication}, not the current user (the connector), not the marker role, and not a
   * member of the marker role without ADMIN OPTION (a managed user). Parameters: the marker role
   * twice.
   */
  public static final String ROLES =
      "SELECT r.rolname::text, r.rolcanlogin, r.rolinherit,"
          + " r.rolcreaterole, r.rolcreatedb,"
          + " CASE WHEN pg_catalog.isfinite(r.rolvaliduntil)"
          + " THEN (extract(epoch FROM r.rolvaliduntil) * 1000000)::bigint END,"
          + " pg_catalog.shobj_description(r.oid, 'pg_authid'),"
          + " array(SELECT DISTINCT g.rolname::text FROM pg_catalog.pg_auth_members am"
          + " JOIN pg_catalog.pg_roles g ON g.oid = am.roleid WHERE am.member = r.oid"
          + " ORDER BY 1)"
          + " FROM pg_catalog.pg_roles r"
          + " WHERE r.oid >= 16384 AND left(r.rolname, 3) <> 'pg_'"
          + " AND left(r.rolname, 6) <> 'azure_' AND r.rolname NOT IN ('azuresu', 'replication')"
          + " AND r.rolname <> current_user AND r.rolname <> ?"
          + " AND NOT EXISTS (SELECT FROM pg_catalog.pg_auth_members am"
          + " JOIN pg_catalog.pg_roles m ON m.oid = am.roleid"
          + " WHERE m.rolname = ? AND am.member = r.oid AND NOT am.admin_option)"
          + " ORDER BY r.rolname COLLATE \"C\"";

  /**
   * Everything in one database: schemas (kind {@code n}), relations ({@code r}, with relkind),
   * sequences ({@code S}) and functions ({@code f}, with prokind and identity arguments), each with
   * its owner. Parameters: four booleans, whether to read schemas, relations, sequences and
   * functions.
   */
  public static final String OBJECTS =
      "WITH s AS (SELECT n.oid, n.nspname::text AS nspname,"
          + " pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner FROM pg_catalog.pg_namespace n"
          + " WHERE "
          + SetupSql.schemaFilter("n.nspname")
          + ")"
          + " SELECT * FROM (SELECT 1 AS ord, 'n' AS kind, s.nspname, NULL::text AS name, NULL::text AS args,"
          + " NULL::text AS sub, s.owner FROM s WHERE ?"
          + " UNION ALL SELECT 2, 'r', s.nspname, c.relname::text, NULL, c.relkind::text,"
          + " pg_catalog.pg_get_userbyid(c.relowner)::text"
          + " FROM pg_catalog.pg_class c JOIN s ON s.oid = c.relnamespace"
          + " WHERE ? AND c.relkind IN ('r', 'v', 'm', 'f', 'p')"
          + " UNION ALL SELECT 3, 'S', s.nspname, c.relname::text, NULL, NULL,"
          + " pg_catalog.pg_get_userbyid(c.relowner)::text"
          + " FROM pg_catalog.pg_class c JOIN s ON s.oid = c.relnamespace"
          + " WHERE ? AND c.relkind = 'S'"
          + " UNION ALL SELECT 4, 'f', s.nspname, p.proname::text,"
          + " pg_catalog.pg_get_function_identity_arguments(p.oid), p.prokind::text,"
          + " pg_catalog.pg_get_userbyid(p.proowner)::text"
          + " FROM pg_catalog.pg_proc p JOIN s ON s.oid = p.pronamespace"
          + " WHERE ? AND p.prokind IN ('f', 'p')"
          + ") o ORDER BY ord, nspname COLLATE \"C\", name COLLATE \"C\", args COLLATE \"C\"";
}
