package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.AzurePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Catalog reads with plain SQL as the superuser (or the admin where there is none). */
public final class GroundTruth {
  private static final String ROLE = "(SELECT oid FROM pg_roles WHERE rolname = ?)";

  /** One query, one parameter per {@code ?}: each is the role name. */
  static final String PRIVILEGE_FINDINGS =
      String.join(
          "\nUNION ALL\n",
          acl(
              "'database ' || quote_ident(d.datname)",
              "pg_database d",
              "d.datacl",
              "d.datname = current_database()"),
          owner(
              "'database ' || quote_ident(d.datname)",
              "pg_database d",
              "d.datdba",
              "d.datname = current_database()"),
          acl("'schema ' || quote_ident(n.nspname)", "pg_namespace n", "n.nspacl", null),
          owner("'schema ' || quote_ident(n.nspname)", "pg_namespace n", "n.nspowner", null),
          acl("'relation ' || c.oid::regclass::text", "pg_class c", "c.relacl", null),
          owner("'relation ' || c.oid::regclass::text", "pg_class c", "c.relowner", null),
          acl(
              "'column ' || at.attrelid::regclass::text || '.' || quote_ident(at.attname)",
              "pg_attribute at",
              "at.attacl",
              null),
          acl("'function ' || p.oid::regprocedure::text", "pg_proc p", "p.proacl", null),
          owner("'function ' || p.oid::regprocedure::text", "pg_proc p", "p.proowner", null),
          acl("'type ' || t.oid::regtype::text", "pg_type t", "t.typacl", null),
          owner(
              "'type ' || t.oid::regtype::text",
              "pg_type t",
              "t.typowner",
              "t.typrelid = 0 AND t.typelem = 0"),
          acl("'language ' || quote_ident(l.lanname)", "pg_language l", "l.lanacl", null),
          acl("'large object ' || lo.oid", "pg_largeobject_metadata lo", "lo.lomacl", null),
          acl(
              "'foreign data wrapper ' || quote_ident(w.fdwname)",
              "pg_foreign_data_wrapper w",
              "w.fdwacl",
              null),
          acl(
              "'foreign server ' || quote_ident(s.srvname)",
              "pg_foreign_server s",
              "s.srvacl",
              null),
          acl(
              "'default privileges of ' || quote_ident(pg_get_userbyid(da.defaclrole)) || ' for '"
                  + " || da.defaclobjtype::text || ' in ' || coalesce((SELECT quote_ident(nspname) FROM pg_namespace"
                  + " WHERE oid = da.defaclnamespace), 'all schemas')",
              "pg_default_acl da",
              "da.defaclacl",
              null),
          "SELECT 'default privileges defined by the role for ' || da.defaclobjtype::text FROM pg_default_acl da"
              + " WHERE da.defaclrole = "
              + ROLE,
          "SELECT 'member of role ' || quote_ident(g.rolname) FROM pg_auth_members m JOIN pg_roles g"
              + " ON g.oid = m.roleid WHERE m.member = "
              + ROLE);

  private GroundTruth() {}

  private static String acl(String label, String from, String aclColumn, String where) {
    return "SELECT "
        + label
        + " || ': ' || a.privilege_type || CASE WHEN a.grantee = "
        + ROLE
        + " THEN ' granted to the role by ' || CASE WHEN a.grantor = 0 THEN 'PUBLIC' ELSE"
        + " quote_ident(pg_get_userbyid(a.grantor)) END ELSE ' granted by the role to ' || CASE WHEN"
        + " a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END END"
        + " FROM "
        + from
        + " CROSS JOIN LATERAL aclexplode("
        + aclColumn
        + ") a"
        + " WHERE (a.grantee = "
        + ROLE
        + " OR a.grantor = "
        + ROLE
        + ")"
        + (where == null ? "" : " AND " + where);
  }

  private static String owner(String label, String from, String ownerColumn, String where) {
    return "SELECT "
        + label
        + " || ': owned by the role' FROM "
        + from
        + " WHERE "
        + ownerColumn
        + " = "
        + ROLE
        + (where == null ? "" : " AND " + where);
  }

  /** A superuser connection where the server has one, else an admin connection. */
  public static Connection connection(AzurePostgres server, String database) throws SQLException {
    try {
      return server.superuserConnection(database);
    } catch (UnsupportedOperationException e) {
      return server.adminConnection(database);
    }
  }

  /** The role's rolcanlogin, or empty if it does not exist. */
  public static Optional<Boolean> canLogin(AzurePostgres server, String role) {
    String sql = "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?";
    try (Connection c = connection(server, "postgres");
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(Sql.describe("Cannot read pg_roles", sql, e), e);
    }
  }

  /** Every ACL entry, ownership and membership of the role in a database, described. */
  public static List<String> privilegeFindings(AzurePostgres server, String database, String role) {
    try (Connection c = connection(server, database);
        PreparedStatement ps = c.prepareStatement(PRIVILEGE_FINDINGS)) {
      int params = PRIVILEGE_FINDINGS.length() - PRIVILEGE_FINDINGS.replace("?", "").length();
      for (int i = 1; i <= params; i++) {
        ps.setString(i, role);
      }
      List<String> findings = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          findings.add(rs.getString(1));
        }
      }
      return findings;
    } catch (SQLException e) {
      throw new IllegalStateException(
          Sql.describe(
              "Cannot read the privileges of " + role + " in " + database, PRIVILEGE_FINDINGS, e),
          e);
    }
  }
}
