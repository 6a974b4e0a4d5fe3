package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Identifiers;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.GrantsmithArbitraries;
import io.grantsmith.testkit.PostgresVersion;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Issue 8, point 1 and issue 13: {@value #TRIES} jqwik cases, taken in turn by every configured
 * PostgreSQL version (each on a server of its own), of {@value #SETS_PER_CASE} hostile object sets
 * each. A case picks one of {@value #DATABASES} databases with hostile names (made once per server
 * before the connector's setup, each holding a hostile canary table), an access level and, per set,
 * a resource kind. The admin creates for real, per set, a schema, a table with a column, a sequence
 * and a function (not executable by PUBLIC) with generated hostile names (quotes, double quotes,
 * semicolons, {@code $$}, backslashes, comment markers, spaces, newlines, Unicode, 63 bytes); the
 * connector, created by {@link ConnectorSetup} and reaching the new objects only through the
 * setup's default privileges, creates a hostile role for sets of kind role. The SDK grants a
 * hostile grantee (with a hostile request id) the level on each set's resource of its kind (the
 * whole database, the schema, the table, the sequence, the function or the role) in one request,
 * then revokes it.
 *
 * <p>After the grant, as the superuser: the lease in the role's comment holds the generated grantee
 * and request id ({@code shobj_description}); {@code has_*_privilege} (names quoted by {@code
 * format('%I')} on the server, not by us) gives exactly the privileges the README's table promises
 * on every object of the case, covered or not; the memberships and the ACLs of the database, the
 * canary schema and table and the {@code public} schema hold exactly what the request reaches; in
 * every other hostile database the user has no entry in the ACLs of the database, its schemas and
 * relations, and {@code has_*_privilege} is false for CREATE on the database and every privilege on
 * the canary schema, table and columns. Every case logs in as the user and tries each object:
 * covered tables and sequences are read, uncovered ones refused, a write the level allows succeeds
 * ({@code nextval}, a function call, an insert into the first set's table) and one it does not is
 * refused, the canary is refused unless the whole database was asked for, and {@code SET ROLE}
 * works for each granted role. After the revoke the user is gone and the objects, roles and
 * canaries (with their rows) survive. The summary's counts (cases, logins, read-backs, levels,
 * kinds, databases checked for leaks) are asserted at the end.
 */
class HardeningHostileNamesPropertiesIT {
  static final int TRIES = 2000;
  static final int SETS_PER_CASE = 3;
  static final int DATABASES = 4;

  /** The kinds a set may take: each names one resource of the set (or the whole database). */
  static final List<ResourceKind> KINDS =
      List.of(
          ResourceKind.DATABASE,
          ResourceKind.SCHEMA,
          ResourceKind.RELATION,
          ResourceKind.SEQUENCE,
          ResourceKind.FUNCTION,
          ResourceKind.ROLE);

  /** The kinds a case's first set takes: each covers its table, so every case can write one. */
  static final List<ResourceKind> TABLE_KINDS =
      List.of(ResourceKind.DATABASE, ResourceKind.SCHEMA, ResourceKind.RELATION);

  private static final String CANARY_SCHEMA = "canary \"schema\"; --";
  private static final String CANARY_TABLE = "canary'table$$\\";
  private static final String DENIED = "42501";

  /** One server of one version, with its hostile databases, connector and manager. */
  private static final class Env {
    AzurePostgres server;
    TestConnector connector;
    Integration integration;
    AccessManager manager;
    final List<String> dbs = new ArrayList<>();
    final Map<String, Connection> admin = new HashMap<>();
    final Map<String, Connection> superuser = new HashMap<>();
    Connection asConnector;
    final Pool pool = new Pool();
    final AtomicInteger cases = new AtomicInteger();
  }

  private static final Map<Integer, Env> ENVS = new TreeMap<>();
  static final AtomicInteger CASES = new AtomicInteger();
  static final AtomicInteger PASSED = new AtomicInteger();
  static final AtomicInteger FAILURES = new AtomicInteger();
  static final AtomicInteger OBJECT_SETS = new AtomicInteger();
  static final AtomicInteger LOGINS = new AtomicInteger();
  static final AtomicInteger READ_BACKS = new AtomicInteger();
  static final AtomicInteger LEAK_CHECKS = new AtomicInteger();
  static final AtomicInteger WRITES_ALLOWED = new AtomicInteger();
  static final AtomicInteger WRITES_REFUSED = new AtomicInteger();
  static final AtomicInteger ATTEMPTS = new AtomicInteger();
  static final Map<AccessLevel, AtomicInteger> PER_LEVEL = new EnumMap<>(AccessLevel.class);
  static final Map<ResourceKind, AtomicInteger> PER_KIND = new EnumMap<>(ResourceKind.class);
  static final AtomicLong STARTED = new AtomicLong();

  static {
    for (AccessLevel level : AccessLevel.values()) {
      PER_LEVEL.put(level, new AtomicInteger());
    }
    for (ResourceKind kind : KINDS) {
      PER_KIND.put(kind, new AtomicInteger());
    }
  }

  /** Reuses the connector's connections, as a pool would; the SDK closes, we keep. */
  static final class Pool implements ConnectionSource {
    final Map<String, Deque<Connection>> idle = new HashMap<>();
    ConnectionSource delegate;

    @Override
    public synchronized Connection open(String database) throws SQLException {
      Deque<Connection> q = idle.computeIfAbsent(database, d -> new ArrayDeque<>());
      Connection real = q.isEmpty() ? delegate.open(database) : q.pop();
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, m, args) -> {
                if (m.getName().equals("close")) {
                  try {
                    if (!real.getAutoCommit()) {
                      real.rollback();
                      real.setAutoCommit(true);
                    }
                    synchronized (Pool.this) {
                      q.push(real);
                    }
                  } catch (SQLException broken) {
                    real.close();
                  }
                  return null;
                }
                try {
                  return m.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    /** Closes and forgets every idle connection, e.g. after the network was cut. */
    synchronized void clear() {
      for (Deque<Connection> q : idle.values()) {
        for (Connection c : q) {
          try {
            c.close();
          } catch (SQLException ignored) {
            // already broken
          }
        }
      }
      idle.clear();
    }

    synchronized void closeAll() throws SQLException {
      for (Deque<Connection> q : idle.values()) {
        for (Connection c : q) {
          c.close();
        }
      }
      idle.clear();
    }
  }

  /** The server of the version whose turn case {@code n} is, started on first use. */
  private static synchronized Env env(int n) throws Exception {
    List<PostgresVersion> versions = PostgresVersion.configured();
    int major = versions.get(n % versions.size()).major();
    Env env = ENVS.get(major);
    if (env != null) {
      return env;
    }
    STARTED.compareAndSet(0, System.nanoTime());
    env = new Env();
    // A server of its own: a revoke visits every database, and the shared server holds those
    // of every other suite.
    env.server = AzurePostgres.embedded(major);
    String run = UUID.randomUUID().toString().substring(0, 6);
    List<String> names =
        List.of(
            "db \"" + run + "\"; DROP DATABASE postgres; --",
            "it's $$" + run + "$$ \\ /* x */",
            ("日本" + run + "Ünïcödé").repeat(10).substring(0, 19) + "日",
            run + "a".repeat(Identifiers.MAX_BYTES - run.length()));
    for (String name : names) {
      env.server.createDatabase(name);
      env.dbs.add(name);
      Connection admin = env.server.adminConnection(name);
      try (Statement st = admin.createStatement()) {
        st.execute("CREATE SCHEMA " + q(CANARY_SCHEMA));
        st.execute(
            "CREATE TABLE "
                + q(CANARY_SCHEMA)
                + "."
                + q(CANARY_TABLE)
                + " (x int); INSERT INTO "
                + q(CANARY_SCHEMA)
                + "."
                + q(CANARY_TABLE)
                + " VALUES (42)");
        // Functions the cases create are executable only by those granted EXECUTE.
        st.execute("ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC");
      }
      env.admin.put(name, admin);
      env.superuser.put(name, env.server.superuserConnection(name));
    }
    // The admin applies ConnectorSetup's plan for the hostile databases: the connector's
    // azure_pg_admin membership, and the admin's default privileges by which azure_pg_admin
    // (hence the connector) may grant on every object the cases create later.
    env.connector = TestConnector.create(env.server, env.dbs.toArray(new String[0]));
    env.integration = AccessFixtures.integration(env.connector, 0);
    env.pool.delegate = env.connector.connections();
    env.manager =
        AccessManager.builder()
            .integration(env.integration)
            .connections(env.pool)
            .connector(env.connector.name)
            .build();
    env.asConnector =
        env.server.connect("postgres", env.connector.name, env.connector.password.reveal());
    ENVS.put(major, env);
    return env;
  }

  @AfterContainer
  static void tearDown() throws SQLException {
    if (ENVS.isEmpty()) {
      return;
    }
    long ms = (System.nanoTime() - STARTED.get()) / 1_000_000;
    StringBuilder perVersion = new StringBuilder();
    ENVS.forEach(
        (major, env) ->
            perVersion
                .append(perVersion.length() == 0 ? "" : ", ")
                .append("PG")
                .append(major)
                .append(": ")
                .append(env.cases.get()));
    System.out.printf(
        "HARDENING hostile-names: %d cases tried (%s; %d hostile object sets:"
            + " schema, table, column, sequence, function, role), %d passed, %d failures;"
            + " levels %s; kinds %s; %d grantees and request ids read back; %d ground-truth logins"
            + " (%d attempts: %d writes allowed, %d refused); %d other hostile databases checked for"
            + " leaks; %d hostile databases per server; %d ms%n",
        CASES.get(),
        perVersion,
        OBJECT_SETS.get(),
        PASSED.get(),
        FAILURES.get(),
        PER_LEVEL,
        PER_KIND,
        READ_BACKS.get(),
        LOGINS.get(),
        ATTEMPTS.get(),
        WRITES_ALLOWED.get(),
        WRITES_REFUSED.get(),
        LEAK_CHECKS.get(),
        DATABASES,
        ms);
    try {
      for (Env env : ENVS.values()) {
        for (String db : env.dbs) {
          try (ResultSet rs =
              env.superuser
                  .get(db)
                  .createStatement()
                  .executeQuery("SELECT x FROM " + q(CANARY_SCHEMA) + "." + q(CANARY_TABLE))) {
            assertThat(rs.next() && rs.getInt(1) == 42).as("canary in " + db).isTrue();
          }
        }
      }
      // The figures the README reports, computed here: every case ran and passed, each logged
      // in, read its lease back and checked every other database; each level and each kind
      // came up at least half as often as an even spread gives.
      int cases = CASES.get();
      assertThat(cases).as("cases run").isEqualTo(TRIES);
      assertThat(PASSED.get()).as("cases passed").isEqualTo(cases);
      assertThat(LOGINS.get()).as("logins, one per case").isEqualTo(cases);
      assertThat(READ_BACKS.get()).as("grantees and request ids read back").isEqualTo(cases);
      assertThat(LEAK_CHECKS.get())
          .as("other databases checked for leaks")
          .isEqualTo(cases * (DATABASES - 1));
      assertThat(WRITES_ALLOWED.get() + WRITES_REFUSED.get())
          .as("writes tried, one per case")
          .isEqualTo(cases);
      assertThat(WRITES_REFUSED.get())
          .as("writes refused: the read-only cases")
          .isEqualTo(PER_LEVEL.get(AccessLevel.READ_ONLY).get());
      int minPerLevel = cases / AccessLevel.values().length / 2;
      PER_LEVEL.forEach(
          (level, n) ->
              assertThat(n.get()).as("cases at " + level).isGreaterThanOrEqualTo(minPerLevel));
      // The first set of a case takes one of TABLE_KINDS, the others any of KINDS.
      int minPerKind = cases * (SETS_PER_CASE - 1) / KINDS.size() / 2;
      PER_KIND.forEach(
          (kind, n) ->
              assertThat(n.get()).as("sets of kind " + kind).isGreaterThanOrEqualTo(minPerKind));
      assertThat(PER_KIND.values().stream().mapToInt(AtomicInteger::get).sum())
          .as("sets")
          .isEqualTo(cases * SETS_PER_CASE);
    } finally {
      for (Env env : ENVS.values()) {
        for (Connection c : env.admin.values()) {
          c.close();
        }
        for (Connection c : env.superuser.values()) {
          c.close();
        }
        env.asConnector.close();
        env.pool.closeAll();
        env.manager.close();
        env.server.close();
      }
      ENVS.clear();
    }
  }

  private static String q(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static boolean usable(String name) {
    return !name.startsWith("pg_")
        && !name.equalsIgnoreCase("public")
        && !name.equals(CANARY_SCHEMA)
        && name.indexOf('\0') < 0;
  }

  @Provide
  Arbitrary<String> names() {
    return GrantsmithArbitraries.hostileIdentifiers().filter(n -> usable(n) && !n.equals("app"));
  }

  @Provide
  Arbitrary<String> roles() {
    return GrantsmithArbitraries.hostileIdentifiers()
        .filter(
            n ->
                usable(n)
                    && !Identifiers.isReservedRoleName(n)
                    && !n.toLowerCase().startsWith("azure")
                    && !n.startsWith("gs_"));
  }

  @Provide
  Arbitrary<String> grantees() {
    return GrantsmithArbitraries.hostileIdentifiers()
        .filter(n -> !n.isBlank() && n.chars().noneMatch(Character::isISOControl));
  }

  /**
   * One hostile object set: a schema with a table (with a column), a sequence and a function, a
   * role name, and the kind of resource the case asks for on it.
   */
  record HostileSet(
      String schema,
      String table,
      String column,
      String sequence,
      String function,
      String role,
      ResourceKind kind) {}

  private Arbitrary<HostileSet> set(Arbitrary<ResourceKind> kinds) {
    return Combinators.combine(names(), names(), names(), names(), names(), roles(), kinds)
        .as(HostileSet::new)
        // A table and a sequence share the schema's relation names.
        .filter(o -> !o.table().equals(o.sequence()));
  }

  @Provide
  Arbitrary<List<HostileSet>> objectSets() {
    // Without edge cases, so that the first and last kinds of a list come up no more often than
    // the others.
    Arbitrary<HostileSet> first = set(Arbitraries.of(TABLE_KINDS).withoutEdgeCases());
    Arbitrary<List<HostileSet>> rest =
        set(Arbitraries.of(KINDS).withoutEdgeCases()).list().ofSize(SETS_PER_CASE - 1);
    // Schemas are unique per case: its sets share a database.
    return Combinators.combine(first, rest)
        .as((f, r) -> Stream.concat(Stream.of(f), r.stream()).collect(Collectors.toList()))
        .filter(l -> l.stream().map(HostileSet::schema).distinct().count() == l.size());
  }

  @Property(tries = TRIES, shrinking = ShrinkingMode.OFF)
  void hostileNamesAreGrantedAndRevokedExactly(
      @ForAll("objectSets") List<HostileSet> sets,
      @ForAll AccessLevel level,
      @ForAll("grantees") String grantee,
      @ForAll("grantees") String requestId,
      @ForAll @IntRange(min = 0, max = DATABASES - 1) int dbIndex)
      throws Exception {
    int n = CASES.incrementAndGet();
    Env env = env(n);
    env.cases.incrementAndGet();
    String db = env.dbs.get(dbIndex);
    // Role names are server-wide: make this case's unique while keeping them hostile and at
    // most 63 bytes.
    List<HostileSet> unique = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      HostileSet o = sets.get(i);
      unique.add(
          new HostileSet(
              o.schema(),
              o.table(),
              o.column(),
              o.sequence(),
              o.function(),
              fit(o.role(), "#" + n + "." + i),
              o.kind()));
    }
    boolean ok = false;
    try {
      runCase(env, n, db, unique, level, grantee, requestId);
      ok = true;
    } finally {
      OBJECT_SETS.addAndGet(sets.size());
      if (ok) {
        PASSED.incrementAndGet();
        PER_LEVEL.get(level).incrementAndGet();
        for (HostileSet o : sets) {
          PER_KIND.get(o.kind()).incrementAndGet();
        }
      } else {
        FAILURES.incrementAndGet();
      }
    }
  }

  private static String fit(String base, String suffix) {
    String s = base;
    while (io.grantsmith.testkit.internal.Identifiers.utf8Length(s + suffix)
        > Identifiers.MAX_BYTES) {
      s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
    }
    return s + suffix;
  }

  // What the README's table of access levels promises, written out here rather than taken from
  // the SDK's policy: the privileges a level means on each kind of object.
  private static Set<String> relationPrivileges(AccessLevel level, int major) {
    return switch (level) {
      case READ_ONLY -> Set.of("SELECT");
      case READ_WRITE -> Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE");
      case ADMIN -> allRelationPrivileges(major);
    };
  }

  private static Set<String> allRelationPrivileges(int major) {
    Set<String> all =
        new TreeSet<>(
            Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"));
    if (major >= 17) {
      all.add("MAINTAIN");
    }
    return all;
  }

  private static Set<String> sequencePrivileges(AccessLevel level) {
    return level == AccessLevel.READ_ONLY ? Set.of("SELECT") : Set.of("SELECT", "USAGE", "UPDATE");
  }

  private static boolean functionExecutable(AccessLevel level) {
    return level != AccessLevel.READ_ONLY;
  }

  private static Set<String> schemaPrivileges(AccessLevel level) {
    return level == AccessLevel.ADMIN ? Set.of("USAGE", "CREATE") : Set.of("USAGE");
  }

  private static Set<String> databasePrivileges(AccessLevel level) {
    return level == AccessLevel.ADMIN
        ? Set.of("CONNECT", "CREATE", "TEMPORARY")
        : Set.of("CONNECT");
  }

  /** What a case should hold on the objects of one set. */
  record Expected(Set<String> table, Set<String> sequence, boolean function, Set<String> schema) {}

  private static Expected expected(
      HostileSet o, boolean wholeDatabase, AccessLevel level, int major) {
    boolean wholeSchema = wholeDatabase || o.kind() == ResourceKind.SCHEMA;
    boolean table = wholeSchema || o.kind() == ResourceKind.RELATION;
    boolean sequence = wholeSchema || o.kind() == ResourceKind.SEQUENCE;
    boolean function = wholeSchema || o.kind() == ResourceKind.FUNCTION;
    Set<String> schema =
        wholeSchema
            ? schemaPrivileges(level)
            : table || sequence || function ? Set.of("USAGE") : Set.of();
    return new Expected(
        table ? relationPrivileges(level, major) : Set.of(),
        sequence ? sequencePrivileges(level) : Set.of(),
        function && functionExecutable(level),
        schema);
  }

  private static ResourceRef resource(String db, HostileSet o) {
    return switch (o.kind()) {
      case DATABASE -> ResourceRef.database(db);
      case SCHEMA -> ResourceRef.schema(db, o.schema());
      case RELATION -> ResourceRef.relation(db, o.schema(), o.table());
      case SEQUENCE -> ResourceRef.sequence(db, o.schema(), o.sequence());
      case FUNCTION -> ResourceRef.function(db, o.schema(), o.function(), "");
      default -> ResourceRef.role(o.role());
    };
  }

  private static void runCase(
      Env env,
      int n,
      String db,
      List<HostileSet> sets,
      AccessLevel level,
      String grantee,
      String requestId)
      throws Exception {
    Connection admin = env.admin.get(db);
    Connection superuser = env.superuser.get(db);
    int major = env.server.majorVersion();
    StringBuilder ddl = new StringBuilder();
    StringBuilder roles = new StringBuilder();
    Set<ResourceRef> resources = new LinkedHashSet<>();
    Set<String> grantedRoles = new TreeSet<>();
    for (HostileSet o : sets) {
      String qs = q(o.schema()) + ".";
      ddl.append("CREATE SCHEMA ")
          .append(q(o.schema()))
          .append("; CREATE TABLE ")
          .append(qs)
          .append(q(o.table()))
          .append(" (")
          .append(q(o.column()))
          .append(" int); INSERT INTO ")
          .append(qs)
          .append(q(o.table()))
          .append(" VALUES (7); CREATE SEQUENCE ")
          .append(qs)
          .append(q(o.sequence()))
          .append("; CREATE FUNCTION ")
          .append(qs)
          .append(q(o.function()))
          .append("() RETURNS int LANGUAGE sql AS 'SELECT 7';");
      if (o.kind() == ResourceKind.ROLE) {
        roles.append("CREATE ROLE ").append(q(o.role())).append(" NOLOGIN;");
        grantedRoles.add(o.role());
      }
      resources.add(resource(db, o));
    }
    try (Statement st = admin.createStatement()) {
      st.execute(ddl.toString());
    }
    if (roles.length() > 0) {
      try (Statement st = env.asConnector.createStatement()) {
        st.execute(roles.toString());
      }
    }
    boolean wholeDatabase = sets.stream().anyMatch(o -> o.kind() == ResourceKind.DATABASE);
    String at =
        "case "
            + n
            + " PG"
            + major
            + " "
            + level
            + " db="
            + db
            + " grantee="
            + grantee
            + " requestId="
            + requestId
            + " sets="
            + sets;
    try {
      AccessRequest request =
          AccessRequest.builder()
              .requestId(requestId)
              .grantee(grantee)
              .integration(env.integration)
              .level(level)
              .duration(Duration.ofHours(1))
              .addAllResources(resources)
              .build();
      AccessGrant g = env.manager.grant(request);
      String user = g.username();
      assertThat(user).isEqualTo(AccessManager.userName(env.integration.name(), grantee));

      // The server's answer, as the superuser.
      serverView(
          superuser, user, grantee, requestId, sets, wholeDatabase, level, grantedRoles, major, at);
      for (String other : env.dbs) {
        if (!other.equals(db)) {
          assertThat(leaks(env.superuser.get(other), user, major))
              .as("nothing in the other database " + other + ", " + at)
              .isEmpty();
          LEAK_CHECKS.incrementAndGet();
        }
      }

      // The user's own experience: log in and try every object.
      LOGINS.incrementAndGet();
      try (Connection c = env.server.connect(db, user, g.password().orElseThrow().reveal())) {
        List<Attempt> attempts = new ArrayList<>();
        for (HostileSet o : sets) {
          Expected e = expected(o, wholeDatabase, level, major);
          String qs = q(o.schema()) + ".";
          String what = at + " object " + o;
          attempts.add(
              new Attempt(
                  "SELECT " + q(o.column()) + " FROM " + qs + q(o.table()),
                  !e.table().isEmpty(),
                  7,
                  "read the table, " + what));
          attempts.add(
              new Attempt(
                  "SELECT 7 FROM " + qs + q(o.sequence()),
                  !e.sequence().isEmpty(),
                  7,
                  "read the sequence, " + what));
          attempts.add(
              new Attempt(
                  "SELECT 7 FROM (SELECT nextval(" + literal(qs + q(o.sequence())) + ")) n",
                  e.sequence().contains("USAGE"),
                  7,
                  "nextval, " + what));
          attempts.add(
              new Attempt(
                  "SELECT " + qs + q(o.function()) + "()",
                  e.function(),
                  7,
                  "call the function, " + what));
        }
        attempts.add(
            new Attempt(
                "SELECT x FROM " + q(CANARY_SCHEMA) + "." + q(CANARY_TABLE),
                wholeDatabase,
                42,
                "read the canary, " + at));
        for (String role : grantedRoles) {
          attempts.add(
              new Attempt(
                  "SET ROLE " + q(role) + "; RESET ROLE",
                  true,
                  null,
                  "set role " + role + ", " + at));
        }
        tryAll(c, attempts);
        // The first set's table is covered in every case: the level decides whether the user
        // may write to it. The insert is rolled back.
        HostileSet first = sets.get(0);
        boolean writes = level != AccessLevel.READ_ONLY;
        c.setAutoCommit(false);
        tryAll(
            c,
            List.of(
                new Attempt(
                    "INSERT INTO " + q(first.schema()) + "." + q(first.table()) + " VALUES (1)",
                    writes,
                    null,
                    "insert at " + level + ", " + at)));
        c.rollback();
        (writes ? WRITES_ALLOWED : WRITES_REFUSED).incrementAndGet();
      }

      env.manager.revoke(user);
      StringBuilder after =
          new StringBuilder(
              "SELECT"
                  + " (SELECT count(*) FROM pg_roles WHERE rolname = ?),"
                  + " (SELECT count(*) FROM pg_roles WHERE rolname = ANY (?)),"
                  + " (SELECT count(*) FROM "
                  + q(CANARY_SCHEMA)
                  + "."
                  + q(CANARY_TABLE)
                  + ")");
      for (HostileSet o : sets) {
        after
            .append(", (SELECT count(*) FROM ")
            .append(q(o.schema()))
            .append(".")
            .append(q(o.table()))
            .append(")");
      }
      try (PreparedStatement ps = superuser.prepareStatement(after.toString())) {
        ps.setString(1, user);
        ps.setArray(2, superuser.createArrayOf("text", grantedRoles.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as("user dropped after revoke, " + at).isZero();
          assertThat(rs.getInt(2)).as("roles survive, " + at).isEqualTo(grantedRoles.size());
          assertThat(rs.getInt(3)).as("canary survives, " + at).isEqualTo(1);
          for (int i = 0; i < sets.size(); i++) {
            assertThat(rs.getInt(4 + i))
                .as("table survives with its row, " + at + " object " + sets.get(i))
                .isEqualTo(1);
          }
        }
      }
    } finally {
      StringBuilder drop = new StringBuilder();
      for (HostileSet o : sets) {
        drop.append("DROP SCHEMA ").append(q(o.schema())).append(" CASCADE;");
      }
      try (Statement st = admin.createStatement()) {
        st.execute(drop.toString());
      }
      if (!grantedRoles.isEmpty()) {
        StringBuilder dropRoles = new StringBuilder();
        for (String role : grantedRoles) {
          dropRoles.append("DROP ROLE ").append(q(role)).append(";");
        }
        try (Statement st = env.asConnector.createStatement()) {
          st.execute(dropRoles.toString());
        }
      }
    }
  }

  /**
   * What the user holds in a database the request does not name, asked of the server as the
   * superuser there: its entries in the ACLs of the database and of every schema and relation, and
   * {@code has_*_privilege} for CREATE on the database and every privilege on the canary schema,
   * table and columns. (Memberships are cluster-wide and checked exactly once.)
   */
  private static List<String> leaks(Connection superuser, String user, int major)
      throws SQLException {
    String sql =
        "WITH r AS (SELECT oid AS u FROM pg_roles WHERE rolname = ?)"
            + " SELECT 'database ACL: ' || a.privilege_type FROM pg_database d"
            + "   CROSS JOIN LATERAL aclexplode(d.datacl) a, r"
            + "   WHERE d.datname = current_database() AND a.grantee = r.u"
            + " UNION ALL SELECT 'schema ' || quote_ident(n.nspname) || ' ACL: ' || a.privilege_type"
            + "   FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a, r"
            + "   WHERE n.nspacl IS NOT NULL AND a.grantee = r.u"
            + " UNION ALL SELECT 'relation ' || c.oid::regclass::text || ' ACL: ' || a.privilege_type"
            + "   FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a, r"
            + "   WHERE c.relacl IS NOT NULL AND a.grantee = r.u"
            + " UNION ALL SELECT 'has CREATE on the database' FROM r"
            + "   WHERE has_database_privilege(r.u, current_database()::text, 'CREATE')"
            + " UNION ALL SELECT 'has ' || p || ' on the canary schema' FROM r,"
            + "   unnest(ARRAY['USAGE', 'CREATE']) p WHERE has_schema_privilege(r.u, ?::text, p)"
            + " UNION ALL SELECT 'has ' || p || ' on the canary table' FROM r, unnest(?::text[]) p"
            + "   WHERE has_table_privilege(r.u, format('%I.%I', ?::text, ?::text), p)"
            + " UNION ALL SELECT 'has a privilege on a canary column' FROM r"
            + "   WHERE has_any_column_privilege(r.u, format('%I.%I', ?::text, ?::text),"
            + "   'SELECT, INSERT, UPDATE, REFERENCES')";
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = superuser.prepareStatement(sql)) {
      ps.setString(1, user);
      ps.setString(2, CANARY_SCHEMA);
      ps.setArray(3, texts(superuser, allRelationPrivileges(major).stream()));
      ps.setString(4, CANARY_SCHEMA);
      ps.setString(5, CANARY_TABLE);
      ps.setString(6, CANARY_SCHEMA);
      ps.setString(7, CANARY_TABLE);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /**
   * The user as the server sees it, in one query as the superuser: LOGIN on, the lease's grantee
   * and request id, its memberships, its entries in the ACLs of the database, of the canary schema
   * and table and of the {@code public} schema (only a request for the whole database reaches
   * those), and per set every privilege on the table, column, sequence, function and schema ({@code
   * has_*_privilege}), covered or not.
   */
  private static void serverView(
      Connection superuser,
      String user,
      String grantee,
      String requestId,
      List<HostileSet> sets,
      boolean wholeDatabase,
      AccessLevel level,
      Set<String> grantedRoles,
      int major,
      String at)
      throws SQLException {
    String sql =
        "WITH r AS (SELECT oid AS u, rolcanlogin,"
            + "   shobj_description(oid, 'pg_authid')::jsonb AS lease"
            + "   FROM pg_roles WHERE rolname = ?),"
            // What the user holds is its own and its bundles' (roles the bundle marker is a
            // member of).
            + " b AS (SELECT m.roleid FROM pg_auth_members m WHERE m.member = (SELECT u FROM r)"
            + "   AND EXISTS (SELECT 1 FROM pg_auth_members k JOIN pg_roles kr ON kr.oid = k.member"
            + "   WHERE k.roleid = m.roleid AND kr.rolname = '"
            + Conventions.defaults().bundleMarkerRole()
            + "')),"
            + " h AS (SELECT u AS g FROM r UNION SELECT roleid FROM b),"
            + " o AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + "   WITH ORDINALITY AS o(s, t, c, q, f, i))"
            + " SELECT r.rolcanlogin, r.lease ->> 'grantee', r.lease ->> 'requestId',"
            + " array(SELECT a.privilege_type::text FROM pg_database d"
            + "   CROSS JOIN LATERAL aclexplode(d.datacl) a"
            + "   WHERE d.datname = current_database() AND a.grantee IN (SELECT g FROM h)),"
            + " array(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g"
            + "   ON g.oid = m.roleid WHERE m.member = r.u AND m.roleid NOT IN (SELECT roleid FROM b)),"
            + " array(SELECT a.privilege_type::text FROM pg_namespace n"
            + "   CROSS JOIN LATERAL aclexplode(n.nspacl) a WHERE n.nspname = ?"
            + "   AND a.grantee IN (SELECT g FROM h)),"
            + " array(SELECT a.privilege_type::text FROM pg_class c"
            + "   JOIN pg_namespace n ON n.oid = c.relnamespace"
            + "   CROSS JOIN LATERAL aclexplode(c.relacl) a"
            + "   WHERE n.nspname = ? AND c.relname = ? AND a.grantee IN (SELECT g FROM h)),"
            + " array(SELECT a.privilege_type::text FROM pg_namespace n"
            + "   CROSS JOIN LATERAL aclexplode(n.nspacl) a"
            + "   WHERE n.nspname = 'public' AND a.grantee IN (SELECT g FROM h)),"
            + " array(SELECT p FROM unnest(?::text[]) p"
            + "   WHERE has_table_privilege(r.u, format('%I.%I', o.s, o.t), p)),"
            + " has_column_privilege(r.u, format('%I.%I', o.s, o.t), o.c, 'SELECT'),"
            + " array(SELECT p FROM unnest(ARRAY['SELECT', 'USAGE', 'UPDATE']) p"
            + "   WHERE has_sequence_privilege(r.u, format('%I.%I', o.s, o.q), p)),"
            + " has_function_privilege(r.u, format('%I.%I()', o.s, o.f), 'EXECUTE'),"
            + " array(SELECT p FROM unnest(ARRAY['USAGE', 'CREATE']) p"
            + "   WHERE has_schema_privilege(r.u, o.s, p))"
            + " FROM r CROSS JOIN o ORDER BY o.i";
    try (PreparedStatement ps = superuser.prepareStatement(sql)) {
      ps.setString(1, user);
      ps.setArray(2, texts(superuser, sets.stream().map(HostileSet::schema)));
      ps.setArray(3, texts(superuser, sets.stream().map(HostileSet::table)));
      ps.setArray(4, texts(superuser, sets.stream().map(HostileSet::column)));
      ps.setArray(5, texts(superuser, sets.stream().map(HostileSet::sequence)));
      ps.setArray(6, texts(superuser, sets.stream().map(HostileSet::function)));
      ps.setString(7, CANARY_SCHEMA);
      ps.setString(8, CANARY_SCHEMA);
      ps.setString(9, CANARY_TABLE);
      ps.setArray(10, texts(superuser, allRelationPrivileges(major).stream()));
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < sets.size(); i++) {
          assertThat(rs.next()).as("the user exists, " + at).isTrue();
          if (i == 0) {
            assertThat(rs.getBoolean(1)).as("can log in, " + at).isTrue();
            assertThat(rs.getString(2)).as("grantee read back, " + at).isEqualTo(grantee);
            assertThat(rs.getString(3)).as("request id read back, " + at).isEqualTo(requestId);
            READ_BACKS.incrementAndGet();
            assertThat(strings(rs.getArray(4)))
                .as("database privileges, " + at)
                .isEqualTo(wholeDatabase ? databasePrivileges(level) : Set.of("CONNECT"));
            Set<String> roles = new TreeSet<>(grantedRoles);
            roles.add(AccessManager.MARKER_ROLE);
            assertThat(strings(rs.getArray(5))).as("memberships, " + at).isEqualTo(roles);
            Set<String> none = Set.of();
            assertThat(strings(rs.getArray(6)))
                .as("canary schema, " + at)
                .isEqualTo(wholeDatabase ? schemaPrivileges(level) : none);
            assertThat(strings(rs.getArray(7)))
                .as("canary table, " + at)
                .isEqualTo(wholeDatabase ? relationPrivileges(level, major) : none);
            assertThat(strings(rs.getArray(8)))
                .as("public schema, " + at)
                .isEqualTo(wholeDatabase ? schemaPrivileges(level) : none);
          }
          HostileSet o = sets.get(i);
          Expected e = expected(o, wholeDatabase, level, major);
          String what = at + " object " + o;
          assertThat(strings(rs.getArray(9))).as("table privileges, " + what).isEqualTo(e.table());
          assertThat(rs.getBoolean(10))
              .as("column readable, " + what)
              .isEqualTo(!e.table().isEmpty());
          assertThat(strings(rs.getArray(11)))
              .as("sequence privileges, " + what)
              .isEqualTo(e.sequence());
          assertThat(rs.getBoolean(12)).as("function executable, " + what).isEqualTo(e.function());
          assertThat(strings(rs.getArray(13)))
              .as("schema privileges, " + what)
              .isEqualTo(e.schema());
        }
        assertThat(rs.next()).as("one row per set, " + at).isFalse();
      }
    }
  }

  private static Array texts(Connection c, Stream<String> values) throws SQLException {
    return c.createArrayOf("text", values.toArray());
  }

  private static Set<String> strings(Array array) throws SQLException {
    Set<String> out = new TreeSet<>();
    for (Object x : (Object[]) array.getArray()) {
      out.add((String) x);
    }
    return out;
  }

  /**
   * A statement the user tries: it must succeed (its first value being {@code value}, if given) or
   * be refused with SQLSTATE 42501.
   */
  record Attempt(String sql, boolean allowed, Integer value, String what) {}

  /**
   * Runs the attempts in the user's session: those that must succeed together, in one round trip
   * (the first failure fails the case and names its object), each that must be refused on its own.
   */
  private static void tryAll(Connection c, List<Attempt> attempts) throws SQLException {
    List<Attempt> allowed = attempts.stream().filter(Attempt::allowed).collect(Collectors.toList());
    if (!allowed.isEmpty()) {
      String batch = allowed.stream().map(Attempt::sql).collect(Collectors.joining(";\n"));
      List<Attempt> reads =
          allowed.stream().filter(a -> a.value() != null).collect(Collectors.toList());
      int read = 0;
      try (Statement st = c.createStatement()) {
        boolean rows = st.execute(batch);
        while (rows || st.getUpdateCount() != -1) {
          if (rows) {
            Attempt a = reads.get(read++);
            try (ResultSet rs = st.getResultSet()) {
              assertThat(rs.next() && rs.getInt(1) == a.value()).as(a.what()).isTrue();
            }
          }
          rows = st.getMoreResults();
        }
      } catch (SQLException e) {
        throw new AssertionError(
            "refused (SQLSTATE "
                + e.getSQLState()
                + ": "
                + e.getMessage()
                + ") but each of these should be allowed:\n  "
                + batch,
            e);
      }
      assertThat(read).as("results of " + batch).isEqualTo(reads.size());
    }
    for (Attempt a : attempts) {
      if (!a.allowed()) {
        try (Statement st = c.createStatement()) {
          st.execute(a.sql());
          throw new AssertionError("allowed but should be refused: " + a.what() + "\n  " + a.sql());
        } catch (SQLException e) {
          assertThat(e.getSQLState()).as(a.what() + ": " + e.getMessage()).isEqualTo(DENIED);
        }
      }
    }
    ATTEMPTS.addAndGet(attempts.size());
  }
}
