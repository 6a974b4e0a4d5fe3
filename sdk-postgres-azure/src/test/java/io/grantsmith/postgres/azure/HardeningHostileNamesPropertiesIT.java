package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Identifiers;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.GrantsmithArbitraries;
import io.grantsmith.testkit.PostgresVersion;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Issue 8, point 1: {@value #TRIES} jqwik cases, taken in turn by every configured PostgreSQL
 * version (each on a server of its own), of {@value #SETS_PER_CASE} hostile object sets each. A
 * case picks one of {@value #DATABASES} databases with hostile names (made once per server, each
 * holding a hostile canary table no grant ever names), creates for real, as the admin, per set a
 * schema, a table and a column with generated hostile names (quotes, double quotes, semicolons,
 * {@code $$}, backslashes, comment markers, spaces, newlines, Unicode, 63 bytes), and as the
 * connector a role with a hostile name; the SDK grants a hostile grantee (with a hostile request
 * id) read-only access to every table and membership in every role in one request, then revokes
 * it. After the grant the server itself (has_table_privilege, has_column_privilege,
 * has_schema_privilege, pg_has_role, with names quoted by {@code format('%I')} on the server,
 * not by us) confirms exactly the approved access and that the canary is not readable, and every
 * case logs in as the user, reads every hostile column, and is refused the canary and a write.
 * After the revoke the user is gone and the tables, roles and canary (with its row) survive.
 */
class HardeningHostileNamesPropertiesIT {
  static final int TRIES = 2000;
  static final int SETS_PER_CASE = 3;
  static final int DATABASES = 4;
  private static final String CANARY_SCHEMA = "canary \"schema\"; --";
  private static final String CANARY_TABLE = "canary'table$$\\";

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

  private static final Map<Integer, Env> ENVS = new java.util.TreeMap<>();
  static final AtomicInteger CASES = new AtomicInteger();
  static final AtomicInteger FAILURES = new AtomicInteger();
  static final AtomicInteger OBJECT_SETS = new AtomicInteger();
  static final AtomicInteger LOGINS = new AtomicInteger();
  static final AtomicLong STARTED = new AtomicLong();

  /** Reuses the connector's connections, as a pool would; the SDK closes, we keep. */
  static final class Pool implements ConnectionSource {
    final Map<String, Deque<Connection>> idle = new HashMap<>();
    ConnectionSource delegate;

    @Override
    public synchronized Connection open(String database) throws SQLException {
      Deque<Connection> q = idle.computeIfAbsent(database, d -> new ArrayDeque<>());
      Connection real = q.isEmpty() ? delegate.open(database) : q.pop();
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, m, args) -> {
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
    List<String> names = List.of(
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
        st.execute("CREATE TABLE " + q(CANARY_SCHEMA) + "." + q(CANARY_TABLE)
            + " (x int); INSERT INTO " + q(CANARY_SCHEMA) + "." + q(CANARY_TABLE)
            + " VALUES (42)");
      }
      env.admin.put(name, admin);
      env.superuser.put(name, env.server.superuserConnection(name));
    }
    env.connector = AccessFixtures.connector(env.server, env.dbs.toArray(new String[0]));
    env.integration = AccessFixtures.integration(env.connector, 0);
    env.pool.delegate = env.connector.connections();
    env.manager = AccessManager.builder().integration(env.integration).connections(env.pool)
        .connector(env.connector.name).build();
    env.asConnector = env.server.connect("postgres", env.connector.name,
        env.connector.password.reveal());
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
    ENVS.forEach((major, env) -> perVersion.append(perVersion.length() == 0 ? "" : ", ")
        .append("PG").append(major).append(": ").append(env.cases.get()));
    System.out.printf("HARDENING hostile-names: %d cases tried (%s; %d hostile object sets:"
        + " schema, table, column, role; %d grantees and request ids), %d failures,"
        + " %d ground-truth logins, %d hostile databases per server, %d ms%n", CASES.get(),
        perVersion, OBJECT_SETS.get(), CASES.get(), FAILURES.get(), LOGINS.get(), DATABASES, ms);
    for (Env env : ENVS.values()) {
      for (String db : env.dbs) {
        try (ResultSet rs = env.superuser.get(db).createStatement().executeQuery("SELECT x FROM "
            + q(CANARY_SCHEMA) + "." + q(CANARY_TABLE))) {
          assertThat(rs.next() && rs.getInt(1) == 42).as("canary in " + db).isTrue();
        }
      }
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

  private static String q(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static boolean usable(String name) {
    return !name.startsWith("pg_") && !name.equalsIgnoreCase("public")
        && !name.equals(CANARY_SCHEMA) && name.indexOf('\0') < 0;
  }

  @Provide
  Arbitrary<String> names() {
    return GrantsmithArbitraries.hostileIdentifiers().filter(n -> usable(n) && !n.equals("app"));
  }

  @Provide
  Arbitrary<String> roles() {
    return GrantsmithArbitraries.hostileIdentifiers()
        .filter(n -> usable(n) && !Identifiers.isReservedRoleName(n)
            && !n.toLowerCase().startsWith("azure") && !n.startsWith("gs_"));
  }

  @Provide
  Arbitrary<String> grantees() {
    return GrantsmithArbitraries.hostileIdentifiers()
        .filter(n -> !n.isBlank() && n.chars().noneMatch(Character::isISOControl));
  }

  /** One hostile object set: a schema with a table with a column, and a role. */
  record HostileSet(String schema, String table, String column, String role) {}

  @Provide
  Arbitrary<List<HostileSet>> objectSets() {
    Arbitrary<HostileSet> one = net.jqwik.api.Combinators
        .combine(names(), names(), names(), roles())
        .as(HostileSet::new);
    // Schemas are unique per case (they share a database), and so are roles.
    return one.list().ofSize(SETS_PER_CASE).uniqueElements(HostileSet::schema)
        .uniqueElements(HostileSet::role);
  }

  @Property(tries = TRIES, shrinking = ShrinkingMode.OFF)
  void hostileNamesAreGrantedAndRevokedExactly(@ForAll("objectSets") List<HostileSet> sets,
      @ForAll("grantees") String grantee, @ForAll("grantees") String requestId,
      @ForAll @IntRange(min = 0, max = DATABASES - 1) int dbIndex) throws Exception {
    int n = CASES.incrementAndGet();
    Env env = env(n);
    env.cases.incrementAndGet();
    String db = env.dbs.get(dbIndex);
    // Role names are server-wide: make this case's unique while keeping them hostile and at
    // most 63 bytes.
    List<HostileSet> unique = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      HostileSet o = sets.get(i);
      unique.add(new HostileSet(o.schema(), o.table(), o.column(),
          fit(o.role(), "#" + n + "." + i)));
    }
    boolean ok = false;
    try {
      runCase(env, n, db, unique, grantee, requestId);
      ok = true;
    } finally {
      OBJECT_SETS.addAndGet(sets.size());
      if (!ok) {
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

  private static void runCase(Env env, int n, String db, List<HostileSet> sets, String grantee,
      String requestId) throws Exception {
    Connection admin = env.admin.get(db);
    Connection asConnector = env.asConnector;
    Integration integration = env.integration;
    AccessManager manager = env.manager;
    StringBuilder ddl = new StringBuilder();
    StringBuilder roles = new StringBuilder();
    List<ResourceRef> resources = new ArrayList<>();
    for (HostileSet o : sets) {
      String qt = q(o.schema()) + "." + q(o.table());
      ddl.append("CREATE SCHEMA ").append(q(o.schema())).append("; CREATE TABLE ").append(qt)
          .append(" (").append(q(o.column())).append(" int); INSERT INTO ").append(qt)
          .append(" VALUES (7); GRANT USAGE ON SCHEMA ").append(q(o.schema()))
          .append(" TO azure_pg_admin WITH GRANT OPTION; GRANT ALL ON ").append(qt)
          .append(" TO azure_pg_admin WITH GRANT OPTION;");
      roles.append("CREATE ROLE ").append(q(o.role())).append(" NOLOGIN;");
      resources.add(ResourceRef.relation(db, o.schema(), o.table()));
      resources.add(ResourceRef.role(o.role()));
    }
    try (Statement st = admin.createStatement()) {
      st.execute(ddl.toString());
    }
    try (Statement st = asConnector.createStatement()) {
      st.execute(roles.toString());
    }
    String at = "case " + n + " PG" + env.server.majorVersion() + " db=" + db + " grantee="
        + grantee + " sets=" + sets;
    try {
      AccessRequest request = AccessRequest.builder().requestId(requestId)
          .grantee(grantee).integration(integration).level(AccessLevel.READ_ONLY)
          .duration(Duration.ofHours(1)).addAllResources(resources).build();
      AccessGrant g = manager.grant(request);
      String user = g.username();
      assertThat(user).isEqualTo(AccessManager.userName(integration.name(), grantee));
      // Ground truth by the server's own quoting (format('%I')), not ours.
      String check = "SELECT"
          + " has_table_privilege($1, format('%I.%I', $2::text, $3::text), 'SELECT'),"
          + " has_table_privilege($1, format('%I.%I', $2::text, $3::text),"
          + " 'INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER'),"
          + " has_schema_privilege($1, $2::text, 'USAGE'),"
          + " has_schema_privilege($1, $2::text, 'CREATE'),"
          + " pg_has_role($1, $4::text, 'MEMBER'),"
          + " has_column_privilege($1, format('%I.%I', $2::text, $3::text), $5::text, 'SELECT'),"
          + " has_table_privilege($1, format('%I.%I', $6::text, $7::text), 'SELECT'),"
          + " (SELECT rolcanlogin FROM pg_roles WHERE rolname = $1)";
      try (PreparedStatement ps = env.superuser.get(db).prepareStatement(toJdbc(check))) {
        for (HostileSet o : sets) {
          String[] params = {user, o.schema(), o.table(), o.role(), o.column(), CANARY_SCHEMA,
              CANARY_TABLE};
          bind(ps, check, params);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            String what = at + " object " + o;
            assertThat(rs.getBoolean(1)).as("SELECT granted, " + what).isTrue();
            assertThat(rs.getBoolean(2)).as("no write, " + what).isFalse();
            assertThat(rs.getBoolean(3)).as("USAGE granted, " + what).isTrue();
            assertThat(rs.getBoolean(4)).as("no CREATE, " + what).isFalse();
            assertThat(rs.getBoolean(5)).as("member of the role, " + what).isTrue();
            assertThat(rs.getBoolean(6)).as("column readable, " + what).isTrue();
            assertThat(rs.getBoolean(7)).as("canary untouched, " + what).isFalse();
            assertThat(rs.getBoolean(8)).as("can log in, " + what).isTrue();
          }
        }
      }
      // Ground truth by logging in as the user: every hostile column readable, the canary
      // and a write refused.
      LOGINS.incrementAndGet();
      HostileSet first = sets.get(0);
      try (Connection c = env.server.connect(db, user, g.password().orElseThrow().reveal());
          Statement st = c.createStatement()) {
        for (HostileSet x : sets) {
          try (ResultSet rs = st.executeQuery("SELECT " + q(x.column()) + " FROM "
              + q(x.schema()) + "." + q(x.table()))) {
            assertThat(rs.next() && rs.getInt(1) == 7).as(at).isTrue();
          }
        }
        try {
          st.executeQuery("SELECT * FROM " + q(CANARY_SCHEMA) + "." + q(CANARY_TABLE))
              .close();
          throw new AssertionError("canary readable by " + user + ", " + at);
        } catch (SQLException refused) {
          assertThat(refused.getSQLState()).as(at).isEqualTo("42501");
        }
        try {
          st.execute("INSERT INTO " + q(first.schema()) + "." + q(first.table())
              + " VALUES (1)");
          throw new AssertionError("insert allowed for " + user + ", " + at);
        } catch (SQLException refused) {
          assertThat(refused.getSQLState()).as(at).isEqualTo("42501");
        }
      }
      manager.revoke(user);
      try (PreparedStatement ps = env.superuser.get(db).prepareStatement("SELECT"
          + " (SELECT count(*) FROM pg_roles WHERE rolname = ?),"
          + " (SELECT count(*) FROM pg_roles WHERE rolname = ANY (?)),"
          + " (SELECT count(*) FROM " + q(CANARY_SCHEMA) + "." + q(CANARY_TABLE) + ")")) {
        ps.setString(1, user);
        ps.setArray(2, env.superuser.get(db).createArrayOf("text",
            sets.stream().map(HostileSet::role).toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as("user dropped after revoke, " + at).isZero();
          assertThat(rs.getInt(2)).as("roles survive, " + at).isEqualTo(sets.size());
          assertThat(rs.getInt(3)).as("canary survives, " + at).isEqualTo(1);
        }
      }
      for (HostileSet o : sets) {
        try (ResultSet rs = env.superuser.get(db).createStatement().executeQuery(
            "SELECT count(*) FROM "
            + q(o.schema()) + "." + q(o.table()))) {
          assertThat(rs.next() && rs.getInt(1) == 1).as("table survives, " + at).isTrue();
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
      StringBuilder dropRoles = new StringBuilder();
      for (HostileSet o : sets) {
        dropRoles.append("DROP ROLE ").append(q(o.role())).append(";");
      }
      try (Statement st = asConnector.createStatement()) {
        st.execute(dropRoles.toString());
      }
    }
  }

  /** $n placeholders to JDBC ?s, in order of appearance. */
  private static String toJdbc(String sql) {
    return sql.replaceAll("\\$[1-7]", "?");
  }

  private static void bind(PreparedStatement ps, String sql, String[] params)
      throws SQLException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$([1-7])").matcher(sql);
    int i = 1;
    while (m.find()) {
      ps.setString(i++, params[Integer.parseInt(m.group(1)) - 1]);
    }
  }
}
