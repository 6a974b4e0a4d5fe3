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
   * flag. Columns: role, deptype, type, names, args, privilege, fargs (a function's identity
   * arguments), grantor, removable, where
   * {@code removable} says whether the connector may act as the grantor (a privilege) or the
   * owner of a default ACL.
   *
   * @param majorVersion the server's major version
   * @return the SQL
   */
  public static String held(int majorVersion) {
    // 16+: acting as another role needs the SET option of the membership, not only membership.
    String act = majorVersion >= 16 ? "'SET'" : "'MEMBER'";
    String parameterAcl = majorVersion >= 15
        ? "    WHEN 'pg_parameter_acl'::regclass THEN"
            + " (SELECT paracl FROM pg_parameter_acl WHERE oid = d.objid)\n" : "";
    return String.join("\n",
        "WITH r AS (SELECT oid, rolname::text AS rolname FROM pg_roles",
        "           WHERE rolname = ANY(?::text[])),",
        "dep AS (SELECT s.classid, s.objid, s.objsubid, s.deptype, r.oid AS roleid, r.rolname",
        "        FROM pg_shdepend s JOIN r ON r.oid = s.refobjid",
        "        WHERE s.refclassid = 'pg_authid'::regclass AND s.deptype IN ('a', 'o', 'r')",
        "          AND (s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
        "               OR s.dbid = 0 AND ?::boolean))",
        "SELECT d.rolname, d.deptype::text AS deptype, a.type, a.object_names AS names,",
        "       a.object_args AS args, e.privilege_type AS privilege,",
        "       CASE WHEN d.classid = 'pg_proc'::regclass",
        "            THEN pg_get_function_identity_arguments(d.objid) END AS fargs,",
        "       CASE WHEN d.classid = 'pg_default_acl'::regclass",
        "            THEN pg_get_userbyid(da.defaclrole) ELSE pg_get_userbyid(e.grantor)",
        "       END::text AS grantor,",
        "       CASE WHEN d.classid = 'pg_default_acl'::regclass",
        "            THEN pg_has_role(da.defaclrole, " + act + ")",
        "            WHEN d.deptype = 'a' THEN pg_has_role(e.grantor, " + act + ")",
        "            ELSE pg_has_role(d.roleid, 'MEMBER') END AS removable",
        "FROM dep d",
        "CROSS JOIN LATERAL pg_identify_object_as_address(d.classid, d.objid, d.objsubid) a",
        "LEFT JOIN pg_default_acl da ON d.classid = 'pg_default_acl'::regclass"
            + " AND da.oid = d.objid",
        "LEFT JOIN LATERAL (SELECT x.privilege_type, x.grantor FROM aclexplode(CASE d.classid",
        "    WHEN 'pg_class'::regclass THEN CASE WHEN d.objsubid = 0",
        "      THEN (SELECT relacl FROM pg_class WHERE oid = d.objid)",
        "      ELSE (SELECT attacl FROM pg_attribute WHERE attrelid = d.objid"
            + " AND attnum = d.objsubid) END",
        "    WHEN 'pg_namespace'::regclass THEN (SELECT nspacl FROM pg_namespace"
            + " WHERE oid = d.objid)",
        "    WHEN 'pg_proc'::regclass THEN (SELECT proacl FROM pg_proc WHERE oid = d.objid)",
        "    WHEN 'pg_type'::regclass THEN (SELECT typacl FROM pg_type WHERE oid = d.objid)",
        "    WHEN 'pg_language'::regclass THEN (SELECT lanacl FROM pg_language"
            + " WHERE oid = d.objid)",
        "    WHEN 'pg_foreign_data_wrapper'::regclass THEN (SELECT fdwacl"
            + " FROM pg_foreign_data_wrapper WHERE oid = d.objid)",
        "    WHEN 'pg_foreign_server'::regclass THEN (SELECT srvacl FROM pg_foreign_server"
            + " WHERE oid = d.objid)",
        "    WHEN 'pg_largeobject'::regclass THEN (SELECT lomacl FROM pg_largeobject_metadata"
            + " WHERE oid = d.objid)",
        "    WHEN 'pg_default_acl'::regclass THEN da.defaclacl",
        "    WHEN 'pg_database'::regclass THEN (SELECT datacl FROM pg_database"
            + " WHERE oid = d.objid)",
        "    WHEN 'pg_tablespace'::regclass THEN (SELECT spcacl FROM pg_tablespace"
            + " WHERE oid = d.objid)",
        parameterAcl + "  END) x WHERE x.grantee = d.roleid) e ON d.deptype = 'a'",
        "WHERE d.deptype <> 'a' OR e.privilege_type IS NOT NULL",
        "ORDER BY 1, 3, 4::text, 5::text, 6");
  }

  /**
   * One row per membership of the roles ({@code text[]} parameter) in another role. Columns:
   * role, granted, grantor, removable: whether the connector can revoke it (on 15 and older,
   * {@code CREATEROLE} may revoke any membership in a role that is not a superuser; on 16+ only a
   * grant it made itself, or one it may attribute to its grantor).
   *
   * @param majorVersion the server's major version
   * @return the SQL
   */
  public static String memberships(int majorVersion) {
    String removable = majorVersion >= 16
        ? "(m.grantor = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
            + " OR pg_has_role(m.grantor, 'USAGE'))"
        : "NOT g.rolsuper AND (SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user)";
    return String.join("\n",
        "SELECT u.rolname::text AS rolname, g.rolname::text AS granted,",
        "       pg_get_userbyid(m.grantor)::text AS grantor, " + removable + " AS removable",
        "FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member",
        "JOIN pg_roles g ON g.oid = m.roleid",
        "WHERE u.rolname = ANY(?::text[])",
        "ORDER BY 1, 2, 3");
  }
}
