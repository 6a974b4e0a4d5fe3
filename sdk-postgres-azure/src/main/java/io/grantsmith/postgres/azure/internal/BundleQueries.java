package io.grantsmith.postgres.azure.internal;

/**
 * The queries of shared bundle roles: what a bundle lacks of its key in a database, and every
 * bundle with its key, state and members. Parameters are bound, never written into the text.
 */
public final class BundleQueries {
  private BundleQueries() {}

  /**
   * The objects in a bundle's scope, in the current database, that lack some privilege of its key,
   * with the privileges they lack; one query, which returns no row for a bundle that is up to date
   * (whatever the number of objects in scope). A row with {@code target} true is the resource the
   * key names (returned even if it lacks nothing, to prove that it exists). Parameters: the
   * resource's kind ({@code DATABASE}, {@code SCHEMA}, {@code RELATION}, {@code SEQUENCE}, {@code
   * FUNCTION}), schema, name and identity arguments (null where the kind has none); the privilege
   * keywords ({@code text[]}) on the database, on schemas, relations, sequences and functions; a
   * flag to read the bundle as holding nothing; the bundle's name. Columns: kind, schema, name,
   * args, missing ({@code text[]}), target.
   */
  public static final String MISSING =
      String.join(
          "\n",
          "WITH p AS (SELECT ?::text AS kind, ?::text AS sch, ?::text AS nam, ?::text AS args,",
          "    ?::text[] AS dpriv, ?::text[] AS npriv, ?::text[] AS rpriv, ?::text[] AS spriv,",
          "    ?::text[] AS fpriv, CASE WHEN ?::boolean THEN NULL::oid",
          "    ELSE (SELECT oid FROM pg_roles WHERE rolname = ?) END AS bid),",
          "ns AS (SELECT n.oid, n.nspname, n.nspowner, n.nspacl FROM pg_namespace n",
          "    WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'cron')),",
          // The relation a key names, whose own sequences (serial, identity) come with it.
          "tr AS (SELECT c.oid FROM pg_class c JOIN ns n ON n.oid = c.relnamespace, p",
          "    WHERE p.kind = 'RELATION' AND n.nspname = p.sch AND c.relname = p.nam",
          "      AND c.relkind IN ('r', 'v', 'm', 'f', 'p')),",
          "o AS (",
          "  SELECT 'DATABASE'::text AS k, NULL::text AS s, d.datname::text AS n, NULL::text AS a,",
          "         coalesce(d.datacl, acldefault('d', d.datdba)) AS acl, p.dpriv AS want,",
          "         p.kind = 'DATABASE' AS target",
          "  FROM pg_database d, p WHERE d.datname = current_database()",
          "  UNION ALL",
          "  SELECT 'SCHEMA', n.nspname::text, NULL, NULL,",
          "         coalesce(n.nspacl, acldefault('n', n.nspowner)), p.npriv, p.kind = 'SCHEMA'",
          "  FROM ns n, p WHERE p.kind = 'DATABASE' OR n.nspname = p.sch",
          "  UNION ALL",
          "  SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'RELATION' END,",
          "         n.nspname::text, c.relname::text, NULL,",
          "         coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END"
              + "::\"char\", c.relowner)),",
          "         CASE WHEN c.relkind = 'S' THEN p.spriv ELSE p.rpriv END,",
          "         p.kind = CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'RELATION' END"
              + " AND n.nspname = p.sch AND c.relname = p.nam",
          "  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace, p",
          "  WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p', 'S') AND (p.kind = 'DATABASE'",
          "    OR p.kind = 'SCHEMA' AND n.nspname = p.sch",
          "    OR p.kind IN ('RELATION', 'SEQUENCE') AND n.nspname = p.sch AND c.relname = p.nam",
          "    OR p.kind = 'RELATION' AND c.relkind = 'S' AND c.oid IN (SELECT d.objid"
              + " FROM pg_depend d",
          "      WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass",
          "        AND d.deptype IN ('a', 'i') AND d.refobjid IN (SELECT oid FROM tr)))",
          "  UNION ALL",
          "  SELECT 'FUNCTION', n.nspname::text, f.proname::text,"
              + " pg_get_function_identity_arguments(f.oid),",
          "         coalesce(f.proacl, acldefault('f', f.proowner)), p.fpriv,",
          "         p.kind = 'FUNCTION' AND n.nspname = p.sch AND f.proname = p.nam",
          "           AND pg_get_function_identity_arguments(f.oid) = p.args",
          "  FROM pg_proc f JOIN ns n ON n.oid = f.pronamespace, p",
          "  WHERE f.prokind IN ('f', 'p') AND (p.kind = 'DATABASE'",
          "    OR p.kind = 'SCHEMA' AND n.nspname = p.sch",
          "    OR p.kind = 'FUNCTION' AND n.nspname = p.sch AND f.proname = p.nam",
          "      AND pg_get_function_identity_arguments(f.oid) = p.args)),",
          "m AS (SELECT o.k, o.s, o.n, o.a, o.target, ARRAY(SELECT w FROM unnest(o.want) w",
          "    WHERE NOT EXISTS (SELECT 1 FROM aclexplode(o.acl) x, p",
          "      WHERE x.grantee = p.bid AND x.privilege_type = w) ORDER BY w) AS missing",
          "  FROM o)",
          "SELECT k AS kind, s AS schema, n AS name, a AS args, missing, target FROM m",
          "WHERE cardinality(missing) > 0 OR target");

