package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.PostgresVersion;
import io.grantsmith.testkit.internal.GroundTruth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * On a real server, as the connector: from any generated starting state, applying the plan to any
 * generated desired state reaches it exactly, and planning again gives an empty plan. The state
 * reached is proven from outside the SDK, as the superuser: every desired privilege is held by the
 * server's own answer ({@code has_*_privilege}), every other privilege on a schema, relation or
 * sequence is not, and the ACLs read with plain catalog SQL hold exactly the desired grants and
 * nothing more (no other privilege, column privilege, default privilege or membership; nothing in
 * the shared database). The planner's roles are NOLOGIN, so a LOGIN role made for the check is
 * granted the role, logs in, {@code SET ROLE}s to it and tries each relation, sequence and schema,
 * and an insert. Runs on the first configured version.
 */
class PlannerPropertiesIT {
  static final int TRIES = 25;
  private static final AtomicInteger ROLES = new AtomicInteger();
  private static final AtomicInteger TRIED = new AtomicInteger();
  private static final AtomicInteger HELD = new AtomicInteger();
  private static final AtomicInteger ABSENT = new AtomicInteger();
  private static final AtomicInteger LOGINS = new AtomicInteger();
  private static final AtomicInteger ATTEMPTS = new AtomicInteger();
  private static final AtomicInteger ALLOWED = new AtomicInteger();
  private static final String DENIED = "42501";
  private static AzurePostgres server;
  private static TestConnector connector;
  private static String db;
  private static List<ResourceRef> objects;
  private static String checker;
  private static final String CHECKER_PASSWORD = "Check-" + UUID.randomUUID();

  @BeforeContainer
  static void estate() throws Exception {
    server = AzurePostgres.shared(PostgresVersion.configured().get(0).major());
    db = server.createDatabase();
    try (Connection admin = server.adminConnection(db);
        Statement st = admin.createStatement()) {
      st.execute(
          "CREATE SCHEMA app; CREATE SCHEMA \"Odd; \"\"Schema\"\"\";"
              + " CREATE TABLE app.a (id serial); CREATE TABLE app.\"B b\" (id int);"
              + " CREATE VIEW app.v AS SELECT 1 AS one; CREATE TABLE \"Odd; \"\"Schema\"\"\".t (x int);"
              + " CREATE SEQUENCE app.s; CREATE FUNCTION app.f(n integer) RETURNS int"
              + " LANGUAGE sql AS 'SELECT n'");
    }
    connector = TestConnector.create(server, db);
    objects = new ArrayList<>();
    for (ResourceRef o : connector.reader().read(db).objects()) {
      if (o.kind() != ResourceKind.SCHEMA || !o.schema().get().equals("public")) {
        objects.add(o);
      }
    }
    checker = "pp_check_" + db.substring(Math.max(0, db.length() - 8));
    try (Connection su = server.superuserConnection(db);
        Statement st = su.createStatement()) {
      st.execute("CREATE ROLE " + q(checker) + " LOGIN PASSWORD '" + CHECKER_PASSWORD + "'");
    }
  }

  @AfterContainer
  static void summary() {
    if (objects == null) {
      return;
    }
    System.out.printf(
        "PLANNER properties: %d tries on PG%d, %d desired privileges held"
            + " (has_*_privilege), %d others absent, %d logins, %d attempts (%d allowed)%n",
        TRIED.get(),
        server.majorVersion(),
        HELD.get(),
        ABSENT.get(),
        LOGINS.get(),
        ATTEMPTS.get(),
        ALLOWED.get());
    assertThat(TRIED.get()).as("tries").isEqualTo(TRIES);
    assertThat(LOGINS.get()).as("one login per try").isEqualTo(TRIES);
    // Each try tries every relation, sequence and schema, and one insert.
    long tried =
        objects.stream()
            .filter(
                o ->
                    o.kind() == ResourceKind.RELATION
                        || o.kind() == ResourceKind.SEQUENCE
                        || o.kind() == ResourceKind.SCHEMA)
            .count();
    assertThat(ATTEMPTS.get()).as("attempts").isEqualTo((int) (TRIES * (tried + 1)));
    // Both outcomes came up: some attempts were allowed, some refused.
    assertThat(ALLOWED.get()).as("attempts allowed").isPositive().isLessThan(ATTEMPTS.get());
  }

