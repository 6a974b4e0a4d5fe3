package io.grantsmith.postgres.azure.internal;

import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Statement;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What roles hold on a server, whoever granted it, read from the server's own records: privileges
 * with their grantors, owned objects and policies ({@code pg_shdepend}, one query per database) and
 * memberships ({@code pg_auth_members}). Each item knows the statement that removes it.
 */
public final class Footprint {
  private Footprint() {}

  /** What an item is. */
  public enum Kind {
    /** A privilege on an object (or a default privilege). */
    PRIVILEGE,
    /** Ownership of an object. */
    OWNER,
    /** A row-level security policy that names the role. */
    POLICY,
    /** Membership in another role. */
    MEMBERSHIP
  }

  /**
   * One thing a role holds.
   *
   * @param role the role that holds it
   * @param database the database it is in (for shared objects, the database it was read from)
   * @param kind privilege, ownership, policy or membership
   * @param type the object's type as {@code pg_identify_object} names it ({@code table}, {@code
   *     schema}, {@code default acl}, ...; {@code role} for a membership)
   * @param names the object's name parts, unquoted
   * @param args the object's argument types (functions) or the default ACL's object type
   * @param functionArgs a function's identity arguments, as the catalog reader keeps them
   * @param privilege the privilege keyword, or null for ownership and policies
   * @param grantor who granted it (the default ACL's owner; null for ownership and policies)
   * @param removable whether the connector may remove it (act as the grantor)
   */
  public record Held(
      String role,
      String database,
      Kind kind,
      String type,
      List<String> names,
      List<String> args,
      String functionArgs,
      String privilege,
      String grantor,
      boolean removable) {

    /**
     * The resource and privilege, if Grantsmith can grant this itself (a privilege on a database,
     * schema, relation, sequence or function); what an access policy may explain.
     *
     * @return the object, if it is one of those kinds
     */
    public Optional<ResourceRef> resource() {
      if (kind != Kind.PRIVILEGE) {
        return Optional.empty();
      }
      switch (type) {
        case "database":
          return Optional.of(ResourceRef.database(names.get(0)));
        case "schema":
          return Optional.of(ResourceRef.schema(database, names.get(0)));
        case "table":
        case "view":
        case "materialized view":
        case "foreign table":
          return Optional.of(ResourceRef.relation(database, names.get(0), names.get(1)));
        case "sequence":
          return Optional.of(ResourceRef.sequence(database, names.get(0), names.get(1)));
        case "function":
        case "procedure":
          return functionArgs == null
              ? Optional.empty()
              : Optional.of(
                  ResourceRef.function(database, names.get(0), names.get(1), functionArgs));
        default:
          return Optional.empty();
      }
    }

    /**
     * The privilege as Grantsmith's enum, if it is one.
     *
     * @return the privilege
     */
    public Optional<Privilege> grantsmithPrivilege() {
      if (privilege == null) {
        return Optional.empty();
      }
      for (Privilege p : Privilege.values()) {
        if (p.keyword().equals(privilege)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }

    /**
     * The object in words, e.g. {@code table sales.orders} or {@code role reporting}.
     *
     * @return the description
     */
    public String object() {
      if (kind == Kind.MEMBERSHIP) {
        return "role " + names.get(0);
      }
      if (type.equals("default acl")) {
        String on = objectTypeKeyword(args.isEmpty() ? "" : args.get(0)).toLowerCase(Locale.ROOT);
        return "default privileges of "
            + names.get(0)
            + " on new "
            + on
            + (names.size() > 1 ? " in schema " + names.get(1) : "");
      }
      String name = String.join(".", names);
      return type + " " + name + (args.isEmpty() ? "" : "(" + String.join(", ", args) + ")");
    }

    /**
     * What is held, in words: the privilege, {@code owner}, {@code policy} or {@code member}.
     *
     * @return the word
     */
    public String what() {
      switch (kind) {
        case OWNER:
          return "owner";
        case POLICY:
          return "named in a policy";
        case MEMBERSHIP:
          return "member";
        default:
          return privilege;
      }
    }
  }

  /**
   * Reads what {@code roles} hold in the connection's database, and on shared objects if {@code
   * shared}.
   *
   * @param c a connection to the database
   * @param roles the roles
   * @param shared whether to include privileges on databases, tablespaces and parameters
   * @return the items
   * @throws SQLException if the query fails
   */
  public static List<Held> read(Connection c, Collection<String> roles, boolean shared)
      throws SQLException {
    return read(c, roles, shared, false);
  }

  /**
   * Reads what {@code roles} hold, as {@link #read(Connection, Collection, boolean)}; with {@code
   * foreignOnly}, only the privileges whose grantor the connector does not inherit from: what
   * {@code DROP OWNED}, run by the connector, cannot remove.
   *
   * @param c a connection to the database
   * @param roles the roles
   * @param shared whether to include privileges on databases, tablespaces and parameters
   * @param foreignOnly whether to read only privileges granted by roles the connector does not
   *     inherit from
   * @return the items
   * @throws SQLException if the query fails
   */
  public static List<Held> read(
      Connection c, Collection<String> roles, boolean shared, boolean foreignOnly)
      throws SQLException {
    int major = c.getMetaData().getDatabaseMajorVersion();
    String db = c.getCatalog();
    List<Held> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(FootprintQueries.held(major))) {
      ps.setArray(1, c.createArrayOf("text", roles.toArray()));
      ps.setBoolean(2, shared);
      ps.setBoolean(3, foreignOnly);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String dep = rs.getString("deptype");
          Kind kind = dep.equals("a") ? Kind.PRIVILEGE : dep.equals("o") ? Kind.OWNER : Kind.POLICY;
          out.add(
              new Held(
                  rs.getString("rolname"),
                  db,
                  kind,
                  rs.getString("type"),
                  strings(rs.getArray("names")),
                  strings(rs.getArray("args")),
                  rs.getString("fargs"),
                  rs.getString("privilege"),
                  rs.getString("grantor"),
                  rs.getBoolean("removable")));
        }
      }
    }
    return out;
  }

  /**
   * Reads the memberships of {@code roles}.
   *
   * @param c a connection to any database
   * @param roles the roles
   * @return one item per membership
   * @throws SQLException if the query fails
   */
  public static List<Held> memberships(Connection c, Collection<String> roles) throws SQLException {
    int major = c.getMetaData().getDatabaseMajorVersion();
    String db = c.getCatalog();
    List<Held> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(FootprintQueries.memberships(major))) {
      ps.setArray(1, c.createArrayOf("text", roles.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Held(
                  rs.getString("rolname"),
                  db,
                  Kind.MEMBERSHIP,
                  "role",
                  List.of(rs.getString("granted")),
                  List.of(),
                  null,
                  null,
                  rs.getString("grantor"),
                  rs.getBoolean("removable")));
        }
      }
    }
    return out;
  }

  private static List<String> strings(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) a.getArray()) {
      out.add(String.valueOf(o));
    }
    return List.copyOf(out);
  }

  /**
   * The statement that removes an item: a REVOKE (or {@code ALTER DEFAULT PRIVILEGES ... REVOKE})
   * to run as its grantor, {@code REVOKE role FROM member} for a membership, or, for what a role
   * owns or a policy that names it, {@code REASSIGN OWNED} and {@code DROP OWNED}.
   *
   * @param r the renderer
   * @param h the item
   * @param connector the connector, who takes over owned objects
   * @return the statement, in the item's database
   */
  public static Statement removal(Renderer r, Held h, String connector) {
    String db = h.database();
    switch (h.kind()) {
      case MEMBERSHIP:
        return r.revokeRole(db, h.names().get(0), h.role());
      case OWNER:
        return r.reassignOwned(db, h.role(), connector);
      case POLICY:
        return r.dropOwned(db, h.role());
      default:
        break;
    }
    String sql;
    if (h.type().equals("default acl")) {
      sql =
          "ALTER DEFAULT PRIVILEGES FOR ROLE "
              + r.id(h.names().get(0))
              + (h.names().size() > 1 ? " IN SCHEMA " + r.id(h.names().get(1)) : "")
              + " REVOKE "
              + keyword(h.privilege())
              + " ON "
              + objectTypeKeyword(h.args().get(0))
              + " FROM "
              + r.id(h.role());
    } else {
      sql =
          "REVOKE "
              + keyword(h.privilege())
              + column(r, h)
              + " ON "
              + target(r, h)
              + " FROM "
              + r.id(h.role())
              + " CASCADE";
    }
    return Statement.of(
        db,
        sql,
        "revoke "
            + h.privilege()
            + " on "
            + h.object()
            + " from "
            + h.role()
            + " (granted by "
            + h.grantor()
            + ")");
  }

  private static String column(Renderer r, Held h) {
    return h.type().equals("table column") ? " (" + r.id(h.names().get(2)) + ")" : "";
  }

  /** The object as GRANT and REVOKE name it, every name part quoted. */
  private static String target(Renderer r, Held h) {
    List<String> n = h.names();
    switch (h.type()) {
      case "table":
      case "view":
      case "materialized view":
      case "foreign table":
      case "table column":
        return "TABLE " + r.id(n.get(0)) + "." + r.id(n.get(1));
      case "sequence":
        return "SEQUENCE " + r.id(n.get(0)) + "." + r.id(n.get(1));
      case "schema":
        return "SCHEMA " + r.id(n.get(0));
      case "function":
      case "procedure":
      case "aggregate":
        // Argument types are the server's format_type output, already quoted where needed.
        return "ROUTINE "
            + r.id(n.get(0))
            + "."
            + r.id(n.get(1))
            + "("
            + String.join(", ", h.args())
            + ")";
      case "type":
      case "domain":
        // The name is the server's format_type output, already quoted where needed.
        return h.type().toUpperCase(Locale.ROOT) + " " + n.get(0);
      case "language":
        return "LANGUAGE " + r.id(n.get(0));
      case "foreign-data wrapper":
        return "FOREIGN DATA WRAPPER " + r.id(n.get(0));
      case "server":
        return "FOREIGN SERVER " + r.id(n.get(0));
      case "large object":
        return "LARGE OBJECT " + Long.parseLong(n.get(0));
      case "database":
        return "DATABASE " + r.id(n.get(0));
      case "tablespace":
        return "TABLESPACE " + r.id(n.get(0));
      case "parameter ACL":
        return "PARAMETER " + r.id(n.get(0));
      default:
        throw new IllegalArgumentException("cannot name a " + h.type() + " in REVOKE");
    }
  }

  /** A privilege keyword from {@code aclexplode}: upper-case words only. */
  private static String keyword(String privilege) {
    if (privilege == null || !privilege.matches("[A-Z]+( [A-Z]+)*")) {
      throw new IllegalArgumentException("not a privilege keyword: " + privilege);
    }
    return privilege;
  }

  private static String objectTypeKeyword(String defaclObjType) {
    switch (defaclObjType) {
      case "r":
        return "TABLES";
      case "S":
        return "SEQUENCES";
      case "f":
        return "FUNCTIONS";
      case "T":
        return "TYPES";
      case "n":
        return "SCHEMAS";
      default:
        throw new IllegalArgumentException("unknown default ACL object type " + defaclObjType);
    }
  }
}