  /**
   * Whether a bundle holds anything beyond its key, whoever granted it, read from the connection's
   * database: a membership in another role, an owned object or a policy, a privilege in another
   * database, a privilege with the grant option, on an object out of the key's scope (a column, a
   * default privilege, a type, ...) or not among the key's privileges for its kind. One query over
   * the server's dependency records of the bundle; it errs on the side of "yes" (a yes is then read
   * item by item, as the drift report does). Parameters: the bundle's name; the key's resource
   * kind, schema, name and identity arguments; the privilege keywords ({@code text[]}) on the
   * database, schemas, relations, sequences and functions. Column: beyond.
   */
  public static final String BEYOND =
      String.join(
          "\n",
          "WITH p AS (SELECT (SELECT oid FROM pg_roles WHERE rolname = ?) AS bid, ?::text AS kind,",
          "    ?::text AS sch, ?::text AS nam, ?::text AS args, ?::text[] AS dpriv,",
          "    ?::text[] AS npriv, ?::text[] AS rpriv, ?::text[] AS spriv, ?::text[] AS fpriv,",
          "    (SELECT oid FROM pg_database WHERE datname = current_database()) AS here),",
          "tr AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, p",
          "    WHERE p.kind = 'RELATION' AND n.nspname = p.sch AND c.relname = p.nam),",
          "dep AS (SELECT s.classid, s.objid, s.objsubid, s.deptype, s.dbid FROM pg_shdepend s, p",
          "    WHERE s.refclassid = 'pg_authid'::regclass AND s.refobjid = p.bid),",
          // A schema is in scope if it is managed and the key covers it.
          "ns AS (SELECT n.oid, n.nspname, n.nspacl FROM pg_namespace n, p",
          "    WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'cron')",
          "      AND (p.kind = 'DATABASE' OR n.nspname = p.sch))",
          "SELECT EXISTS (SELECT 1 FROM pg_auth_members m, p WHERE m.member = p.bid)",
          "  OR EXISTS (SELECT 1 FROM dep d, p WHERE d.deptype <> 'a'",
          "    OR d.dbid <> 0 AND d.dbid <> p.here OR d.objsubid <> 0",
          "    OR d.classid NOT IN ('pg_database'::regclass, 'pg_namespace'::regclass,",
          "                         'pg_class'::regclass, 'pg_proc'::regclass)",
          "    OR d.classid = 'pg_database'::regclass AND (d.objid <> p.here OR EXISTS (SELECT 1",
          "      FROM pg_database x, aclexplode(x.datacl) a WHERE x.oid = d.objid",
          "        AND a.grantee = p.bid AND (a.is_grantable OR a.privilege_type <> ALL (p.dpriv))))",
          "    OR d.classid = 'pg_namespace'::regclass AND EXISTS (SELECT 1",
          "      FROM pg_namespace x LEFT JOIN ns ON ns.oid = x.oid, aclexplode(x.nspacl) a",
          "      WHERE x.oid = d.objid AND a.grantee = p.bid AND (ns.oid IS NULL OR a.is_grantable",
          "        OR a.privilege_type <> ALL (p.npriv)))",
          "    OR d.classid = 'pg_class'::regclass AND EXISTS (SELECT 1",
          "      FROM pg_class x LEFT JOIN ns ON ns.oid = x.relnamespace, aclexplode(x.relacl) a",
          "      WHERE x.oid = d.objid AND a.grantee = p.bid AND (ns.oid IS NULL OR a.is_grantable",
          "        OR x.relkind NOT IN ('r', 'v', 'm', 'f', 'p', 'S')",
          "        OR a.privilege_type <> ALL (CASE WHEN x.relkind = 'S' THEN p.spriv"
              + " ELSE p.rpriv END)",
          "        OR NOT (p.kind IN ('DATABASE', 'SCHEMA')",
          "          OR p.kind IN ('RELATION', 'SEQUENCE') AND x.relname = p.nam",
          "          OR p.kind = 'RELATION' AND x.relkind = 'S' AND x.oid IN (SELECT e.objid",
          "            FROM pg_depend e WHERE e.classid = 'pg_class'::regclass",
          "              AND e.refclassid = 'pg_class'::regclass AND e.deptype IN ('a', 'i')",
          "              AND e.refobjid IN (SELECT oid FROM tr)))))",
          "    OR d.classid = 'pg_proc'::regclass AND EXISTS (SELECT 1",
          "      FROM pg_proc x LEFT JOIN ns ON ns.oid = x.pronamespace, aclexplode(x.proacl) a",
          "      WHERE x.oid = d.objid AND a.grantee = p.bid AND (ns.oid IS NULL OR a.is_grantable",
          "        OR a.privilege_type <> ALL (p.fpriv)",
          "        OR NOT (p.kind IN ('DATABASE', 'SCHEMA') OR p.kind = 'FUNCTION'",
          "          AND x.proname = p.nam AND pg_get_function_identity_arguments(x.oid) = p.args))))",
          "  AS beyond");