  @Property(tries = TRIES)
  void anyPlanReachesItsDesiredStateAndReplanningIsEmpty(
      @ForAll("states") List<Set<Privilege>> start, @ForAll("states") List<Set<Privilege>> goal)
      throws SQLException {
    TRIED.incrementAndGet();
    String role =
        "pp_" + ROLES.incrementAndGet() + "_" + db.substring(Math.max(0, db.length() - 8));
    Planner planner = Planner.builder().build();
    DesiredState first = desired(role, start);
    connector.executor().apply(planner.plan(first, connector.snapshots(db)));
    DesiredState wanted = desired(role, goal);

    connector.executor().apply(planner.plan(wanted, connector.snapshots(db)));

    Set<Held> want = new HashSet<>();
    for (Grant g : wanted.grants()) {
      for (Privilege p : g.privileges()) {
        want.add(Held.of(g.resource(), p.keyword(), g.withGrantOption()));
      }
    }
    assertThat(aclsOf(role)).as("the server's ACLs for " + role).isEqualTo(want);
    assertThat(GroundTruth.privilegeFindings(server, db, role))
        .as("GroundTruth in " + db)
        .hasSize(want.size());
    assertThat(GroundTruth.privilegeFindings(server, "postgres", role))
        .as("GroundTruth in postgres")
        .isEmpty();
    checkPrivileges(role, want);
    tryAsTheRole(role, want);
    assertThat(planner.plan(wanted, connector.snapshots(db)).isEmpty())
        .as("replanning is empty")
        .isTrue();
  }

  /** One privilege on one object, as the server's ACLs and the desired state name it. */
  record Held(
      String kind,
      String schema,
      String name,
      String arguments,
      String privilege,
      boolean grantable) {
    static Held of(ResourceRef r, String privilege, boolean grantable) {
      boolean named =
          r.kind() == ResourceKind.RELATION
              || r.kind() == ResourceKind.SEQUENCE
              || r.kind() == ResourceKind.FUNCTION;
      return new Held(
          r.kind().name(),
          r.schema().orElse(""),
          named ? r.name().orElse("") : "",
          r.arguments().orElse(""),
          privilege,
          grantable);
    }
  }

