package io.grantsmith.postgres.azure;

import io.grantsmith.api.CatalogReader;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DefaultPrivilege;
import io.grantsmith.api.Grant;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Membership;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.postgresql.PGStatement;

/**
 * Reads a {@link CatalogSnapshot} of a database in one query: {@code aclexplode} over
 * {@code pg_database}, {@code pg_namespace}, {@code pg_class}, {@code pg_proc} and
 * {@code pg_default_acl} (a NULL ACL read as the built-in default, {@code acldefault}), plus
 * {@code pg_roles} with comments and {@code pg_auth_members}. Schemas named {@code pg_*} and
 * {@code information_schema} are skipped. Needs no privilege beyond connecting.
 *
 * <pre>{@code
 * CatalogSnapshot shop = new PostgresCatalogReader(connections).read("shop");
 * }</pre>
 */
public final class PostgresCatalogReader implements CatalogReader {

  // One row per (object, ACL entry); objects without any entry still appear once (grantee
  // NULL). sec: d database, n schema, r relation, S sequence, f function, a default ACL,
  // o role, m membership, v server version.
  private static final String QUERY = query(false);
  private static final String SCOPED_QUERY = query(true);

  private static String query(boolean scoped) {
    return String.join("\n",
        "WITH ns AS (SELECT oid, nspname, nspowner, nspacl FROM pg_namespace",
        "            WHERE nspname !~ '^pg_' AND nspname <> 'information_schema')",
        "SELECT 'd' AS sec, NULL::text AS nsp, d.datname::text AS name, NULL::text AS args,",
        "       g.rolname::text AS grantee, x.privilege_type AS priv, x.is_grantable AS grantable,",
        "       NULL::text AS extra, NULL::timestamptz AS ts",
        "FROM pg_database d",
        "LEFT JOIN LATERAL aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) x ON true",
        "LEFT JOIN pg_roles g ON g.oid = x.grantee",
        "WHERE d.datname = current_database()",
        "UNION ALL",
        "SELECT 'n', NULL, n.nspname::text, NULL, g.rolname::text, x.privilege_type, x.is_grantable,",
        "       NULL, NULL",
        "FROM ns n",
        "LEFT JOIN LATERAL aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) x ON true",
        "LEFT JOIN pg_roles g ON g.oid = x.grantee",
        scoped ? "WHERE " + inScope("n.nspname", "n.nspacl", "'n'", "n.nspowner") : "",
        "UNION ALL",
        "SELECT CASE WHEN c.relkind = 'S' THEN 'S' ELSE 'r' END, n.nspname::text, c.relname::text,",
        "       NULL, g.rolname::text, x.privilege_type, x.is_grantable, c.relkind::text, NULL",
        "FROM pg_class c JOIN ns n ON n.oid = c.relnamespace",
        "LEFT JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault(",
        "     CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))) x ON true",
        "LEFT JOIN pg_roles g ON g.oid = x.grantee",
        "WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p', 'S')",
        scoped ? "AND " + inScope("n.nspname", "c.relacl",
            "CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\"", "c.relowner") : "",
        "UNION ALL",
        "SELECT 'f', n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid),",
        "       g.rolname::text, x.privilege_type, x.is_grantable, p.prokind::text, NULL",
        "FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace",
        "LEFT JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) x ON true",
        "LEFT JOIN pg_roles g ON g.oid = x.grantee",
        "WHERE p.prokind IN ('f', 'p')",
        scoped ? "AND " + inScope("n.nspname", "p.proacl", "'f'", "p.proowner") : "",
        "UNION ALL",
        "SELECT 'a', n.nspname::text, o.rolname::text, NULL, g.rolname::text, x.privilege_type,",
        "       x.is_grantable, a.defaclobjtype::text, NULL",
        "FROM pg_default_acl a JOIN pg_roles o ON o.oid = a.defaclrole",
        "LEFT JOIN pg_namespace n ON n.oid = a.defaclnamespace",
        "CROSS JOIN LATERAL aclexplode(a.defaclacl) x",
        "JOIN pg_roles g ON g.oid = x.grantee",
        "UNION ALL",
        "SELECT 'o', NULL, r.rolname::text, shobj_description(r.oid, 'pg_authid'), NULL, NULL,",
        "       NULL, concat_ws(',', CASE WHEN r.rolsuper THEN 'super' END,",
        "         CASE WHEN r.rolcanlogin THEN 'login' END, CASE WHEN r.rolinherit THEN 'inherit' END,",
        "         CASE WHEN r.rolcreaterole THEN 'createrole' END,",
        "         CASE WHEN r.rolcreatedb THEN 'createdb' END, 'limit=' || r.rolconnlimit),",
        "       r.rolvaliduntil",
        "FROM pg_roles r",
        "UNION ALL",
        "SELECT 'm', NULL, g.rolname::text, NULL, u.rolname::text, NULL, m.admin_option, NULL, NULL",
        "FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member",
        "UNION ALL",
        "SELECT 'v', NULL, current_setting('server_version_num'), current_database()::text, NULL,",
        "       NULL, NULL, NULL, NULL");
  }