  /**
   * A role's comment and whether it is a bundle (the bundle marker role is a member of it); no row
   * if the role does not exist. Parameters: the bundle marker role, the role.
   */
  public static final String STATE =
      "SELECT shobj_description(r.oid, 'pg_authid') AS txt, EXISTS (SELECT 1"
          + " FROM pg_auth_members m JOIN pg_roles k ON k.oid = m.member WHERE m.roleid = r.oid"
          + " AND k.rolname = ?) AS bundle"
          + " FROM pg_roles r WHERE r.rolname = ?";

  /**
   * The condition that member {@code u} of bundle {@code bundleOid} is not there to administer it:
   * not the current user, not the bundle marker, holding ADMIN OPTION neither on the bundle nor on
   * the marker role (as every connector does).
   *
   * @param bundleOid the bundle's oid, as SQL
   * @param u the alias of the member's {@code pg_roles} row
   * @param bundleMarker the bundle marker's name, as SQL
   * @param marker the marker role's name, as SQL
   * @return the SQL condition
   */
  public static String notAdministering(
      String bundleOid, String u, String bundleMarker, String marker) {
    return u
        + ".rolname <> current_user AND "
        + u
        + ".rolname <> "
        + bundleMarker
        + " AND NOT EXISTS (SELECT 1 FROM pg_auth_members a WHERE a.member = "
        + u
        + ".oid AND a.admin_option AND (a.roleid = "
        + bundleOid
        + " OR a.roleid = (SELECT oid FROM pg_roles WHERE rolname = "
        + marker
        + ")))";
  }

  /**
   * Every bundle (a role the bundle marker role is a member of) that the current user is a member
   * of (the connector that created it): its comment, the key read from it with jsonb operators
   * (null members if the comment holds no key), the privileges as {@code KIND:KEYWORD} texts, its
   * state members, and its members other than the current user, the bundle marker and those
   * administering it or the marker role (connectors). Parameters: the bundle marker role, the
   * marker role, the bundle marker role.
   *
   * @param majorVersion the server's major version
   * @return the SQL
   */
  public static String bundles(int majorVersion) {
    String valid = majorVersion >= 16 ? " AND pg_input_is_valid(c.txt, 'jsonb')" : "";
    return String.join(
        "\n",
        "SELECT r.rolname::text AS rolname, c.txt,",
        "  x.j ->> 'database' AS database, x.j ->> 'kind' AS kind, x.j ->> 'schema' AS schema,",
        "  x.j ->> 'name' AS name, x.j ->> 'args' AS args,",
        "  ARRAY(SELECT e.key || ':' || v FROM jsonb_each(CASE WHEN jsonb_typeof(x.j ->"
            + " 'privileges') = 'object' THEN x.j -> 'privileges' ELSE '{}'::jsonb END) e",
        "    CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(e.value)"
            + " = 'array' THEN e.value ELSE '[]'::jsonb END) v) AS privileges,",
        "  x.j ->> '" + BundleKey.UNUSED_SINCE + "' AS unused_since,",
        "  x.j ->> '" + BundleKey.DROPPING_AT + "' AS dropping_at,",
        "  ARRAY(SELECT DISTINCT u.rolname::text FROM pg_auth_members m",
        "    JOIN pg_roles u ON u.oid = m.member WHERE m.roleid = r.oid AND NOT m.admin_option",
        "      AND "
            + notAdministering("r.oid", "u", "k0.name", "k0.marker")
            + " ORDER BY 1)"
            + " AS members",
        "FROM pg_roles r CROSS JOIN (SELECT ?::text AS name, ?::text AS marker) k0",
        "CROSS JOIN LATERAL (SELECT shobj_description(r.oid, 'pg_authid') AS txt) c",
        "CROSS JOIN LATERAL (SELECT CASE WHEN left(c.txt, 21) = '{\"grantsmithBundle\":1'"
            + " AND right(c.txt, 1) = '}'"
            + valid
            + " THEN c.txt::jsonb END AS j) x",
        "WHERE EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles k ON k.oid = m.member",
        "  WHERE m.roleid = r.oid AND k.rolname = ?)",
        // The bundles this connector manages: it made itself a member of each it created.
        "  AND pg_has_role(current_user, r.oid, 'MEMBER')",
        "ORDER BY r.rolname");
  }
}
