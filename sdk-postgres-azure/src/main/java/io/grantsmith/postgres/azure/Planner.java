package io.grantsmith.postgres.azure;

import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Membership;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleInfo;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the minimal ordered {@link Plan} that takes the server from its {@linkplain
 * CatalogSnapshot snapshots} to a {@link DesiredState}.
 *
 * <p>Order: first, in the shared database (where role and database-ACL rows are changed, so that
 * one advisory lock serializes them), LOGIN is disabled where it must go, roles are created NOLOGIN
 * or altered, comments, memberships and database privileges set; then, per database, schema,
 * relation, sequence and function privileges; last, LOGIN is enabled. Privileges with the same set
 * on objects of the same kind are granted in one statement ({@code GRANT SELECT ON TABLE a, b, c TO
 * r}), up to {@link Builder#maxObjectsPerStatement} objects each. Privileges the server's version
 * does not know (MAINTAIN before 17) are left out. A role spec with a {@linkplain
 * RoleSpec#password() password} always sets it (a password cannot be read back to compare).
 *
 * <pre>{@code
 * Plan plan = Planner.builder().sharedDatabase("postgres").build()
 *     .plan(desired, List.of(reader.read("postgres"), reader.read("shop")));
 * System.out.println(plan.toSql());
 * }</pre>
 */
public final class Planner {
  private static final List<ResourceKind> OBJECT_KINDS =
      List.of(
          ResourceKind.SCHEMA, ResourceKind.RELATION, ResourceKind.SEQUENCE, ResourceKind.FUNCTION);

  private final String sharedDatabase;
  private final int maxObjectsPerStatement;
  private final Set<String> bundleRoles;

  private Planner(Builder b) {
    this.sharedDatabase = b.sharedDatabase;
    this.maxObjectsPerStatement = b.maxObjectsPerStatement;
    this.bundleRoles = Set.copyOf(b.bundleRoles);
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Planner}. */
  public static final class Builder {
    private String sharedDatabase = "postgres";
    private int maxObjectsPerStatement = 1000;
    private final Set<String> bundleRoles = new HashSet<>();

    private Builder() {}

    /**
     * Sets the roles that are shared bundles: a role spec's membership in one of them is granted
     * {@code WITH INHERIT TRUE, SET FALSE} on 16+ (the member uses the bundle's privileges but
     * cannot act as it), a plain membership before 16 (default: none).
     *
     * @param roles role names
     * @return this builder
     */
    public Builder bundleRoles(Collection<String> roles) {
      for (String role : roles) {
        this.bundleRoles.add(io.grantsmith.api.Identifiers.check("Planner.bundleRoles", role));
      }
      return this;
    }

    /**
     * Sets the database whose session changes roles, memberships and database privileges (default
     * {@code postgres}; use the integration's database).
     *
     * @param sharedDatabase a database name
     * @return this builder
     */
    public Builder sharedDatabase(String sharedDatabase) {
      this.sharedDatabase =
          io.grantsmith.api.Identifiers.check("Planner.sharedDatabase", sharedDatabase);
      return this;
    }

    /**
     * Sets how many objects one GRANT or REVOKE statement names at most (default 1000).
     *
     * @param max at least 1
     * @return this builder
     */
    public Builder maxObjectsPerStatement(int max) {
      InvalidValueException.check(
          max >= 1, "Planner.maxObjectsPerStatement", "must be at least 1", max);
      this.maxObjectsPerStatement = max;
      return this;
    }

    /**
     * Builds the planner.
     *
     * @return the planner
     */
    public Planner build() {
      return new Planner(this);
    }
  }

  /**
   * Plans the change from {@code snapshots} to {@code desired}. Authoritative roles' privileges are
   * made exact only in the databases of the given snapshots.
   *
   * @param desired what the server should hold
   * @param snapshots snapshots of every database the desired grants touch (at least one; roles and
   *     memberships are read from the first)
   * @return the plan; empty if the server already holds the desired state
   * @throws InvalidValueException if a grant names a database without a snapshot or an object that
   *     does not exist
   */
  public Plan plan(DesiredState desired, Collection<CatalogSnapshot> snapshots) {
    Objects.requireNonNull(desired, "desired");
    InvalidValueException.check(
        !snapshots.isEmpty(), "snapshots", "must hold at least one snapshot", snapshots);
    Map<String, CatalogSnapshot> byDb = new LinkedHashMap<>();
    for (CatalogSnapshot s : snapshots) {
      byDb.put(s.database(), s);
    }
    CatalogSnapshot any = byDb.values().iterator().next();
    int major = any.majorVersion();
    Renderer r = new Renderer(major);
    Set<String> authoritative = new HashSet<>();
    for (RoleSpec spec : desired.roles()) {
      authoritative.add(spec.name());
    }
    Map<String, List<Grant>> wantedByDb = new TreeMap<>();
    for (Grant g : desired.grants()) {
      String db = g.resource().requireDatabase();
      CatalogSnapshot snap = byDb.get(db);
      InvalidValueException.check(
          snap != null, "DesiredState.grants", "must name databases that have a snapshot", db);
      InvalidValueException.check(
          snap.contains(g.resource()),
          "DesiredState.grants",
          "must name objects that exist",
          g.resource());
      wantedByDb.computeIfAbsent(db, k -> new ArrayList<>()).add(g);
    }

    Plan.Builder plan = Plan.builder();
    List<Statement> roles = new ArrayList<>();
    List<Statement> login = new ArrayList<>();
    planRoles(desired, any, r, roles, login);
    for (Map.Entry<String, CatalogSnapshot> e : byDb.entrySet()) {
      roles.addAll(
          diff(
              e.getValue(),
              wantedByDb.getOrDefault(e.getKey(), List.of()),
              authoritative,
              EnumSet.of(ResourceKind.DATABASE),
              major,
              r,
              sharedDatabase));
    }
    addStep(plan, sharedDatabase, "roles, memberships and database privileges", roles);
    for (Map.Entry<String, CatalogSnapshot> e : byDb.entrySet()) {
      String db = e.getKey();
      addStep(
          plan,
          db,
          "privileges in database " + db,
          diff(
              e.getValue(),
              wantedByDb.getOrDefault(db, List.of()),
              authoritative,
              EnumSet.copyOf(OBJECT_KINDS),
              major,
              r,
              db));
    }
    addStep(plan, sharedDatabase, "enable login", login);
    return plan.build();
  }

  /** PostgreSQL keeps timestamps to the microsecond. */
  private static Optional<java.time.Instant> micros(Optional<java.time.Instant> t) {
    return t.map(i -> i.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
  }

  private static void addStep(Plan.Builder plan, String db, String what, List<Statement> s) {
    if (!s.isEmpty()) {
      plan.addStep(Step.builder().database(db).description(what).addAllStatements(s).build());
    }
  }

  private void planRoles(
      DesiredState desired,
      CatalogSnapshot any,
      Renderer r,
      List<Statement> out,
      List<Statement> login) {
    String db = sharedDatabase;
    List<Statement> disable = new ArrayList<>();
    List<Statement> rest = new ArrayList<>();
    Set<List<String>> current = new HashSet<>();
    Map<List<String>, Boolean> currentAdmin = new HashMap<>();
    for (Membership m : any.memberships()) {
      current.add(List.of(m.role(), m.member()));
      currentAdmin.merge(List.of(m.role(), m.member()), m.adminOption(), Boolean::logicalOr);
    }
    for (RoleSpec spec : desired.roles()) {
      String name = spec.name();
      Optional<RoleInfo> existing = any.role(name);
      if (existing.isEmpty()) {
        rest.add(r.createRole(db, spec));
        spec.comment().ifPresent(c -> rest.add(r.commentOnRole(db, name, c)));
      } else {
        RoleInfo e = existing.get();
        if (e.login() && !spec.login()) {
          disable.add(r.setLogin(db, name, false));
        }
        if (e.inherit() != spec.inherit() || e.connectionLimit() != spec.connectionLimit()) {
          rest.add(r.setAttributes(db, name, spec.inherit(), spec.connectionLimit()));
        }
        if (!micros(e.validUntil()).equals(micros(spec.validUntil()))) {
          rest.add(r.setValidUntil(db, name, spec.validUntil().orElse(null)));
        }
        spec.password().ifPresent(p -> rest.add(r.setPassword(db, name, p)));
        if (spec.comment().isPresent() && !spec.comment().equals(e.comment())) {
          rest.add(r.commentOnRole(db, name, spec.comment().get()));
        }
      }
      if (spec.login() && !existing.map(RoleInfo::login).orElse(false)) {
        login.add(r.setLogin(db, name, true));
      }
      for (String role : new TreeSet<>(spec.memberOf())) {
        if (!current.contains(List.of(role, name))) {
          rest.add(
              bundleRoles.contains(role)
                  ? r.grantBundle(db, role, name)
                  : r.grantRole(db, role, name, false));
        }
      }
      for (Membership m : any.membershipsOf(name)) {
        if (!spec.memberOf().contains(m.role())) {
          rest.add(r.revokeRole(db, m.role(), name));
        }
      }
    }
    for (Membership m : new TreeSet<>(desired.memberships())) {
      List<String> key = List.of(m.role(), m.member());
      if (!current.contains(key) || (m.adminOption() && !currentAdmin.get(key))) {
        rest.add(r.grantRole(db, m.role(), m.member(), m.adminOption()));
      }
    }
    out.addAll(disable);
    out.addAll(rest);
  }

  /** Grants and revokes of objects of {@code kinds} in one snapshot's database. */
  private List<Statement> diff(
      CatalogSnapshot snap,
      List<Grant> wanted,
      Set<String> exact,
      Set<ResourceKind> kinds,
      int major,
      Renderer r,
      String runIn) {
    int supported = 0;
    for (Privilege p : Privilege.values()) {
      if (p.isSupportedOn(major)) {
        supported |= bit(p);
      }
    }
    // grantee -> resource -> {privileges, those with the grant option}, as bits
    Map<String, Map<ResourceRef, int[]>> want = new TreeMap<>();
    for (Grant g : wanted) {
      if (kinds.contains(g.resource().kind())) {
        int[] w =
            want.computeIfAbsent(g.grantee(), k -> new HashMap<>())
                .computeIfAbsent(g.resource(), k -> new int[2]);
        int bits = bits(g.privileges()) & supported;
        w[0] |= bits;
        if (g.withGrantOption()) {
          w[1] |= bits;
        }
      }
    }
    Map<String, Map<ResourceRef, int[]>> have = new TreeMap<>();
    for (Grant g : snap.grants()) {
      if (kinds.contains(g.resource().kind())
          && (want.containsKey(g.grantee()) || exact.contains(g.grantee()))) {
        int[] h =
            have.computeIfAbsent(g.grantee(), k -> new HashMap<>())
                .computeIfAbsent(g.resource(), k -> new int[2]);
        int bits = bits(g.privileges());
        h[0] |= bits;
        if (g.withGrantOption()) {
          h[1] |= bits;
        }
      }
    }
    int[] none = new int[2];
    Buckets grants = new Buckets();
    Buckets revokes = new Buckets();
    want.forEach(
        (grantee, resources) -> {
          Map<ResourceRef, int[]> held = have.getOrDefault(grantee, Map.of());
          resources.forEach(
              (res, w) -> {
                int[] h = held.getOrDefault(res, none);
                grants.add(grantee, res, false, w[0] & ~w[1] & ~h[0]);
                grants.add(grantee, res, true, w[1] & ~h[1]);
              });
        });
    have.forEach(
        (grantee, resources) -> {
          if (exact.contains(grantee)) {
            Map<ResourceRef, int[]> wantedHere = want.getOrDefault(grantee, Map.of());
            resources.forEach(
                (res, h) -> {
                  int[] w = wantedHere.getOrDefault(res, none);
                  revokes.add(grantee, res, false, h[0] & ~w[0]);
                  revokes.add(grantee, res, true, h[1] & w[0] & ~w[1]);
                });
          }
        });
    List<Statement> out = new ArrayList<>();
    render(revokes, false, r, runIn, out);
    render(grants, true, r, runIn, out);
    return out;
  }

  private static int bit(Privilege p) {
    return 1 << p.ordinal();
  }

  private static int bits(Set<Privilege> privileges) {
    int bits = 0;
    for (Privilege p : privileges) {
      bits |= bit(p);
    }
    return bits;
  }

  private static Set<Privilege> privileges(int bits) {
    Set<Privilege> out = EnumSet.noneOf(Privilege.class);
    for (Privilege p : Privilege.values()) {
      if ((bits & bit(p)) != 0) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Objects that need the same change, grouped by what one statement can cover: grantee, object
   * kind and grant option, then the set of privileges (as bits).
   */
  private static final class Buckets {
    final Map<Bucket, Map<Integer, List<ResourceRef>>> byBucket = new TreeMap<>();
    private Bucket last;

    void add(String grantee, ResourceRef res, boolean option, int bits) {
      if (bits == 0) {
        return;
      }
      ResourceKind kind = res.kind();
      Bucket b = last;
      if (b == null || b.kind != kind || b.option != option || !b.grantee.equals(grantee)) {
        b = new Bucket(grantee, kind, option);
        last = b;
      }
      byBucket
          .computeIfAbsent(b, k -> new HashMap<>())
          .computeIfAbsent(bits, k -> new ArrayList<>())
          .add(res);
    }
  }

  private void render(Buckets buckets, boolean grant, Renderer r, String db, List<Statement> out) {
    buckets.byBucket.forEach(
        (bucket, bySet) -> {
          List<Map.Entry<String, Set<Privilege>>> sets = new ArrayList<>();
          Map<Set<Privilege>, List<ResourceRef>> objectsOf = new HashMap<>();
          bySet.forEach(
              (bits, objects) -> {
                Set<Privilege> privileges = privileges(bits);
                sets.add(Map.entry(Renderer.privilegeList(privileges), privileges));
                objectsOf.put(privileges, objects);
              });
          sets.sort(Map.Entry.comparingByKey());
          for (Map.Entry<String, Set<Privilege>> set : sets) {
            List<ResourceRef> objects = objectsOf.get(set.getValue());
            // A stable order: by rendered name, each name rendered once.
            List<Map.Entry<String, ResourceRef>> named = new ArrayList<>(objects.size());
            for (ResourceRef o : objects) {
              named.add(Map.entry(r.objectName(o), o));
            }
            named.sort(Map.Entry.comparingByKey());
            for (int i = 0; i < named.size(); i += maxObjectsPerStatement) {
              int end = Math.min(named.size(), i + maxObjectsPerStatement);
              List<String> names = new ArrayList<>(end - i);
              for (int j = i; j < end; j++) {
                names.add(named.get(j).getKey());
              }
              String what = Renderer.describe(bucket.kind, names.size(), named.get(i).getValue());
              out.add(
                  grant
                      ? r.grant(
                          db,
                          set.getValue(),
                          bucket.kind,
                          names,
                          what,
                          bucket.grantee,
                          bucket.option)
                      : r.revoke(
                          db,
                          set.getValue(),
                          bucket.kind,
                          names,
                          what,
                          bucket.grantee,
                          bucket.option));
            }
          }
        });
  }

  /** A grantee, an object kind and a grant-option flag: what one statement can cover. */
  private static final class Bucket implements Comparable<Bucket> {
    final String grantee;
    final ResourceKind kind;
    final boolean option;

    Bucket(String grantee, ResourceKind kind, boolean option) {
      this.grantee = grantee;
      this.kind = kind;
      this.option = option;
    }

    @Override
    public int compareTo(Bucket o) {
      int c = kind.compareTo(o.kind);
      if (c == 0) {
        c = grantee.compareTo(o.grantee);
      }
      return c != 0 ? c : Boolean.compare(option, o.option);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bucket && compareTo((Bucket) o) == 0;
    }

    @Override
    public int hashCode() {
      return Objects.hash(grantee, kind, option);
    }
  }
}
