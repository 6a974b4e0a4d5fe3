package io.grantsmith.postgres.azure;

import io.grantsmith.api.CatalogReader;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DefaultPrivilege;
import io.grantsmith.api.Grant;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Membership;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleInfo;
import io.grantsmith.postgres.azure.internal.AclText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.postgresql.PGStatement;

/**
 * Reads a {@link CatalogSnapshot} of a database in one query: one row per object of {@code
 * pg_database}, {@code pg_namespace}, {@code pg_class} and {@code pg_proc} with its ACL as text (a
 * NULL ACL read as the built-in default, {@code acldefault}), plus {@code pg_default_acl}, {@code
 * pg_roles} with comments and {@code pg_auth_members}. Schemas named {@code pg_*} and {@code
 * information_schema} are skipped. Needs no privilege beyond connecting.
 *
 * <p>To plan one role's privileges, {@link #readFor(String, String)} and {@link #readFor(String,
 * String, Collection)} read only that role's grants, the latter also only the objects of the named
 * schemas and those the role holds a privilege on or owns (found in {@code pg_shdepend}, not by
 * scanning every ACL).
 *
 * <pre>{@code
 * CatalogSnapshot shop = new PostgresCatalogReader(connections).read("shop");
 * }</pre>
 */
public final class PostgresCatalogReader implements CatalogReader {

  // One row per object, role, membership and default ACL. sec: d database, n schema,
  // r relation, S sequence, f function, a default ACL, o role, m membership, v server version.
  private static final String QUERY = query(false);
  private static final String SCOPED_QUERY = query(true);

  private static String query(boolean scoped) {
    return String.join(
        "\n",
        "WITH ns AS (SELECT oid, nspname, nspowner, nspacl FROM pg_namespace",
        "            WHERE nspname !~ '^pg_' AND nspname <> 'information_schema')",
        scoped ? ", scope AS (SELECT ?::text[] AS schemas)," : "",
        // What the role holds a privilege on ('a') or owns ('o') in this database.
        scoped
            ? "held AS (SELECT classid, objid FROM pg_shdepend"
                + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND refclassid = 'pg_authid'::regclass AND deptype IN ('a', 'o')"
                + " AND refobjid = (SELECT oid FROM pg_roles WHERE rolname = ?))"
            : "",
        "SELECT 'd' AS sec, NULL::text AS nsp, d.datname::text AS name, NULL::text AS args,",
        "       array_to_string(coalesce(d.datacl, acldefault('d', d.datdba)), ',') AS acl,",
        "       NULL::text AS extra, NULL::timestamptz AS ts, NULL::boolean AS admin",
        "FROM pg_database d",
        "WHERE d.datname = current_database()",
        "UNION ALL",
        "SELECT 'n', NULL, n.nspname::text, NULL,",
        "       array_to_string(coalesce(n.nspacl, acldefault('n', n.nspowner)), ','),",
        "       NULL, NULL, NULL",
        "FROM ns n",
        scoped ? "WHERE " + inScope("n.nspname", "n.oid", "pg_namespace") : "",
        "UNION ALL",
        "SELECT CASE WHEN c.relkind = 'S' THEN 'S' ELSE 'r' END, n.nspname::text, c.relname::text,",
        "       NULL, array_to_string(coalesce(c.relacl, acldefault(",
        "       CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner)), ','),",
        "       c.relkind::text, NULL, NULL",
        "FROM pg_class c JOIN ns n ON n.oid = c.relnamespace",
        "WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p', 'S')",
        scoped ? "AND " + inScope("n.nspname", "c.oid", "pg_class") : "",
        "UNION ALL",
        "SELECT 'f', n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid),",
        "       array_to_string(coalesce(p.proacl, acldefault('f', p.proowner)), ','),",
        "       p.prokind::text, NULL, NULL",
        "FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace",
        "WHERE p.prokind IN ('f', 'p')",
        scoped ? "AND " + inScope("n.nspname", "p.oid", "pg_proc") : "",
        "UNION ALL",
        "SELECT 'a', n.nspname::text, pg_get_userbyid(a.defaclrole)::text, NULL,",
        "       array_to_string(a.defaclacl, ','), a.defaclobjtype::text, NULL, NULL",
        "FROM pg_default_acl a LEFT JOIN pg_namespace n ON n.oid = a.defaclnamespace",
        "UNION ALL",
        "SELECT 'o', NULL, r.rolname::text, c.description, NULL,",
        "       concat_ws(',', CASE WHEN r.rolsuper THEN 'super' END,",
        "         CASE WHEN r.rolcanlogin THEN 'login' END, CASE WHEN r.rolinherit THEN 'inherit' END,",
        "         CASE WHEN r.rolcreaterole THEN 'createrole' END,",
        "         CASE WHEN r.rolcreatedb THEN 'createdb' END, 'limit=' || r.rolconnlimit),",
        "       r.rolvaliduntil, NULL",
        "FROM pg_roles r LEFT JOIN pg_shdescription c",
        "  ON c.objoid = r.oid AND c.classoid = 'pg_authid'::regclass",
        "UNION ALL",
        "SELECT 'm', NULL, pg_get_userbyid(m.roleid)::text, pg_get_userbyid(m.member)::text, NULL,",
        "       NULL, NULL, m.admin_option",
        "FROM pg_auth_members m",
        "UNION ALL",
        "SELECT 'v', NULL, current_setting('server_version_num'), current_database()::text, NULL,",
        "       NULL, NULL, NULL");
  }