  /**
   * Everything the role holds in the database, read as the superuser with plain catalog SQL ({@code
   * aclexplode} of every ACL, memberships): what a desired state may name, and any column
   * privilege, default privilege or membership, which none may.
   */
  private static Set<Held> aclsOf(String role) throws SQLException {
    String sql =
        "WITH r AS (SELECT oid FROM pg_roles WHERE rolname = ?)"
            + " SELECT 'DATABASE', '', '', '', a.privilege_type, a.is_grantable"
            + "   FROM pg_database d CROSS JOIN LATERAL aclexplode(d.datacl) a, r"
            + "   WHERE d.datname = current_database() AND a.grantee = r.oid"
            + " UNION ALL SELECT 'SCHEMA', n.nspname, '', '', a.privilege_type, a.is_grantable"
            + "   FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a, r"
            + "   WHERE a.grantee = r.oid"
            + " UNION ALL SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'RELATION' END,"
            + "   n.nspname, c.relname, '', a.privilege_type, a.is_grantable"
            + "   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + "   CROSS JOIN LATERAL aclexplode(c.relacl) a, r WHERE a.grantee = r.oid"
            + " UNION ALL SELECT 'FUNCTION', n.nspname, p.proname,"
            + "   pg_get_function_identity_arguments(p.oid), a.privilege_type, a.is_grantable"
            + "   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            + "   CROSS JOIN LATERAL aclexplode(p.proacl) a, r WHERE a.grantee = r.oid"
            + " UNION ALL SELECT 'COLUMN', at.attrelid::regclass::text, at.attname, '',"
            + "   a.privilege_type, a.is_grantable"
            + "   FROM pg_attribute at CROSS JOIN LATERAL aclexplode(at.attacl) a, r"
            + "   WHERE a.grantee = r.oid"
            + " UNION ALL SELECT 'DEFAULT', da.defaclobjtype::text, '', '', a.privilege_type,"
            + "   a.is_grantable FROM pg_default_acl da CROSS JOIN LATERAL aclexplode(da.defaclacl) a,"
            + "   r WHERE a.grantee = r.oid OR da.defaclrole = r.oid"
            + " UNION ALL SELECT 'MEMBER OF', g.rolname, '', '', '', false"
            + "   FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid, r WHERE m.member = r.oid";
    Set<Held> out = new HashSet<>();
    try (Connection su = server.superuserConnection(db);
        PreparedStatement ps = su.prepareStatement(sql)) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Held(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getBoolean(6)));
        }
      }
    }
    return out;
  }

  /**
   * Asks the server, as the superuser, whether the role holds each privilege that applies to each
   * object: every desired one must be held; every other one on a schema, relation or sequence must
   * not (on the database and the function PUBLIC holds CONNECT, TEMPORARY and EXECUTE from their
   * creation, so there {@link #aclsOf} is the judge).
   */
  private static void checkPrivileges(String role, Set<Held> want) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    List<Boolean> expected = new ArrayList<>();
    for (ResourceRef o : objects) {
      for (Privilege p : Privilege.applicableTo(o.kind())) {
        if (!p.isSupportedOn(server.majorVersion())) {
          continue;
        }
        Held h = Held.of(o, p.keyword(), false);
        boolean wanted = wants(want, o, p);
        boolean publicHolds =
            o.kind() == ResourceKind.FUNCTION
                || (o.kind() == ResourceKind.DATABASE && p != Privilege.CREATE);
        if (wanted || !publicHolds) {
          rows.add(new String[] {h.kind(), h.schema(), h.name(), h.arguments(), h.privilege()});
          expected.add(wanted);
        }
      }
    }
    // The objects are found by name in the catalogs, not through the SDK's quoting.
    String sql =
        "SELECT CASE w.k"
            + " WHEN 'DATABASE' THEN has_database_privilege(?::name, current_database()::text, w.p)"
            + " WHEN 'SCHEMA' THEN has_schema_privilege(?::name, w.s, w.p)"
            + " WHEN 'FUNCTION' THEN has_function_privilege(?::name, (SELECT p.oid FROM pg_proc p"
            + "   JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = w.s"
            + "   AND p.proname = w.n AND pg_get_function_identity_arguments(p.oid) = w.a), w.p)"
            + " WHEN 'SEQUENCE' THEN has_sequence_privilege(?::name, (SELECT c.oid FROM pg_class c"
            + "   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = w.s"
            + "   AND c.relname = w.n), w.p)"
            + " ELSE has_table_privilege(?::name, (SELECT c.oid FROM pg_class c"
            + "   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = w.s"
            + "   AND c.relname = w.n), w.p) END"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + "   WITH ORDINALITY AS w(k, s, n, a, p, i) ORDER BY w.i";
    try (Connection su = server.superuserConnection(db);
        PreparedStatement ps = su.prepareStatement(sql)) {
      for (int i = 1; i <= 5; i++) {
        ps.setString(i, role);
      }
      for (int col = 0; col < 5; col++) {
        int c = col;
        ps.setArray(6 + col, su.createArrayOf("text", rows.stream().map(r -> r[c]).toArray()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < rows.size(); i++) {
          assertThat(rs.next()).isTrue();
          String[] r = rows.get(i);
          assertThat(rs.getObject(1))
              .as("has_*_privilege(%s, %s %s.%s(%s), %s)", role, r[0], r[1], r[2], r[3], r[4])
              .isEqualTo(expected.get(i));
          (expected.get(i) ? HELD : ABSENT).incrementAndGet();
        }
      }
    }
  }

  /**
   * Logs in as the check role, made a member of {@code role} for the time of the check, and acts as
   * {@code role} ({@code SET ROLE}): each relation and sequence is readable, each schema usable,
   * and a plain table insertable exactly when the desired state says so.
   */
  private static void tryAsTheRole(String role, Set<Held> want) throws SQLException {
    try (Connection su = server.superuserConnection(db);
        Statement st = su.createStatement()) {
      st.execute("GRANT " + q(role) + " TO " + q(checker));
      try (Connection c = server.connect(db, checker, CHECKER_PASSWORD);
          Statement as = c.createStatement()) {
        LOGINS.incrementAndGet();
        as.execute("SET ROLE " + q(role));
        for (ResourceRef o : objects) {
          if (o.schema().isEmpty()) {
            continue; // the database: CONNECT is PUBLIC's; aclsOf judges it
          }
          String schema = o.schema().get();
          boolean usage = wants(want, ResourceRef.schema(db, schema), Privilege.USAGE);
          switch (o.kind()) {
            // Calling a function that does not exist: 42883 where the schema is usable.
            case SCHEMA ->
                attempt(
                    c,
                    "SELECT " + q(schema) + ".no_such_function()",
                    usage ? "42883" : DENIED,
                    role + " uses schema " + schema);
            case RELATION, SEQUENCE ->
                attempt(
                    c,
                    "SELECT * FROM " + q(schema) + "." + q(o.name().get()) + " LIMIT 0",
                    usage && wants(want, o, Privilege.SELECT) ? null : DENIED,
                    role + " reads " + o);
            default -> {
              // functions: EXECUTE is PUBLIC's from their creation; has_*_privilege judged it
            }
          }
        }
        ResourceRef plain =
            objects.stream()
                .filter(o -> o.kind() == ResourceKind.RELATION && o.name().get().equals("B b"))
                .findFirst()
                .orElseThrow();
        boolean insert =
            wants(want, ResourceRef.schema(db, "app"), Privilege.USAGE)
                && wants(want, plain, Privilege.INSERT);
        c.setAutoCommit(false);
        attempt(
            c,
            "INSERT INTO app.\"B b\" VALUES (1)",
            insert ? null : DENIED,
            role + " inserts into " + plain);
        c.rollback();
      } finally {
        st.execute("REVOKE " + q(role) + " FROM " + q(checker));
      }
    }
  }

  private static boolean wants(Set<Held> want, ResourceRef o, Privilege p) {
    return want.contains(Held.of(o, p.keyword(), false))
        || want.contains(Held.of(o, p.keyword(), true));
  }

  /** Runs a statement: it must succeed ({@code state} null) or fail with {@code state}. */
  private static void attempt(Connection c, String sql, String state, String what) {
    ATTEMPTS.incrementAndGet();
    String got;
    try (Statement st = c.createStatement()) {
      st.execute(sql);
      got = null;
    } catch (SQLException e) {
      got = e.getSQLState();
    }
    assertThat(got).as(what + ": " + sql).isEqualTo(state);
    if (!DENIED.equals(state)) {
      ALLOWED.incrementAndGet();
    }
  }

  private static String q(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static DesiredState desired(String role, List<Set<Privilege>> privileges) {
    DesiredState.Builder d = DesiredState.builder().addRole(RoleSpec.builder().name(role).build());
    for (int i = 0; i < objects.size(); i++) {
      Set<Privilege> p = EnumSet.noneOf(Privilege.class);
      for (Privilege x : privileges.get(i)) {
        if (x.appliesTo(objects.get(i).kind()) && x.isSupportedOn(server.majorVersion())) {
          p.add(x);
        }
      }
      if (!p.isEmpty()) {
        d.addGrant(
            Grant.builder().grantee(role).resource(objects.get(i)).addAllPrivileges(p).build());
      }
    }
    return d.build();
  }

  /** Per object, any subset of the privileges that apply to it on this server. */
  @Provide
  Arbitrary<List<Set<Privilege>>> states() {
    List<Arbitrary<Set<Privilege>>> perObject = new ArrayList<>();
    for (ResourceRef o : objects) {
      List<Privilege> applicable =
          Privilege.applicableTo(o.kind()).stream()
              .filter(p -> p.isSupportedOn(server.majorVersion()))
              .collect(Collectors.toList());
      perObject.add(Arbitraries.of(applicable).set().ofMaxSize(applicable.size()));
    }
    return Combinators.combine(perObject).as(List::copyOf);
  }
}