  /**
   * An object is in a scoped read if its schema is named (parameter 1, a text array) or its
   * ACL, NULL read as the default, names the role (parameter 2).
   */
  private static String inScope(String schema, String acl, String type, String owner) {
    return "(" + schema + " = ANY(?::text[]) OR EXISTS (SELECT 1 FROM aclexplode(coalesce("
        + acl + ", acldefault(" + type + ", " + owner + "))) y"
        + " WHERE y.grantee = (SELECT oid FROM pg_roles WHERE rolname = ?)))";
  }

  private final ConnectionSource connections;

  /**
   * A reader that opens a connection per read.
   *
   * @param connections where connections come from
   */
  public PostgresCatalogReader(ConnectionSource connections) {
    this.connections = Objects.requireNonNull(connections, "connections");
  }

  @Override
  public CatalogSnapshot read(String database) {
    try (Connection c = connections.open(database)) {
      return read(c);
    } catch (SQLException e) {
      throw new GrantsmithException("Cannot read the catalog of database " + database
          + " (SQLSTATE " + e.getSQLState() + "): " + e.getMessage(), e);
    }
  }

  /**
   * Reads a partial snapshot of {@code database}, still in one query: the database itself,
   * every role, membership and default privilege, but of the schemas and the objects in them
   * only those in {@code schemas} and those on which {@code role} holds a privilege (or that
   * it owns). Enough to plan a request on those schemas for {@code role}: what it holds
   * elsewhere is in the snapshot, so it is kept or revoked as with a full read.
   *
   * @param database the database
   * @param schemas the schemas read in full
   * @param role the role whose privileges are read wherever they are
   * @return the snapshot
   * @throws GrantsmithException if the database cannot be read
   */
  public CatalogSnapshot read(String database, Collection<String> schemas, String role) {
    Objects.requireNonNull(schemas, "schemas");
    Objects.requireNonNull(role, "role");
    try (Connection c = connections.open(database)) {
      return read(c, schemas, role);
    } catch (SQLException e) {
      throw new GrantsmithException("Cannot read the catalog of database " + database
          + " (SQLSTATE " + e.getSQLState() + "): " + e.getMessage(), e);
    }
  }

  /**
   * Reads a snapshot of the database {@code connection} is connected to.
   *
   * @param connection an open connection; left open
   * @return the snapshot
   * @throws SQLException if the query fails
   */
  public static CatalogSnapshot read(Connection connection) throws SQLException {
    try (java.sql.Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(QUERY)) {
      return snapshot(rows(rs));
    }
  }