  /** An object is in a scoped read if its schema is named or the role holds or owns it. */
  private static String inScope(String schema, String oid, String catalog) {
    return "("
        + schema
        + " = ANY((SELECT schemas FROM scope)::name[]) OR "
        + oid
        + " IN (SELECT objid FROM held WHERE classid = '"
        + catalog
        + "'::regclass))";
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
      throw failure(database, e);
    }
  }

  /**
   * Reads what planning {@code role}'s privileges in {@code database} needs, in one query: every
   * object, role, membership and default privilege, but of the grants only those to {@code role}.
   *
   * @param role the role whose grants are read
   * @param database the database
   * @return the snapshot
   * @throws GrantsmithException if the database cannot be read
   */
  public CatalogSnapshot readFor(String role, String database) {
    Objects.requireNonNull(role, "role");
    try (Connection c = connections.open(database)) {
      return readFor(c, role);
    } catch (SQLException e) {
      throw failure(database, e);
    }
  }

  /**
   * Reads a partial snapshot of {@code database} for planning {@code role}'s privileges on {@code
   * schemas}, in one query: the database itself, every role, membership and default privilege; of
   * the schemas and the objects in them, only those in {@code schemas} and those on which {@code
   * role} holds a privilege or that it owns; of the grants, only those to {@code role}. What the
   * role holds elsewhere is in the snapshot, so a plan keeps or revokes it as with a full read.
   *
   * @param role the role whose grants are read, wherever they are
   * @param database the database
   * @param schemas the schemas whose objects are all read
   * @return the snapshot
   * @throws GrantsmithException if the database cannot be read
   */
  public CatalogSnapshot readFor(String role, String database, Collection<String> schemas) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(schemas, "schemas");
    try (Connection c = connections.open(database)) {
      return readFor(c, role, schemas);
    } catch (SQLException e) {
      throw failure(database, e);
    }
  }

  private static GrantsmithException failure(String database, SQLException e) {
    return new GrantsmithException(
        "Cannot read the catalog of database "
            + database
            + " (SQLSTATE "
            + e.getSQLState()
            + "): "
            + e.getMessage(),
        e);
  }

  /**
   * Reads a snapshot of the database {@code connection} is connected to.
   *
   * @param connection an open connection; left open
   * @return the snapshot
   * @throws SQLException if the query fails
   */
  public static CatalogSnapshot read(Connection connection) throws SQLException {
    try (PreparedStatement ps = unnamed(connection.prepareStatement(QUERY));
        ResultSet rs = ps.executeQuery()) {
      return snapshot(rs, null);
    }
  }

  /**
   * Keeps the driver from preparing the statement on the server: a grant changes schema ACLs, which
   * invalidates every cached plan of the database's sessions, and revalidating a named statement
   * was measured slower than parsing and planning an unnamed one.
   */
  private static PreparedStatement unnamed(PreparedStatement ps) throws SQLException {
    if (ps.isWrapperFor(PGStatement.class)) {
      ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
    return ps;
  }

  /**
   * Reads, as {@link #readFor(String, String)}, the database {@code connection} is connected to.
   *
   * @param connection an open connection; left open
   * @param role the role whose grants are read
   * @return the snapshot
   * @throws SQLException if the query fails
   */
  public static CatalogSnapshot readFor(Connection connection, String role) throws SQLException {
    Objects.requireNonNull(role, "role");
    try (PreparedStatement ps = unnamed(connection.prepareStatement(QUERY));
        ResultSet rs = ps.executeQuery()) {
      return snapshot(rs, role);
    }
  }

  /**
   * Reads, as {@link #readFor(String, String, Collection)}, the database {@code connection} is
   * connected to.
   *
   * @param connection an open connection; left open
   * @param role the role whose grants are read, wherever they are
   * @param schemas the schemas whose objects are all read
   * @return the snapshot
   * @throws SQLException if the query fails
   */
  public static CatalogSnapshot readFor(
      Connection connection, String role, Collection<String> schemas) throws SQLException {
    Objects.requireNonNull(role, "role");
    try (PreparedStatement ps = unnamed(connection.prepareStatement(SCOPED_QUERY))) {
      ps.setArray(1, connection.createArrayOf("text", schemas.toArray()));
      ps.setString(2, role);
      try (ResultSet rs = ps.executeQuery()) {
        return snapshot(rs, role);
      }
    }
  }

  /**
   * An object's row, kept until the version row names the database: one variant per kind of object,
   * each with its ACL as text.
   */
  private sealed interface ObjectRow {
    String acl();

    /** The object in {@code db}. */
    ResourceRef ref(String db);

    /**
     * The row of section {@code sec} ({@code d}, {@code n}, {@code S}, {@code f}, else a relation).
     */
    static ObjectRow of(char sec, String nsp, String name, String args, String acl) {
      return switch (sec) {
        case 'd' -> new DatabaseRow(acl);
        case 'n' -> new SchemaRow(name, acl);
        case 'S' -> new SequenceRow(nsp, name, acl);
        case 'f' -> new FunctionRow(nsp, name, args, acl);
        default -> new RelationRow(nsp, name, acl);
      };
    }
  }

  /** The database read (its name comes with the version row). */
  private record DatabaseRow(String acl) implements ObjectRow {
    @Override
    public ResourceRef ref(String db) {
      return ResourceRef.database(db);
    }
  }

  private record SchemaRow(String name, String acl) implements ObjectRow {
    @Override
    public ResourceRef ref(String db) {
      return ResourceRef.schema(db, name);
    }
  }

  private record SequenceRow(String schema, String name, String acl) implements ObjectRow {
    @Override
    public ResourceRef ref(String db) {
      return ResourceRef.sequence(db, schema, name);
    }
  }

  private record FunctionRow(String schema, String name, String args, String acl)
      implements ObjectRow {
    @Override
    public ResourceRef ref(String db) {
      return ResourceRef.function(db, schema, name, args);
    }
  }

  /** A table, view, materialized view, foreign or partitioned table. */
  private record RelationRow(String schema, String name, String acl) implements ObjectRow {
    @Override
    public ResourceRef ref(String db) {
      return ResourceRef.relation(db, schema, name);
    }
  }

  /**
   * Default privileges are collected per owner, schema (null for all schemas), object type code
   * ({@code pg_default_acl.defaclobjtype}), grantee and whether they carry the grant option.
   */
  private record DefaultsKey(
      String owner, String schema, String objectType, String grantee, boolean grantable) {}

  /** Builds the snapshot; with {@code only} set, keeps only the grants to that role. */
  private static CatalogSnapshot snapshot(ResultSet rs, String only) throws SQLException {
    String db = null;
    int version = 0;
    List<ObjectRow> objectRows = new ArrayList<>();
    List<RoleInfo> roles = new ArrayList<>();
    List<Membership> memberships = new ArrayList<>();
    Map<DefaultsKey, Set<Privilege>> defaults = new LinkedHashMap<>();
    while (rs.next()) {
      char sec = rs.getString(1).charAt(0);
      String nsp = rs.getString(2);
      String name = rs.getString(3);
      String args = rs.getString(4);
      String acl = rs.getString(5);
      switch (sec) {
        case 'v':
          version = Integer.parseInt(name);
          db = args;
          break;
        case 'o':
          roles.add(role(name, args, rs.getString(6), rs.getTimestamp(7)));
          break;
        case 'm':
          if (!name.equals(args)) {
            memberships.add(
                Membership.builder().role(name).member(args).adminOption(rs.getBoolean(8)).build());
          }
          break;
        case 'a':
          String objectType = rs.getString(6);
          parse(
              acl,
              "the default privileges of " + name,
              (grantee, privileges, grantable) -> {
                if (!grantee.isEmpty()) {
                  addDefaults(
                      defaults, name, nsp, objectType, grantee, false, privileges & ~grantable);
                  addDefaults(defaults, name, nsp, objectType, grantee, true, grantable);
                }
              });
          break;
        default:
          objectRows.add(ObjectRow.of(sec, nsp, name, args, acl));
      }
    }
    if (db == null) {
      throw new SQLException("catalog query returned no version row");
    }
    CatalogSnapshot.Builder b =
        CatalogSnapshot.builder()
            .database(db)
            .serverVersionNum(version)
            .addAllRoles(roles)
            .addAllMemberships(memberships);
    List<ResourceRef> objects = new ArrayList<>(objectRows.size());
    List<Grant> grants = new ArrayList<>();
    // grantee -> {privileges without the grant option, privileges with it}, per object
    Map<String, int[]> held = new LinkedHashMap<>();
    for (ObjectRow r : objectRows) {
      ResourceRef ref = r.ref(db);
      objects.add(ref);
      int applicable = APPLICABLE[ref.kind().ordinal()];
      held.clear();
      parse(
          r.acl(),
          ref,
          (grantee, privileges, grantable) -> {
            if (!grantee.isEmpty() && (only == null || only.equals(grantee))) {
              int[] h = held.computeIfAbsent(grantee, k -> new int[2]);
              h[0] |= privileges & ~grantable & applicable;
              h[1] |= grantable & applicable;
            }
          });
      held.forEach(
          (grantee, h) -> {
            for (int option = 0; option < 2; option++) {
              if (h[option] != 0) {
                grants.add(
                    Grant.builder()
                        .grantee(grantee)
                        .resource(ref)
                        .withGrantOption(option == 1)
                        .addAllPrivileges(privileges(h[option]))
                        .build());
              }
            }
          });
    }
    b.addAllObjects(objects).addAllGrants(grants);
    List<DefaultPrivilege> dps = new ArrayList<>();
    defaults.forEach(
        (k, privs) -> {
          DefaultPrivilege.Builder d =
              DefaultPrivilege.builder()
                  .owner(k.owner())
                  .objectType(objectType(k.objectType()))
                  .grantee(k.grantee())
                  .withGrantOption(k.grantable())
                  .addAllPrivileges(privs);
          if (k.schema() != null) {
            d.schema(k.schema());
          }
          dps.add(d.build());
        });
    return b.addAllDefaultPrivileges(dps).build();
  }

  private static void parse(String acl, Object of, AclText.Visitor visitor) throws SQLException {
    try {
      AclText.parse(acl, visitor);
    } catch (IllegalArgumentException e) {
      throw new SQLException("Unexpected ACL of " + of + ": " + e.getMessage(), e);
    }
  }

  /** Per resource kind, the bits of the privileges that apply to it. */
  private static final int[] APPLICABLE = new int[ResourceKind.values().length];

  static {
    for (Privilege p : Privilege.values()) {
      for (ResourceKind k : p.appliesTo()) {
        APPLICABLE[k.ordinal()] |= 1 << p.ordinal();
      }
    }
  }

  private static Set<Privilege> privileges(int bits) {
    EnumSet<Privilege> out = EnumSet.noneOf(Privilege.class);
    for (Privilege p : Privilege.values()) {
      if ((bits & (1 << p.ordinal())) != 0) {
        out.add(p);
      }
    }
    return out;
  }

  private static void addDefaults(
      Map<DefaultsKey, Set<Privilege>> into,
      String owner,
      String schema,
      String objectType,
      String grantee,
      boolean grantable,
      int bits) {
    if (bits != 0) {
      into.computeIfAbsent(
              new DefaultsKey(
                  owner,
                  schema == null || schema.isEmpty() ? null : schema,
                  objectType,
                  grantee,
                  grantable),
              k -> EnumSet.noneOf(Privilege.class))
          .addAll(privileges(bits));
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
    RoleInfo.Builder b =
        RoleInfo.builder()
            .name(name)
            .superuser(f.contains("super"))
            .login(f.contains("login"))
            .inherit(f.contains("inherit"))
            .createRole(f.contains("createrole"))
            .createDb(f.contains("createdb"));
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
