package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.PostgresVersion;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Issue 16: any sequence of grants, revocations and sweeps over {@value #PEOPLE} people and
 * overlapping resources leaves each person with exactly the union of their active leases. The
 * resources are the schemas and tables of two databases, each with schemas {@code a} and {@code b}
 * of two tables each; a grant names one or two of them (a schema or a table, in either database) at
 * read-only or read-write, so people share schemas and tables, and one person holds a table both
 * through its schema and by name, at different levels. The {@value #TRIES} cases are taken in turn
 * by the configured PostgreSQL versions (each on its shared server, with databases, a connector and
 * an integration of its own); every case uses people of its own, and bundles made by earlier cases
 * stay for later ones (a sweep with a cleanup period of 0 days may drop unused ones in between).
 *
 * <p>The ground truth is a login: after the sequence, each person with a lease logs in to both
 * databases and tries {@code SELECT} and {@code INSERT} (rolled back) on every table, which must
 * succeed exactly where one of their active grants reaches the table at a level allowing it and
 * fail with SQLSTATE 42501 elsewhere, and {@code CREATE TABLE} (rolled back) in every schema, which
 * must succeed exactly where they hold ADMIN on the schema; a database where they hold nothing may
 * refuse the login (SQLSTATE 42501 or class 28) instead. A revoked person can no longer log in
 * anywhere with the last password handed out. The counts of the summary (cases, logins, attempts
 * allowed and refused, revocations, sweeps) are asserted at the end.
 */
class BundleMembershipPropertiesIT {
  static final int TRIES = 36;
  static final int PEOPLE = 3;
  static final int DATABASES = 2;
  static final List<String> SCHEMAS = List.of("a", "b");
  static final List<String> TABLES = List.of("t1", "t2");
  private static final String DENIED = "42501";

  /** One table of the estate, by its database index, schema and name. */
  record Table(int db, String schema, String name) {}

  /** A resource a grant may name: a schema ({@code table} null) or a table, in database db. */
  record Target(int db, String schema, String table) {
    boolean covers(Table t) {
      return t.db() == db && t.schema().equals(schema) && (table == null || table.equals(t.name()));
    }
  }

  /** A step of a case. */
  sealed interface Step permits GrantStep, RevokeStep, SweepStep {}

  /** Grants person a level on the targets. */
  record GrantStep(int person, AccessLevel level, List<Target> targets) implements Step {}

  /** Revokes every access of person. */
  record RevokeStep(int person) implements Step {}

  /** Runs the manager's sweep. */
  record SweepStep() implements Step {}

  /** The user name and last password handed out to one person. */
  record Login(String user, String password) {}

  /** One version's databases, connector and manager. */
  private static final class Env {
    AzurePostgres server;
    final List<String> dbs = new ArrayList<>();
    Integration integration;
    AccessManager manager;
  }

  private static final Map<Integer, Env> ENVS = new TreeMap<>();
  static final AtomicInteger CASES = new AtomicInteger();
  static final AtomicInteger STEPS = new AtomicInteger();
  static final AtomicInteger GRANTS = new AtomicInteger();
  static final AtomicInteger REVOKES = new AtomicInteger();
  static final AtomicInteger SWEEPS = new AtomicInteger();
  static final AtomicInteger LOGINS = new AtomicInteger();
  static final AtomicInteger LOGINS_REFUSED = new AtomicInteger();
  static final AtomicInteger ALLOWED = new AtomicInteger();
  static final AtomicInteger REFUSED = new AtomicInteger();
  static final AtomicInteger WRITES_ALLOWED = new AtomicInteger();
  static final AtomicInteger REVOKED_CHECKED = new AtomicInteger();
  static final AtomicInteger CREATES_ALLOWED = new AtomicInteger();

  private static synchronized Env env(int n) throws Exception {
    List<PostgresVersion> versions = PostgresVersion.configured();
    int major = versions.get(n % versions.size()).major();
    Env env = ENVS.get(major);
    if (env != null) {
      return env;
    }
    env = new Env();
    env.server = AzurePostgres.shared(major);
    for (int d = 0; d < DATABASES; d++) {
      String db = env.server.createDatabase();
      env.dbs.add(db);
      try (Connection admin = env.server.adminConnection(db);
          Statement st = admin.createStatement()) {
        for (String schema : SCHEMAS) {
          st.execute("CREATE SCHEMA " + schema);
          for (String table : TABLES) {
            st.execute("CREATE TABLE " + schema + "." + table + " (x int)");
          }
        }
      }
    }
    TestConnector connector = AccessFixtures.connector(env.server, env.dbs.toArray(new String[0]));
    env.integration = AccessFixtures.integration(connector, 0);
    env.manager =
        AccessManager.builder()
            .integration(env.integration)
            .credentials(connector.credentials())
            .build();
    ENVS.put(major, env);
    return env;
  }

  @AfterContainer
  static void summary() {
    if (ENVS.isEmpty()) {
      return;
    }
    try {
      System.out.printf(
          "BUNDLE properties: %d cases on PG%s, %d steps (%d grants, %d revocations, %d sweeps);"
              + " %d logins (%d refused where nothing was held), %d attempts allowed (%d writes),"
              + " %d refused; %d creates allowed (ADMIN on the schema);"
              + " %d revoked people refused a login%n",
          CASES.get(),
          ENVS.keySet(),
          STEPS.get(),
          GRANTS.get(),
          REVOKES.get(),
          SWEEPS.get(),
          LOGINS.get(),
          LOGINS_REFUSED.get(),
          ALLOWED.get(),
          WRITES_ALLOWED.get(),
          REFUSED.get(),
          CREATES_ALLOWED.get(),
          REVOKED_CHECKED.get());
      assertThat(CASES.get()).as("cases").isEqualTo(TRIES);
      assertThat(GRANTS.get()).as("grants").isGreaterThanOrEqualTo(TRIES);
      assertThat(REVOKES.get()).as("revocations").isPositive();
      assertThat(SWEEPS.get()).as("sweeps").isPositive();
      assertThat(REVOKED_CHECKED.get()).as("revoked people checked").isPositive();
      assertThat(LOGINS.get()).as("logins").isPositive();
      assertThat(WRITES_ALLOWED.get()).as("writes allowed").isPositive();
      assertThat(CREATES_ALLOWED.get()).as("creates allowed").isPositive();
      assertThat(ALLOWED.get()).as("attempts allowed").isGreaterThan(WRITES_ALLOWED.get());
      assertThat(REFUSED.get()).as("attempts refused").isPositive();
    } finally {
      for (Env env : ENVS.values()) {
        env.manager.close();
      }
      ENVS.clear();
    }
  }

  @Provide
  Arbitrary<List<Step>> sequences() {
    Arbitrary<Integer> person = Arbitraries.integers().between(0, PEOPLE - 1);
    Arbitrary<Target> target =
        Combinators.combine(
                Arbitraries.integers().between(0, DATABASES - 1),
                Arbitraries.of(SCHEMAS),
                Arbitraries.of(TABLES).injectNull(0.4))
            .as(Target::new);
    Arbitrary<Step> grant =
        Combinators.combine(
                person,
                Arbitraries.frequency(
                    Tuple.of(3, AccessLevel.READ_ONLY),
                    Tuple.of(3, AccessLevel.READ_WRITE),
                    Tuple.of(1, AccessLevel.ADMIN)),
                target.list().ofMinSize(1).ofMaxSize(2).uniqueElements())
            .as(GrantStep::new);
    Arbitrary<Step> revoke = person.map(RevokeStep::new);
    Arbitrary<Step> sweep = Arbitraries.just(new SweepStep());
    return Arbitraries.frequencyOf(Tuple.of(7, grant), Tuple.of(2, revoke), Tuple.of(1, sweep))
        .list()
        .ofMinSize(2)
        .ofMaxSize(8);
  }

  @Property(tries = TRIES)
  void anySequenceOfGrantsAndRevocationsLeavesEachPersonTheUnionOfTheirActiveLeases(
      @ForAll("sequences") List<Step> steps) throws Exception {
    int n = CASES.getAndIncrement();
    Env env = env(n);
    String run = "c" + n + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    // The union of each person's grants since their last revocation.
    List<Map<Table, AccessLevel>> held = new ArrayList<>();
    // The schemas (database index and name) where each person may create: ADMIN on the schema.
    List<Set<String>> creators = new ArrayList<>();
    List<Login> logins = new ArrayList<>();
    for (int p = 0; p < PEOPLE; p++) {
      held.add(new HashMap<>());
      creators.add(new HashSet<>());
      logins.add(null);
    }
    Map<Integer, Boolean> active = new LinkedHashMap<>();
    for (Step step : steps) {
      STEPS.incrementAndGet();
      if (step instanceof GrantStep g) {
        GRANTS.incrementAndGet();
        List<ResourceRef> resources = new ArrayList<>();
        for (Target t : g.targets()) {
          String db = env.dbs.get(t.db());
          resources.add(
              t.table() == null
                  ? ResourceRef.schema(db, t.schema())
                  : ResourceRef.relation(db, t.schema(), t.table()));
        }
        AccessGrant granted =
            env.manager.grant(
                AccessFixtures.request(
                    env.integration,
                    "p" + g.person() + "-" + run + "@example.com",
                    g.level(),
                    Duration.ofHours(1),
                    resources.toArray(new ResourceRef[0])));
        Login before = logins.get(g.person());
        String password =
            granted
                .password()
                .map(s -> s.reveal())
                .orElseGet(() -> before == null ? null : before.password());
        assertThat(password).as("a password for person %d", g.person()).isNotNull();
        logins.set(g.person(), new Login(granted.username(), password));
        for (Table t : tables()) {
          for (Target target : g.targets()) {
            if (target.covers(t)) {
              held.get(g.person()).merge(t, g.level(), BundleMembershipPropertiesIT::max);
            }
          }
        }
        if (g.level() == AccessLevel.ADMIN) {
          for (Target target : g.targets()) {
            if (target.table() == null) {
              creators.get(g.person()).add(target.db() + "." + target.schema());
            }
          }
        }
        active.put(g.person(), true);
      } else if (step instanceof RevokeStep r) {
        REVOKES.incrementAndGet();
        Login login = logins.get(r.person());
        if (login != null) {
          env.manager.revoke(login.user());
        }
        held.get(r.person()).clear();
        creators.get(r.person()).clear();
        active.put(r.person(), false);
      } else {
        SWEEPS.incrementAndGet();
        env.manager.sweep();
      }
    }
    for (int p = 0; p < PEOPLE; p++) {
      Login login = logins.get(p);
      if (login == null) {
        continue;
      }
      if (Boolean.TRUE.equals(active.get(p))) {
        check(env, p, login, held.get(p), creators.get(p));
      } else {
        for (String db : env.dbs) {
          try (Connection c = env.server.connect(db, login.user(), login.password())) {
            throw new AssertionError("revoked person " + p + " logged in to " + db);
          } catch (SQLException expected) {
            assertThat(expected.getSQLState()).as("revoked person's login").startsWith("28");
          }
        }
        REVOKED_CHECKED.incrementAndGet();
      }
    }
    for (int p = 0; p < PEOPLE; p++) {
      if (Boolean.TRUE.equals(active.get(p))) {
        env.manager.revoke(logins.get(p).user());
      }
    }
  }

  private static AccessLevel max(AccessLevel a, AccessLevel b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static List<Table> tables() {
    List<Table> out = new ArrayList<>();
    for (int d = 0; d < DATABASES; d++) {
      for (String schema : SCHEMAS) {
        for (String table : TABLES) {
          out.add(new Table(d, schema, table));
        }
      }
    }
    return out;
  }

  /** Logs in as person p to each database and tries every table against what p holds. */
  private static void check(
      Env env, int p, Login login, Map<Table, AccessLevel> held, Set<String> creators)
      throws SQLException {
    for (int d = 0; d < DATABASES; d++) {
      int db = d;
      boolean holdsHere = held.keySet().stream().anyMatch(t -> t.db() == db);
      Connection c;
      try {
        c = env.server.connect(env.dbs.get(d), login.user(), login.password());
      } catch (SQLException refused) {
        assertThat(holdsHere).as("person %d refused a login to database %d", p, d).isFalse();
        assertThat(refused.getSQLState()).as("person %d's refused login", p).matches("42501|28.*");
        LOGINS_REFUSED.incrementAndGet();
        continue;
      }
      LOGINS.incrementAndGet();
      try (c;
          Statement st = c.createStatement()) {
        for (Table t : tables()) {
          if (t.db() != d) {
            continue;
          }
          AccessLevel level = held.get(t);
          String name = t.schema() + "." + t.name();
          attempt(
              st,
              "SELECT x FROM " + name + " LIMIT 0",
              level != null,
              "person " + p + " selects from " + name + " in database " + d + " holding " + held);
          c.setAutoCommit(false);
          try {
            attempt(
                st,
                "INSERT INTO " + name + " VALUES (1)",
                level != null && level != AccessLevel.READ_ONLY,
                "person " + p + " inserts into " + name + " in database " + d + " holding " + held);
            if (level != null && level != AccessLevel.READ_ONLY) {
              WRITES_ALLOWED.incrementAndGet();
            }
          } finally {
            c.rollback();
            c.setAutoCommit(true);
          }
        }
        for (String schema : SCHEMAS) {
          boolean admin = creators.contains(d + "." + schema);
          c.setAutoCommit(false);
          try {
            attempt(
                st,
                "CREATE TABLE " + schema + ".probe (x int)",
                admin,
                "person " + p + " creates in " + schema + " in database " + d + " holding " + held);
            if (admin) {
              CREATES_ALLOWED.incrementAndGet();
            }
          } finally {
            c.rollback();
            c.setAutoCommit(true);
          }
        }
      }
    }
  }

  private static void attempt(Statement st, String sql, boolean allowed, String what) {
    try {
      st.execute(sql);
      assertThat(allowed).as(what + ": allowed").isTrue();
      ALLOWED.incrementAndGet();
    } catch (SQLException e) {
      assertThat(allowed).as(what + ": refused with " + e.getSQLState()).isFalse();
      assertThat(e.getSQLState()).as(what).isEqualTo(DENIED);
      REFUSED.incrementAndGet();
    }
  }
}