  /**
   * Reads a partial snapshot, as {@link #read(String, Collection, String)}, of the database
   * {@code connection} is connected to.
   *
   * @param connection an open connection; left open
   * @param schemas the schemas read in full
   * @param role the role whose privileges are read wherever they are
   * @return the snapshot
   * @throws SQLException if the query fails
   */
  public static CatalogSnapshot read(Connection connection, Collection<String> schemas,
      String role) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SCOPED_QUERY)) {
      java.sql.Array names = connection.createArrayOf("text", schemas.toArray());
      for (int i = 1; i <= 6; i += 2) {
        ps.setArray(i, names);
        ps.setString(i + 1, role);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return snapshot(rows(rs));
      }
    }
  }

  private static List<Row> rows(ResultSet rs) throws SQLException {
    List<Row> rows = new ArrayList<>();
    while (rs.next()) {
      rows.add(new Row(rs.getString("sec"), rs.getString("nsp"), rs.getString("name"),
          rs.getString("args"), rs.getString("grantee"), rs.getString("priv"),
          rs.getBoolean("grantable"), rs.getString("extra"), rs.getTimestamp("ts")));
    }
    return rows;
  }

  private static CatalogSnapshot snapshot(List<Row> rows) throws SQLException {
    Row v = rows.stream().filter(r -> r.sec.equals("v")).findFirst()
        .orElseThrow(() -> new SQLException("catalog query returned no version row"));
    String db = v.args;
    int version = Integer.parseInt(v.name);
    // (grantee, resource, grantable) -> privileges
    Map<List<Object>, Set<Privilege>> grants = new LinkedHashMap<>();
    Map<List<Object>, Set<Privilege>> defaults = new LinkedHashMap<>();
    Set<ResourceRef> objects = new HashSet<>();
    List<RoleInfo> roles = new ArrayList<>();
    List<Membership> memberships = new ArrayList<>();
    for (Row r : rows) {
      switch (r.sec) {
        case "v":
          continue;
        case "o":
          roles.add(role(r.name, r.args, r.extra, r.ts));
          continue;
        case "m":
          if (!r.name.equals(r.grantee)) {
            memberships.add(Membership.builder().role(r.name).member(r.grantee)
                .adminOption(r.grantable).build());
          }
          continue;
        case "a":
          defaults.computeIfAbsent(List.of(r.name, r.nsp == null ? "" : r.nsp, r.extra,
              r.grantee, r.grantable), k -> EnumSet.noneOf(Privilege.class)).add(
                  Privilege.fromKeyword(r.priv));
          continue;
        default:
          break;
      }
      ResourceRef ref = resource(r.sec, db, r.nsp, r.name, r.args);
      objects.add(ref);
      if (r.grantee != null) {
        Privilege p = privilege(r.priv);
        if (p != null && p.appliesTo(ref.kind())) {
          grants.computeIfAbsent(List.of(r.grantee, ref, r.grantable),
              k -> EnumSet.noneOf(Privilege.class)).add(p);
        }
      }
    }
    CatalogSnapshot.Builder b = CatalogSnapshot.builder().database(db).serverVersionNum(version)
        .addAllObjects(objects).addAllRoles(roles).addAllMemberships(memberships);
    grants.forEach((k, privs) -> b.addGrant(Grant.builder().grantee((String) k.get(0))
        .resource((ResourceRef) k.get(1)).withGrantOption((Boolean) k.get(2))
        .addAllPrivileges(privs).build()));
    List<DefaultPrivilege> dps = new ArrayList<>();
    defaults.forEach((k, privs) -> {
      DefaultPrivilege.Builder d = DefaultPrivilege.builder().owner((String) k.get(0))
          .objectType(objectType((String) k.get(2))).grantee((String) k.get(3))
          .withGrantOption((Boolean) k.get(4)).addAllPrivileges(privs);
      if (!((String) k.get(1)).isEmpty()) {
        d.schema((String) k.get(1));
      }
      dps.add(d.build());
    });
    return b.addAllDefaultPrivileges(dps).build();
  }

  private static final class Row {
    final String sec;
    final String nsp;
    final String name;
    final String args;
    final String grantee;
    final String priv;
    final boolean grantable;
    final String extra;
    final Timestamp ts;

    Row(String sec, String nsp, String name, String args, String grantee, String priv,
        boolean grantable, String extra, Timestamp ts) {
      this.sec = sec;
      this.nsp = nsp;
      this.name = name;
      this.args = args;
      this.grantee = grantee;
      this.priv = priv;
      this.grantable = grantable;
      this.extra = extra;
      this.ts = ts;
    }
  }

  private static ResourceRef resource(String sec, String db, String nsp, String name,
      String args) {
    switch (sec) {
      case "d":
        return ResourceRef.database(db);
      case "n":
        return ResourceRef.schema(db, name);
      case "S":
        return ResourceRef.sequence(db, nsp, name);
      case "f":
        return ResourceRef.function(db, nsp, name, args);
      default:
        return ResourceRef.relation(db, nsp, name);
    }
  }

  private static Privilege privilege(String keyword) {
    if (keyword == null) {
      return null;
    }
    try {
      return Privilege.fromKeyword(keyword);
    } catch (IllegalArgumentException unknown) {
      return null; // a privilege newer than this SDK knows; it is not ours to manage
    }
  }

  private static DefaultPrivilege.ObjectType objectType(String code) {
    switch (code) {
      case "r":
        return DefaultPrivilege.ObjectType.TABLES;
      case "S":
        return DefaultPrivilege.ObjectType.SEQUENCES;
      case "f":
        return DefaultPrivilege.ObjectType.FUNCTIONS;
      case "T":
        return DefaultPrivilege.ObjectType.TYPES;
      default:
        return DefaultPrivilege.ObjectType.SCHEMAS;
    }
  }

  private static RoleInfo role(String name, String comment, String flags, Timestamp validUntil) {
    Set<String> f = Set.of(flags.split(","));
    RoleInfo.Builder b = RoleInfo.builder().name(name).superuser(f.contains("super"))
        .login(f.contains("login")).inherit(f.contains("inherit"))
        .createRole(f.contains("createrole")).createDb(f.contains("createdb"));
    for (String x : f) {
      if (x.startsWith("limit=")) {
        b.connectionLimit(Integer.parseInt(x.substring(6)));
      }
    }
    if (comment != null) {
      b.comment(comment);
    }
    if (validUntil != null && validUntil.getTime() != PGStatement.DATE_POSITIVE_INFINITY) {
      b.validUntil(validUntil.toInstant());
    }
    return b.build();
  }
}
