package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.BundleKey;
import io.grantsmith.postgres.azure.internal.BundleQueries;
import io.grantsmith.postgres.azure.internal.Footprint;
import io.grantsmith.postgres.azure.internal.LeaseCodec.Approval;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Shared bundle roles: NOLOGIN roles that hold the privileges of one access level on one resource
 * (a {@link BundleKey}), whose members are the managed users approved for it. Only memberships
 * change per person; a grant brings its bundles up to date with the objects that exist (one query
 * per bundle that returns only what is missing), and the sweep drops bundles that stayed unused for
 * the cleanup period.
 *
 * <p>On 16+ every approval of a database, schema or object uses a bundle, its membership granted
 * {@code WITH INHERIT TRUE, SET FALSE}. Before 16 a member can always {@code SET ROLE} to a role it
 * belongs to: approvals whose privileges let their holder create objects ({@code CREATE}, {@code
 * TEMPORARY}; the standard policy's ADMIN level) are granted to the user itself, so that nothing is
 * ever created as, and owned by, a shared bundle.
 */
final class Bundles {
  private static final int MAX_OBJECTS_PER_STATEMENT = 1000;
  private static final Set<Privilege> CREATING = EnumSet.of(Privilege.CREATE, Privilege.TEMPORARY);

  private final ManagerRuntime rt;

  Bundles(ManagerRuntime rt) {
    this.rt = rt;
  }

  /**
   * A bundle role.
   *
   * @param name its name
   * @param key what it holds
   */
  record Bundle(String name, BundleKey key) {}

  /**
   * How a lease's approvals are held.
   *
   * @param bundles the bundles its user is a member of, in order, each once
   * @param direct the approvals granted to the user itself (roles; before 16, those that create)
   */
  record Split(List<Bundle> bundles, List<Approval> direct) {
    Set<String> names() {
      Set<String> out = new LinkedHashSet<>();
      bundles.forEach(b -> out.add(b.name()));
      return out;
    }
  }

  /**
   * Splits approvals into bundles and what is granted to the user directly: a pure function.
   *
   * @param approvals what a lease approves
   * @param policy what each level means
   * @param major the server's major version
   * @param conventions the names
   * @param connector the connector, whose bundles these are: on 16+ only the role that created a
   *     bundle may grant its memberships, so each connector has bundles of its own
   * @param connectable the databases a server approval covers
   */
  static Split split(
      List<Approval> approvals,
      AccessPolicy policy,
      int major,
      Conventions conventions,
      String connector,
      List<String> connectable) {
    Map<String, Bundle> bundles = new LinkedHashMap<>();
    List<Approval> direct = new ArrayList<>();
    for (Approval a : approvals) {
      ResourceRef r = a.resource();
      List<ResourceRef> targets =
          switch (r.kind()) {
            case ROLE -> List.of();
            case SERVER -> connectable.stream().map(ResourceRef::database).toList();
            default -> List.of(r);
          };
      List<Bundle> these = new ArrayList<>();
      for (ResourceRef t : targets) {
        BundleKey key = key(a.level(), t, policy, major);
        if (!shareable(key, major)) {
          these = null;
          break;
        }
        these.add(
            new Bundle(conventions.bundleName(key.label(), connector + "\n" + key.text()), key));
      }
      if (these == null || targets.isEmpty()) {
        direct.add(a);
      } else {
        these.forEach(b -> bundles.putIfAbsent(b.name(), b));
      }
    }
    return new Split(List.copyOf(bundles.values()), direct);
  }

  /**
   * The key of {@code level} on {@code r} (a database, schema or object), as {@link
   * AccessExpansion} expands it: CONNECT on the database, USAGE on an object's schema, the policy's
   * privileges on everything in scope (a relation's own sequences included); only privileges the
   * server's version knows.
   */
  static BundleKey key(AccessLevel level, ResourceRef r, AccessPolicy policy, int major) {
    Map<ResourceKind, Set<Privilege>> p = new EnumMap<>(ResourceKind.class);
    Set<Privilege> db = EnumSet.of(Privilege.CONNECT);
    if (r.kind() == ResourceKind.DATABASE) {
      db.addAll(policy.privileges(level, ResourceKind.DATABASE));
    }
    p.put(ResourceKind.DATABASE, db);
    boolean wide = r.kind() == ResourceKind.DATABASE || r.kind() == ResourceKind.SCHEMA;
    p.put(
        ResourceKind.SCHEMA,
        wide ? policy.privileges(level, ResourceKind.SCHEMA) : EnumSet.of(Privilege.USAGE));
    if (wide || r.kind() == ResourceKind.RELATION) {
      p.put(ResourceKind.RELATION, policy.privileges(level, ResourceKind.RELATION));
    }
    if (wide || r.kind() == ResourceKind.RELATION || r.kind() == ResourceKind.SEQUENCE) {
      p.put(ResourceKind.SEQUENCE, policy.privileges(level, ResourceKind.SEQUENCE));
    }
    if (wide || r.kind() == ResourceKind.FUNCTION) {
      p.put(ResourceKind.FUNCTION, policy.privileges(level, ResourceKind.FUNCTION));
    }
    Map<ResourceKind, Set<Privilege>> out = new EnumMap<>(ResourceKind.class);
    p.forEach(
        (kind, privs) -> {
          Set<Privilege> s = EnumSet.noneOf(Privilege.class);
          for (Privilege x : privs) {
            if (x.appliesTo(kind) && x.isSupportedOn(major)) {
              s.add(x);
            }
          }
          out.put(kind, s);
        });
    return new BundleKey(r, out);
  }

  /**
   * Whether a bundle may hold {@code key}: on 16+ always, before 16 if nothing it holds creates.
   */
  static boolean shareable(BundleKey key, int major) {
    if (major >= 16) {
      return true;
    }
    for (Set<Privilege> s : key.privileges().values()) {
      for (Privilege p : s) {
        if (CREATING.contains(p)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * An object in a bundle's scope and the privileges of the key it lacks.
   *
   * @param object the object
   * @param privileges what it lacks
   */
  record Missing(ResourceRef object, Set<Privilege> privileges) {}

  /**
   * A bundle as a grant read it.
   *
   * @param bundle the bundle
   * @param read its comment as read, or null if it did not exist
   * @param missing what it lacks of its key now
   * @param beyond whether it may hold something beyond its key (read item by item if so)
   */
  record Sync(Bundle bundle, String read, List<Missing> missing, boolean beyond) {}

  /**
   * Reads a bundle for a grant: its comment, then what it lacks of its key in its database (all of
   * it if the bundle is missing or being dropped).
   *
   * @throws InvalidValueException if the key's resource does not exist
   * @throws GrantsmithException if a role with the bundle's name exists but is not a bundle
   */
  Sync read(Bundle b) {
    String name = b.name();
    BundleKey key = b.key();
    List<String[]> state =
        rt.query(
            rt.shared(),
            BundleQueries.STATE,
            "read the bundle " + name,
            rs -> new String[] {rs.getString(1), String.valueOf(rs.getBoolean(2))},
            rt.config.conventions().bundleMarkerRole(),
            name);
    String read = null;
    if (!state.isEmpty()) {
      if (!Boolean.parseBoolean(state.get(0)[1])) {
        throw new GrantsmithException(
            "Role "
                + name
                + " exists but is not a Grantsmith bundle ("
                + rt.config.conventions().bundleMarkerRole()
                + " is not a member of it); refusing to touch it");
      }
      read = state.get(0)[0];
    }
    boolean full = read == null || read.contains("\"" + BundleKey.DROPPING_AT + "\"");
    Lacking lacking = lacking(name, key, full, read != null);
    InvalidValueException.check(
        lacking.found(), "AccessRequest.resources", "must name objects that exist", key.resource());
    return new Sync(b, read, lacking.missing(), lacking.beyond());
  }

  /**
   * The key's parameters of {@link BundleQueries#MISSING} and {@link BundleQueries#BEYOND}: its
   * resource (kind, schema, name, arguments), then its privilege keywords on each kind of object.
   */
  private static List<Object> keyParams(BundleKey key) {
    ResourceRef r = key.resource();
    return Arrays.asList(
        r.kind().name(),
        r.schema().orElse(null),
        r.name().orElse(null),
        r.arguments().orElse(null),
        keywords(key.on(ResourceKind.DATABASE)),
        keywords(key.on(ResourceKind.SCHEMA)),
        keywords(key.on(ResourceKind.RELATION)),
        keywords(key.on(ResourceKind.SEQUENCE)),
        keywords(key.on(ResourceKind.FUNCTION)));
  }

  /**
   * What a bundle lacks of its key.
   *
   * @param missing the objects and what they lack
   * @param found whether the key's resource exists
   * @param beyond whether the bundle may hold something beyond its key (false unless asked)
   */
  record Lacking(List<Missing> missing, boolean found, boolean beyond) {}

  /**
   * What bundle {@code name} lacks of {@code key} in its database, with one query; with {@code
   * full}, read as if it held nothing; with {@code beyond}, also whether it may hold more than its
   * key ({@link BundleQueries#BEYOND}, a second query on the same connection).
   */
  Lacking lacking(String name, BundleKey key, boolean full, boolean beyond) {
    String db = key.database();
    List<Missing> missing = new ArrayList<>();
    boolean found = false;
    try (Connection c = rt.connections.open(db)) {
      List<Object[]> rows =
          ManagerRuntime.rows(
              c,
              BundleQueries.MISSING,
              rs ->
                  new Object[] {
                    rs.getString("kind"),
                    rs.getString("schema"),
                    rs.getString("name"),
                    rs.getString("args"),
                    strings(rs.getArray("missing")),
                    rs.getBoolean("target")
                  },
              Stream.concat(keyParams(key).stream(), Stream.of(full, name)).toArray());
      for (Object[] row : rows) {
        found |= (Boolean) row[5];
        @SuppressWarnings("unchecked")
        List<String> lacks = (List<String>) row[4];
        if (lacks.isEmpty()) {
          continue;
        }
        Set<Privilege> privs = EnumSet.noneOf(Privilege.class);
        lacks.forEach(k -> privs.add(Privilege.fromKeyword(k)));
        missing.add(new Missing(object(db, row), privs));
      }
      if (beyond) {
        beyond =
            ManagerRuntime.rows(
                    c,
                    BundleQueries.BEYOND,
                    rs -> rs.getBoolean("beyond"),
                    Stream.concat(Stream.of(name), keyParams(key).stream()).toArray())
                .get(0);
      }
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot read what the bundle "
              + name
              + " lacks in "
              + db
              + ": SQLSTATE "
              + e.getSQLState(),
          e);
    }
    return new Lacking(missing, found, beyond);
  }

  /**
   * Whether {@code h}, held by a bundle, is in its {@code key}: a privilege of the key's set for
   * its kind, on an object in the key's scope. Ownership, policies, memberships in other roles and
   * whatever has no key are beyond it.
   *
   * @param sequences the sequences of relations read so far, filled as needed
   */
  boolean withinKey(
      BundleKey key, Footprint.Held h, Map<ResourceRef, List<ResourceRef>> sequences) {
    return key != null
        && h.kind() == Footprint.Kind.PRIVILEGE
        && h.resource().isPresent()
        && h.grantsmithPrivilege().isPresent()
        && inScope(key, h.resource().get(), sequences)
        && key.on(h.resource().get().kind()).contains(h.grantsmithPrivilege().get());
  }

  /** Whether {@code o} is in the scope of {@code key}, as a grant expands it. */
  private boolean inScope(
      BundleKey key, ResourceRef o, Map<ResourceRef, List<ResourceRef>> sequences) {
    ResourceRef r = key.resource();
    String db = key.database();
    if (!o.database().map(db::equals).orElse(false)) {
      return false;
    }
    if (o.kind() == ResourceKind.DATABASE) {
      return true;
    }
    if (o.schema().isEmpty() || !AccessExpansion.managedSchema(o.schema().get())) {
      return false;
    }
    switch (r.kind()) {
      case DATABASE:
        return true;
      case SCHEMA:
        return o.schema().equals(r.schema());
      default:
        break;
    }
    if (o.equals(r) || o.kind() == ResourceKind.SCHEMA && o.schema().equals(r.schema())) {
      return true;
    }
    if (r.kind() == ResourceKind.RELATION && o.kind() == ResourceKind.SEQUENCE) {
      return sequences
          .computeIfAbsent(
              r,
              x ->
                  rt.query(
                      db,
                      LifecycleQueries.OWNED_SEQUENCES,
                      "read the sequences of " + x,
                      rs -> ResourceRef.sequence(db, rs.getString(1), rs.getString(2)),
                      x.schema().get(),
                      x.name().get()))
          .contains(o);
    }
    return false;
  }

  private static ResourceRef object(String db, Object[] row) {
    String s = (String) row[1];
    String n = (String) row[2];
    return switch (ResourceKind.valueOf((String) row[0])) {
      case DATABASE -> ResourceRef.database(db);
      case SCHEMA -> ResourceRef.schema(db, s);
      case SEQUENCE -> ResourceRef.sequence(db, s, n);
      case FUNCTION -> ResourceRef.function(db, s, n, (String) row[3]);
      default -> ResourceRef.relation(db, s, n);
    };
  }

  private static String[] keywords(Set<Privilege> privileges) {
    return privileges.stream().map(Privilege::keyword).toArray(String[]::new);
  }

  private static List<String> strings(Array a) throws SQLException {
    List<String> out = new ArrayList<>();
    if (a != null) {
      for (Object o : (Object[]) a.getArray()) {
        out.add(String.valueOf(o));
      }
    }
    return out;
  }

  /**
   * The statements of a grant's first transaction, on the shared database: the bundle marker, each
   * bundle created or claimed ({@link Renderer#ensureBundle}), and the database privileges it
   * lacks.
   */
  List<Statement> sharedStatements(Renderer r, List<Sync> syncs) {
    List<Statement> out = new ArrayList<>();
    if (syncs.isEmpty()) {
      return out;
    }
    String shared = rt.shared();
    String marker = rt.config.conventions().bundleMarkerRole();
    out.add(Renderer.ensureBundleMarker(shared, marker));
    for (Sync s : syncs) {
      String name = s.bundle().name();
      out.add(
          r.ensureBundle(shared, name, marker, rt.connector(), s.read(), s.bundle().key().text()));
      for (Missing m : s.missing()) {
        if (m.object().kind() == ResourceKind.DATABASE) {
          out.add(r.grant(shared, m.privileges(), List.of(m.object()), name, false));
        }
      }
    }
    return out;
  }

  /**
   * One step per database with bundles that lack privileges on objects: each bundle's comment
   * checked (a sweep may not be dropping it), then the missing privileges granted, objects with the
   * same missing set in one statement.
   */
  List<Step> objectSteps(Renderer r, List<Sync> syncs) {
    Map<String, List<Statement>> byDb = new LinkedHashMap<>();
    for (Sync s : syncs) {
      String name = s.bundle().name();
      String db = s.bundle().key().database();
      Map<String, Map<Set<Privilege>, List<ResourceRef>>> groups = new TreeMap<>();
      for (Missing m : s.missing()) {
        if (m.object().kind() != ResourceKind.DATABASE) {
          groups
              .computeIfAbsent(m.object().kind().name(), k -> new LinkedHashMap<>())
              .computeIfAbsent(m.privileges(), k -> new ArrayList<>())
              .add(m.object());
        }
      }
      if (groups.isEmpty()) {
        continue;
      }
      List<Statement> st = byDb.computeIfAbsent(db, d -> new ArrayList<>());
      st.add(Renderer.guardBundle(db, name, s.bundle().key().text()));
      groups.forEach(
          (kind, sets) ->
              sets.forEach(
                  (privs, objects) -> {
                    for (int i = 0; i < objects.size(); i += MAX_OBJECTS_PER_STATEMENT) {
                      List<ResourceRef> chunk =
                          objects.subList(
                              i, Math.min(objects.size(), i + MAX_OBJECTS_PER_STATEMENT));
                      st.add(r.grant(db, privs, chunk, name, false));
                    }
                  }));
    }
    List<Step> out = new ArrayList<>();
    byDb.forEach(
        (db, st) ->
            out.add(
                Step.builder()
                    .database(db)
                    .description("bring the bundles in " + db + " up to date")
                    .addAllStatements(st)
                    .build()));
    return out;
  }

  /**
   * A bundle as the sweep and the drift report read it.
   *
   * @param name the role
   * @param comment its comment
   * @param key its key, or null if the comment holds none
   * @param unusedSince since when it has had no members, if recorded
   * @param droppingAt when a sweep began to drop it, if one did
   * @param members its members, other than the connector and roles with ADMIN OPTION on it
   */
  record Held(
      String name,
      String comment,
      BundleKey key,
      Instant unusedSince,
      Instant droppingAt,
      List<String> members) {}

  /** Every bundle on the server, with one query. */
  List<Held> readAll() {
    String shared = rt.shared();
    try (Connection c = rt.connections.open(shared)) {
      int major = c.getMetaData().getDatabaseMajorVersion();
      return ManagerRuntime.rows(
          c,
          BundleQueries.bundles(major),
          rs -> {
            BundleKey key = null;
            try {
              key =
                  keyOf(
                      rs.getString("database"),
                      rs.getString("kind"),
                      rs.getString("schema"),
                      rs.getString("name"),
                      rs.getString("args"),
                      strings(rs.getArray("privileges")));
            } catch (IllegalArgumentException unreadable) {
              key = null;
            }
            return new Held(
                rs.getString("rolname"),
                rs.getString("txt"),
                key,
                instant(rs.getString("unused_since")),
                instant(rs.getString("dropping_at")),
                List.copyOf(strings(rs.getArray("members"))));
          },
          rt.config.conventions().bundleMarkerRole(),
          rt.config.marker(),
          rt.config.conventions().bundleMarkerRole());
    } catch (SQLException e) {
      throw new GrantsmithException("Cannot read the bundles: SQLSTATE " + e.getSQLState(), e);
    }
  }

  private static Instant instant(String s) {
    try {
      return s == null ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static BundleKey keyOf(
      String db, String kind, String schema, String name, String args, List<String> privileges) {
    if (db == null || kind == null) {
      return null;
    }
    ResourceRef r =
        switch (ResourceKind.valueOf(kind)) {
          case DATABASE -> ResourceRef.database(db);
          case SCHEMA -> ResourceRef.schema(db, schema);
          case RELATION -> ResourceRef.relation(db, schema, name);
          case SEQUENCE -> ResourceRef.sequence(db, schema, name);
          case FUNCTION -> ResourceRef.function(db, schema, name, args);
          default -> throw new IllegalArgumentException("not a bundle's resource: " + kind);
        };
    Map<ResourceKind, Set<Privilege>> p = new EnumMap<>(ResourceKind.class);
    for (String s : privileges) {
      int colon = s.indexOf(':');
      p.computeIfAbsent(
              ResourceKind.valueOf(s.substring(0, colon)), k -> EnumSet.noneOf(Privilege.class))
          .add(Privilege.fromKeyword(s.substring(colon + 1)));
    }
    return new BundleKey(r, p);
  }

  /**
   * The plan that drops an unused bundle: its comment set to "dropping" (if it is still as read and
   * has no members), then in each database where it holds something {@code DROP OWNED} (if it is
   * still being dropped), then {@code DROP ROLE} (if it is still unused). A grant that claims the
   * bundle meanwhile makes the rest of the plan fail with the conflict SQLSTATE, before any of its
   * privileges go.
   */
  Plan dropPlan(Renderer r, Held b, Instant now, ServerState server) {
    String shared = rt.shared();
    String name = b.name();
    String dropping = b.key() != null ? b.key().comment(BundleKey.DROPPING_AT, now) : b.comment();
    Plan.Builder plan = Plan.builder();
    List<Statement> first = new ArrayList<>();
    if (b.comment() == null) {
      first.add(
          Statement.of(
              shared,
              "DO $grantsmith$ BEGIN IF (SELECT shobj_description(oid, 'pg_authid') FROM pg_roles"
                  + " WHERE rolname = "
                  + io.grantsmith.postgres.azure.internal.Sql.literal(name)
                  + ") IS NOT NULL THEN RAISE EXCEPTION 'bundle changed' USING ERRCODE = '"
                  + Renderer.CONFLICT_SQLSTATE
                  + "'; END IF; END $grantsmith$",
              "check that the bundle " + name + " is unchanged"));
    } else {
      first.add(Renderer.guardBundle(shared, name, b.comment()));
    }
    first.add(
        Renderer.guardUnused(
            shared, name, rt.config.conventions().bundleMarkerRole(), rt.config.marker()));
    if (dropping != null && !dropping.equals(b.comment())) {
      first.add(r.commentOnRole(shared, name, dropping));
    }
    plan.addStep(step(shared, "mark the unused bundle " + name + " as being dropped", first));
    List<String> where =
        rt.query(
            shared,
            LifecycleQueries.FOOTPRINT_DATABASES,
            "read where the bundle " + name + " holds privileges",
            rs -> rs.getString(1),
            name);
    Set<String> dbs = new LinkedHashSet<>();
    for (String db : where) {
      dbs.add(db == null ? shared : db);
    }
    for (String db : server.databases()) {
      if (dbs.contains(db) && !db.equals(shared)) {
        plan.addStep(
            step(db, "remove the privileges of the bundle " + name, dropAll(r, db, b, dropping)));
      }
    }
    List<Statement> last = new ArrayList<>(dropAll(r, shared, b, dropping));
    last.add(
        Renderer.guardUnused(
            shared, name, rt.config.conventions().bundleMarkerRole(), rt.config.marker()));
    last.add(r.dropRole(shared, name));
    plan.addStep(step(shared, "drop the unused bundle " + name, last));
    return plan.build();
  }

  private List<Statement> dropAll(Renderer r, String db, Held b, String dropping) {
    List<Statement> out = new ArrayList<>();
    if (dropping != null) {
      out.add(Renderer.guardBundle(db, b.name(), dropping));
    }
    out.add(r.reassignOwned(db, b.name(), rt.connector()));
    out.add(r.dropOwned(db, b.name()));
    return out;
  }

  private static Step step(String db, String description, List<Statement> statements) {
    return Step.builder()
        .database(db)
        .description(description)
        .addAllStatements(statements)
        .build();
  }

  /**
   * The comment that records that {@code b} has had no members since {@code now}, or that it has
   * members again (its key), or null if it needs no change.
   */
  static String usageComment(Held b, Instant now) {
    if (b.key() == null || b.droppingAt() != null) {
      return null;
    }
    if (b.members().isEmpty()) {
      return b.unusedSince() == null ? b.key().comment(BundleKey.UNUSED_SINCE, now) : null;
    }
    return b.unusedSince() != null ? b.key().text() : null;
  }
}
