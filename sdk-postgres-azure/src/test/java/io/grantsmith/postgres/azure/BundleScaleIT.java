package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Lease;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 16: {@value #PEOPLE} people hold read-only access to one schema of {@value #TABLES} tables
 * at once, each granted through {@link AccessManager#grant} (in {@value #THREADS} threads through
 * one manager). With one ACL entry per person and object, the {@code pg_class} row of each table
 * outgrows its page after about 2,400 people and the next grant fails with SQLSTATE 54000; with
 * bundle roles the ACLs stay the same size, whatever the number of people.
 *
 * <p>Every grant must succeed; the manager's own lease list must then hold {@value #PEOPLE} active
 * leases of these people. A sample (the first, the last, {@value #RANDOM_SAMPLE} chosen by a seeded
 * random generator, whose seed is printed) logs in and reads every table, and is refused an insert
 * (SQLSTATE 42501). One person in the middle is revoked: that person can no longer log in, while
 * the neighbours on either side, the first, the last and the sampled ones still read every table,
 * and the lease list holds one active lease fewer. Each version runs on a server of its own, which
 * is closed with its roles at the end. After the grants every table's ACL names at most three roles
 * (its owner, {@code azure_pg_admin} and one bundle), none of the people: the ACLs do not grow with
 * the number of people, which is what lifted the ceiling.
 *
 * <p>CI runs {@value #PEOPLE} people on each version; the system property {@code
 * grantsmith.bundle.people} sets another number ({@code 10000} for the full proof, which takes far
 * longer on 16+, where each role a non-superuser creates makes the next privilege checks slower).
 * The time per version is printed.
 */
class BundleScaleIT {
  static final int PEOPLE = Integer.getInteger("grantsmith.bundle.people", 400);
  static final int TABLES = 3;
  static final int THREADS = 4;
  static final int RANDOM_SAMPLE = 20;
  private static final String SCHEMA = "shop";
  private static final String DENIED = "42501";

  /** One person's grant: the user name and password handed out. */
  private record Person(String user, String password) {}

  @AzurePostgresTest
  void manyPeopleHoldReadOnlyOnOneSchemaAndRevokingOneLeavesTheOthers(AzurePostgres shared)
      throws Exception {
    int major = shared.majorVersion();
    long started = System.nanoTime();
    try (AzurePostgres server = AzurePostgres.embedded(major)) {
      String db = server.createDatabase();
      List<String> tables = new ArrayList<>();
      try (Connection admin = server.adminConnection(db);
          Statement st = admin.createStatement()) {
        st.execute("CREATE SCHEMA " + SCHEMA);
        for (int t = 0; t < TABLES; t++) {
          String table = "t" + t;
          tables.add(table);
          st.execute("CREATE TABLE " + SCHEMA + "." + table + " (id int)");
          st.execute("INSERT INTO " + SCHEMA + "." + table + " VALUES (" + t + ")");
        }
      }
      TestConnector tc = AccessFixtures.connector(server, db);
      Integration integration = AccessFixtures.integration(tc, 0);
      try (AccessManager manager = AccessFixtures.manager(tc, integration, Clock.systemUTC())) {
        Person[] people = new Person[PEOPLE];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
          workers.add(
              pool.submit(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < PEOPLE && firstFailure.get() == null;
                        i = next.getAndIncrement()) {
                      try {
                        AccessGrant g =
                            manager.grant(
                                AccessFixtures.request(
                                    integration,
                                    grantee(i),
                                    AccessLevel.READ_ONLY,
                                    Duration.ofHours(2),
                                    ResourceRef.schema(db, SCHEMA)));
                        people[i] = new Person(g.username(), g.password().orElseThrow().reveal());
                      } catch (RuntimeException e) {
                        firstFailure.compareAndSet(
                            null, "person " + (i + 1) + " of " + PEOPLE + ": " + describe(e));
                      }
                    }
                  }));
        }
        for (Future<?> f : workers) {
          f.get();
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        long granted = System.nanoTime();
        if (firstFailure.get() != null) {
          fail(
              "a grant failed after %d grants on PostgreSQL %d: %s",
              countGranted(people), major, firstFailure.get());
        }
        assertThat(activeLeases(manager)).as("active leases after the grants").isEqualTo(PEOPLE);
        assertAclsDoNotGrowWithPeople(server, db, tables, people);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        int victim = PEOPLE / 2 + random.nextInt(PEOPLE / 4);
        TreeSet<Integer> sample = new TreeSet<>();
        sample.add(0);
        sample.add(PEOPLE - 1);
        while (sample.size() < RANDOM_SAMPLE + 2) {
          int i = random.nextInt(PEOPLE);
          if (i != victim) {
            sample.add(i);
          }
        }
        sample.add(victim);
        int logins = 0;
        for (int i : sample) {
          assertReads(server, db, tables, people[i], i);
          logins++;
        }

        manager.revoke(people[victim].user());
        try (Connection c = server.connect(db, people[victim].user(), people[victim].password())) {
          fail("person %d logged in after the revocation", victim);
        } catch (SQLException expected) {
          // login refused: the role is gone (cleanup period 0)
        }
        sample.remove(victim);
        sample.add(victim - 1);
        sample.add(victim + 1);
        for (int i : sample) {
          assertReads(server, db, tables, people[i], i);
          logins++;
        }
        assertThat(activeLeases(manager))
            .as("active leases after revoking one")
            .isEqualTo(PEOPLE - 1);
        System.out.printf(
            Locale.ROOT,
            "BUNDLE scale PG%d: %d people granted read-only on %s (%d tables) in %.1f s"
                + " (%.0f grants/s, %d threads); %d logins tried (seed %d, revoked person %d);"
                + " %.1f s in all%n",
            major,
            PEOPLE,
            SCHEMA,
            TABLES,
            (granted - started) / 1e9,
            PEOPLE / ((granted - started) / 1e9),
            THREADS,
            logins + 1,
            seed,
            victim,
            (System.nanoTime() - started) / 1e9);
      }
    }
  }

  private static String grantee(int i) {
    return "person" + i + "@example.com";
  }

  private static int countGranted(Person[] people) {
    int n = 0;
    for (Person p : people) {
      if (p != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * What lifted the ceiling, at any number of people: every table's ACL holds its owner and one
   * bundle, and no person's role. (A run with {@code -Dgrantsmith.bundle.people=10000} shows it at
   * the scale where the per-person model fails.)
   */
  private static void assertAclsDoNotGrowWithPeople(
      AzurePostgres server, String db, List<String> tables, Person[] people) throws SQLException {
    Set<String> users = new HashSet<>();
    for (Person p : people) {
      users.add(p.user());
    }
    try (Connection admin = server.adminConnection(db);
        PreparedStatement ps =
            admin.prepareStatement(
                "SELECT DISTINCT c.relname, pg_get_userbyid(a.grantee)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,"
                    + " aclexplode(c.relacl) a"
                    + " WHERE n.nspname = ? ORDER BY 1, 2")) {
      ps.setString(1, SCHEMA);
      Map<String, List<String>> grantees = new TreeMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          grantees.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
      assertThat(grantees.keySet())
          .as("tables with an ACL")
          .containsExactlyInAnyOrderElementsOf(tables);
      grantees.forEach(
          (table, roles) ->
              assertThat(roles)
                  .as("the roles in the ACL of %s after %d grants", table, PEOPLE)
                  .hasSizeLessThanOrEqualTo(3)
                  .noneMatch(users::contains));
    }
  }

  /** The SQLSTATEs of {@code e}'s causes, with the first message, for a failure report. */
  private static String describe(Throwable e) {
    StringBuilder states = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        states.append(states.length() == 0 ? "" : ", ").append(sql.getSQLState());
      }
    }
    return "SQLSTATE [" + states + "] " + e;
  }

  /** The people of this test with a lease that has not expired, by the manager's lease list. */
  private static long activeLeases(AccessManager manager) {
    Instant now = Instant.now();
    return manager.leases().stream()
        .filter(l -> l.grantee().startsWith("person") && l.grantee().endsWith("@example.com"))
        .filter(l -> !l.isExpiredAt(now))
        .map(Lease::roleName)
        .distinct()
        .count();
  }

  /** Logs in as person {@code i}, reads every table (its one row) and is refused an insert. */
  private static void assertReads(
      AzurePostgres server, String db, List<String> tables, Person p, int i) throws SQLException {
    try (Connection c = server.connect(db, p.user(), p.password());
        Statement st = c.createStatement()) {
      for (int t = 0; t < tables.size(); t++) {
        try (ResultSet rs = st.executeQuery("SELECT id FROM " + SCHEMA + "." + tables.get(t))) {
          assertThat(rs.next()).as("person %d reads %s", i, tables.get(t)).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(t);
        }
      }
      try {
        st.execute("INSERT INTO " + SCHEMA + "." + tables.get(0) + " VALUES (99)");
        fail("person %d inserted into %s with read-only access", i, tables.get(0));
      } catch (SQLException e) {
        assertThat(e.getSQLState()).as("person %d's insert", i).isEqualTo(DENIED);
      }
    }
  }
}
