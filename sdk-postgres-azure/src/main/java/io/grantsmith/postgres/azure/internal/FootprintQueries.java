package io.grantsmith.postgres.azure.internal;

/**
 * The queries that read what roles hold, whoever granted it: every privilege (with its grantor),
 * every owned object and policy the server's dependency records ({@code pg_shdepend}) list for
 * them, and their memberships. They read the catalogs as the connector; nothing in them needs more
 * than connecting.
 */
public final class FootprintQueries {
  private FootprintQueries() {}

  /**
   * One row per privilege a role holds (deptype {@code a}), object it owns ({@code o}) or policy
   * naming it ({@code r}) in the current database and, if the second parameter is true, on shared
   * objects (databases, tablespaces, parameters). Parameters: the role names ({@code text[]}), the
   * shared flag, and a "foreign only" flag: when true, only privileges whose grantor the connector
   * does not inherit from (what {@code DROP OWNED}, run by the connector, cannot remove), which
   * keeps the read small for a user who holds thousands of privileges. Columns: rolname, deptype,
   * type, names, args (as {@code pg_identify_object_as_address} gives them), privilege, fargs (a
   * function's identity arguments), grantor (for a default ACL, its owner), removable (whether the
   * connector may act as that role).
   *
   * @param majorVersion the server's major version
   * @return the SQL
   */
  public static String held(int majorVersion) {
    // 16+: acting as another role needs the SET option of the membership, not only membership.
    String act = majorVersion >= 16 ? "'SET'" : "'MEMBER'";
    String parameterAcl =
        majorVersion >= 15
            ? "      WHEN 'pg_parameter_acl'::regclass THEN"
                + " (SELECT paracl FROM pg_parameter_acl WHERE oid = d.objid)\n"
            : "";
    return String.join(
        "\n",
        "WITH r AS (SELECT oid, rolname::text AS rolname FROM pg_roles",
        "           WHERE rolname = ANY(?::text[])),",
        "dep AS (SELECT s.classid, s.objid, s.objsubid, s.deptype, r.oid AS roleid, r.rolname",
        "        FROM pg_shdepend s JOIN r ON r.oid = s.refobjid",
        "        WHERE s.refclassid = 'pg_authid'::regclass AND s.deptype IN ('a', 'o', 'r')",
        "          AND (s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
        "               OR s.dbid = 0 AND ?::boolean)),",
        "flags AS (SELECT ?::boolean AS foreign_only),",
        // Each entry with its privilege and grantor; OFFSET 0 keeps the filter before the
        // per-row identification below.
        "x AS (SELECT d.*, e.privilege_type, e.grantor, da.defaclrole FROM dep d",
        "  LEFT JOIN pg_default_acl da ON d.classid = 'pg_default_acl'::regclass"
            + " AND da.oid = d.objid",
        "  LEFT JOIN LATERAL (SELECT a.privilege_type, a.grantor FROM aclexplode(CASE d.classid",
        "      WHEN 'pg_class'::regclass THEN CASE WHEN d.objsubid = 0",
        "        THEN (SELECT relacl FROM pg_class WHERE oid = d.objid)",
        "        ELSE (SELECT attacl FROM pg_attribute WHERE attrelid = d.objid"
            + " AND attnum = d.objsubid) END",
        "      WHEN 'pg_namespace'::regclass THEN (SELECT nspacl FROM pg_namespace"
            + " WHERE oid = d.objid)",
        "      WHEN 'pg_proc'::regclass THEN (SELECT proacl FROM pg_proc WHERE oid = d.objid)",
        "      WHEN 'pg_type'::regclass THEN (SELECT typacl FROM pg_type WHERE oid = d.objid)",
        "      WHEN 'pg_language'::regclass THEN (SELECT lanacl FROM pg_language"
            + " WHERE oid = d.objid)",
        "      WHEN 'pg_foreign_data_wrapper'::regclass THEN (SELECT fdwacl"
            + " FROM pg_foreign_data_wrapper WHERE oid = d.objid)",
        "      WHEN 'pg_foreign_server'::regclass THEN (SELECT srvacl FROM pg_foreign_server"
            + " WHERE oid = d.objid)",
        "      WHEN 'pg_largeobject'::regclass THEN (SELECT lomacl FROM pg_largeobject_metadata"
            + " WHERE oid = d.objid)",
        "      WHEN 'pg_default_acl'::regclass THEN da.defaclacl",
        "      WHEN 'pg_database'::regclass THEN (SELECT datacl FROM pg_database"
            + " WHERE oid = d.objid)",
        "      WHEN 'pg_tablespace'::regclass THEN (SELECT spcacl FROM pg_tablespace"
            + " WHERE oid = d.objid)",
        parameterAcl + "    END) a WHERE a.grantee = d.roleid) e ON d.deptype = 'a'",
        "  WHERE (d.deptype <> 'a' OR e.privilege_type IS NOT NULL)",
        "    AND (NOT (SELECT foreign_only FROM flags) OR d.deptype = 'a'",
        "         AND d.classid <> 'pg_default_acl'::regclass"
            + " AND NOT pg_has_role(e.grantor, 'USAGE'))",
        "  OFFSET 0)",
        "SELECT x.rolname, x.deptype::text AS deptype, a.type, a.object_names AS names,",
        "       a.object_args AS args, x.privilege_type AS privilege,",
        "       CASE WHEN x.classid = 'pg_proc'::regclass",
        "            THEN pg_get_function_identity_arguments(x.objid) END AS fargs,",
        "       pg_get_userbyid(CASE WHEN x.classid = 'pg_default_acl'::regclass",
        "            THEN x.defaclrole ELSE x.grantor END)::text AS grantor,",
        "       CASE WHEN x.classid = 'pg_default_acl'::regclass",
        "            THEN pg_has_role(x.defaclrole, " + act + ")",
        "            WHEN x.deptype = 'a' THEN pg_has_role(x.grantor, " + act + ")",
        "            ELSE pg_has_role(x.roleid, 'MEMBER') END AS removable",
        "FROM x CROSS JOIN LATERAL"
            + " pg_identify_object_as_address(x.classid, x.objid, x.objsubid) a",
        "ORDER BY 1, 3, 4::text, 5::text, 6");
  }

  /**
   * One row per membership of the roles ({@code text[]} parameter) in another role. Columns: role,
   * granted, grantor, removable: whether the connector can revoke it (on 15 and older, {@code
   * CREATEROLE} may revoke any membership in a role that is not a superuser; on 16+ only a grant it
   * made itself, or one it may attribute to its grantor).
   *
   * @param majorVersion the server's major version
   * @return the SQL
   */
  public static String memberships(int majorVersion) {
    String removable =
        majorVersion >= 16
            ? "(m.grantor = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
                + " OR pg_has_role(m.grantor, 'USAGE'))"
            : "NOT g.rolsuper AND (SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user)";
    return String.join(
        "\n",
        "SELECT u.rolname::text AS rolname, g.rolname::text AS granted,",
        "       pg_get_userbyid(m.grantor)::text AS grantor, " + removable + " AS removable",
        "FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member",
        "JOIN pg_roles g ON g.oid = m.roleid",
        "WHERE u.rolname = ANY(?::text[])",
        "ORDER BY 1, 2, 3");
  }
}
