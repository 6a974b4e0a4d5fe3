package io.grantsmith.postgres.azure.internal;

/**
 * The catalog queries of the connector setup ({@code ConnectorSetup.databases}) and of its
 * verification ({@link SetupVerifier}): one per server for the role, one for the databases, one per
 * database for its schemas and objects.
 */
public final class SetupQueries {
  private SetupQueries() {}

  /**
   * The server's major version and, sorted, the databases the setup covers: those that accept
   * connections and that the current user may connect to, except {@link
   * SetupSql#EXCLUDED_DATABASES}. Parameters: none.
   */
  public static final String DATABASES =
      "SELECT current_setting('server_version_num')::int / 10000 AS major,"
          + " array(SELECT datname::text FROM pg_catalog.pg_database WHERE datallowconn AND "
          + SetupSql.databaseFilter("datname")
          + " AND has_database_privilege(oid, 'CONNECT')"
          + " ORDER BY datname) AS databases";

  /** Azure's function that lists the Microsoft Entra principals mapped to roles. */
  public static final String LIST_ENTRA_PRINCIPALS =
      "pg_catalog.pgaadauth_list_principals(boolean)";

  /**
   * The current user's name, LOGIN and CREATEROLE, whether {@code azure_pg_admin} exists and the
   * user is a member of it and uses its privileges, whether the marker role exists and the user
   * holds it WITH ADMIN OPTION, this session's {@code createrole_self_grant} (null before
   * PostgreSQL 16), and whether {@value #LIST_ENTRA_PRINCIPALS} exists (null if not) and the user
   * may execute it. Parameters: {@code azure_pg_admin}, the marker role.
   */
  public static final String ROLE =
      "SELECT r.rolname, r.rolcanlogin, r.rolcreaterole,"
          + " a.oid IS NOT NULL AS azure_exists,"
          + " coalesce(pg_has_role(r.oid, a.oid, 'MEMBER'), false) AS azure_member,"
          + " coalesce(pg_has_role(r.oid, a.oid, 'USAGE'), false) AS azure_usage,"
          + " m.oid IS NOT NULL AS marker_exists,"
          + " coalesce(pg_has_role(r.oid, m.oid, 'MEMBER WITH ADMIN OPTION'), false) AS marker_admin,"
          + " current_setting('createrole_self_grant', true) AS self_grant,"
          + " (SELECT has_function_privilege(f.p, 'EXECUTE') FROM (SELECT to_regprocedure('"
          + LIST_ENTRA_PRINCIPALS
          + "') AS p) f WHERE f.p IS NOT NULL) AS entra_list"
          + " FROM pg_catalog.pg_roles r"
          + " LEFT JOIN pg_catalog.pg_roles a ON a.rolname = ?"
          + " LEFT JOIN pg_catalog.pg_roles m ON m.rolname = ?"
          + " WHERE r.rolname = current_user";

  /** The Microsoft Entra administrators, their role name first. Parameters: none. */
  public static final String ENTRA_ADMINISTRATORS =
      "SELECT * FROM pg_catalog.pgaadauth_list_principals(true)";

  /**
   * The databases that accept connections (except {@link SetupSql#EXCLUDED_DATABASES}) with whether
   * the current user may grant CONNECT, CREATE and TEMPORARY on each, and whether it may connect.
   * Parameters: none.
   */
  public static final String DATABASE_PRIVILEGES =
      "SELECT datname,"
          + " has_database_privilege(oid, 'CONNECT WITH GRANT OPTION'),"
          + " has_database_privilege(oid, 'CREATE WITH GRANT OPTION'),"
          + " has_database_privilege(oid, 'TEMPORARY WITH GRANT OPTION'),"
          + " has_database_privilege(oid, 'CONNECT')"
          + " FROM pg_catalog.pg_database WHERE datallowconn AND "
          + SetupSql.databaseFilter("datname")
          + " ORDER BY datname";

  /**
   * Per schema, table, sequence and routine (not {@code pg_*}, {@code information_schema} or {@code
   * cron}) of the current database, the first privilege the current user cannot grant, as (kind,
   * schema, name, privilege); objects it can grant everything on have no row. Parameters: none.
   */
  public static final String UNGRANTABLE_OBJECTS =
      "WITH s AS (SELECT oid, nspname FROM"
          + " pg_catalog.pg_namespace WHERE "
          + SetupSql.schemaFilter("nspname")
          + "),"
          + " o AS ("
          + "SELECT 1 AS ord, 'schema' AS kind, s.nspname::text AS schema, NULL::text AS name,"
          + " CASE WHEN NOT has_schema_privilege(s.oid, 'USAGE WITH GRANT OPTION') THEN 'USAGE'"
          + " WHEN NOT has_schema_privilege(s.oid, 'CREATE WITH GRANT OPTION') THEN 'CREATE' END"
          + " AS missing FROM s"
          + " UNION ALL SELECT 2, CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN"
          + " 'materialized view' WHEN 'f' THEN 'foreign table' ELSE 'table' END, s.nspname,"
          + " c.relname, CASE"
          + tableChecks("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
          + " END FROM pg_catalog.pg_class c JOIN s ON s.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relispartition"
          + " UNION ALL SELECT 3, 'sequence', s.nspname, c.relname, CASE"
          + " WHEN NOT has_sequence_privilege(c.oid, 'USAGE WITH GRANT OPTION') THEN 'USAGE'"
          + " WHEN NOT has_sequence_privilege(c.oid, 'SELECT WITH GRANT OPTION') THEN 'SELECT'"
          + " WHEN NOT has_sequence_privilege(c.oid, 'UPDATE WITH GRANT OPTION') THEN 'UPDATE' END"
          + " FROM pg_catalog.pg_class c JOIN s ON s.oid = c.relnamespace WHERE c.relkind = 'S'"
          + " UNION ALL SELECT 4, CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,"
          + " s.nspname, quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
          + " CASE WHEN NOT has_function_privilege(p.oid, 'EXECUTE WITH GRANT OPTION')"
          + " THEN 'EXECUTE' END"
          + " FROM pg_catalog.pg_proc p JOIN s ON s.oid = p.pronamespace"
          + " WHERE p.prokind IN ('f', 'p'))"
          + " SELECT kind, schema, name, missing FROM o WHERE missing IS NOT NULL"
          + " ORDER BY ord, schema, name";

  private static String tableChecks(String... privileges) {
    StringBuilder b = new StringBuilder();
    for (String p : privileges) {
      b.append(" WHEN NOT has_table_privilege(c.oid, '")
          .append(p)
          .append(" WITH GRANT OPTION') THEN '")
          .append(p)
          .append('\'');
    }
    return b.toString();
  }
}
