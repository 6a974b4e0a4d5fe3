package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.findings;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.manager;
import static io.grantsmith.postgres.azure.AccessFixtures.offset;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Executor;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Step;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sweep revokes expired bundle leases in batches, keeping every guarantee of the per-lease
 * revocation; proven by logging in as the users on a real server.
 */
class BulkSweepIT {
  private static final String BATCH_STEP = "users with expired leases";
  private static final String ONE_LEASE_STEP = " and record the revocation";

  @AzurePostgresTest
  void sweepRevokesExpiredLeasesInBatchesAndLeavesTheRestToThePerLeasePath(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 0);
    ResourceRef table = ResourceRef.relation(db, "app", "t");
    AccessManager granting = manager(tc, integration, Clock.systemUTC());

    // 450 leases of one hour, which a sweep two hours from now finds expired, and 3 of five hours.
    int expiring = 450;
    Map<Integer, AccessGrant> grants = new TreeMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Map<Integer, Future<AccessGrant>> fs = new TreeMap<>();
      for (int i = 0; i < expiring + 3; i++) {
        Duration d = Duration.ofHours(i < expiring ? 1 : 5);
        String grantee = "person" + i;
        fs.put(
            i,
            pool.submit(
                () ->
                    granting.grant(
                        request(integration, grantee, AccessLevel.READ_ONLY, d, table))));
      }
      for (Map.Entry<Integer, Future<AccessGrant>> f : fs.entrySet()) {
        grants.put(f.getKey(), f.getValue().get());
      }
    } finally {
      pool.shutdown();
    }
    String bundle = bundleOf(server, grants.get(0).username());
    // A lease of an earlier version, whose privileges the connector granted to the user itself:
    // the per-lease path cleans it.
    AccessGrant legacy = grants.get(7);
    grantDirectly(tc, db, legacy.username());
    // A privilege only the table's owner can revoke: the per-lease path reports it.
    AccessGrant stuck = grants.get(300);
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT SELECT ON app.secret TO " + stuck.username());
    }
    assertThat(server).user(legacy.username(), pw(legacy)).canSelectFrom(db, "app.secret");

    // Everyone in the sample logs in before the sweep; one of them keeps a session open.
    Random random = new Random();
    Set<Integer> sample = new TreeSet<>(List.of(0, 199, 200, 449));
    while (sample.size() < 14) {
      sample.add(random.nextInt(expiring));
    }
    sample.remove(300);
    for (int i : sample) {
      assertThat(server)
          .user(grants.get(i).username(), pw(grants.get(i)))
          .canSelectFrom(db, "app.t");
    }
    AccessGrant withSession = grants.get(201);
    Connection open = server.connect(db, withSession.username(), pw(withSession));

    Recording recording = new Recording(tc.executor(), null);
    AccessManager sweeper =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .clock(offset(Duration.ofHours(2)))
            .executor(recording)
            .sweepBatch(200)
            .build();
    Instant t0 = Instant.now();
    SweepResult r = sweeper.sweep();
    System.out.printf(
        "PostgreSQL %d: swept %d leases in %d ms%n",
        server.majorVersion(), expiring, Duration.between(t0, Instant.now()).toMillis());

    List<String> gone = new ArrayList<>();
    for (int i = 0; i < expiring; i++) {
      if (i != 300) {
        gone.add(grants.get(i).username());
      }
    }
    assertThat(r.failed()).containsOnlyKeys(stuck.username());
    assertThat(r.leftovers().get(stuck.username()))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.grantor()).isEqualTo(server.adminUser());
              assertThat(l.object()).isEqualTo("table app.secret");
            });
    assertThat(r.revoked()).containsExactlyInAnyOrderElementsOf(gone);
    assertThat(r.dropped()).containsExactlyInAnyOrderElementsOf(gone);
    assertThat(existing(server, gone)).isEmpty();
    assertThat(server).role(stuck.username()).exists().hasLoginDisabled();
    assertThat(server).user(stuck.username(), pw(stuck)).cannotLogin(db);
    for (int i : sample) {
      assertThat(server).user(grants.get(i).username(), pw(grants.get(i))).cannotLogin(db);
    }
    assertThat(server).user(legacy.username(), pw(legacy)).cannotLogin(db);
    assertSessionEnded(open);

    // Three batches of 200, 200 and 50 leases, less the two users that hold more, which went one
    // at a time; only those two through the per-lease revocation.
    List<Integer> sizes =
        recording.descriptions(BATCH_STEP).stream()
            .map(d -> Integer.parseInt(d.replaceAll("^disable login of (\\d+) .*$", "$1")))
            .toList();
    assertThat(sizes).hasSize(3);
    assertThat(sizes.get(2)).isBetween(48, 50);
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(expiring - 2);
    assertThat(recording.descriptions(ONE_LEASE_STEP))
        .containsExactlyInAnyOrder(
            "disable login of " + legacy.username() + ONE_LEASE_STEP,
            "disable login of " + stuck.username() + ONE_LEASE_STEP);
    assertThat(recording.failures).isEmpty();

    // The leases that have not expired are untouched and work; their bundle stays.
    for (int i = expiring; i < expiring + 3; i++) {
      AccessGrant g = grants.get(i);
      assertThat(server)
          .user(g.username(), pw(g))
          .isMemberOf(bundle)
          .canSelectFrom(db, "app.t")
          .cannotSelectFrom(db, "app.secret");
    }
    assertThat(r.droppedBundles()).doesNotContain(bundle);
  }

  @AzurePostgresTest
  void aLeaseGrantedAgainBeforeItsBatchRunsSurvivesTheSweep(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    ResourceRef table = ResourceRef.relation(db, "app", "t");
    AccessManager granting = manager(tc, integration, Clock.systemUTC());
    List<AccessGrant> grants = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      grants.add(
          granting.grant(
              request(
                  integration, "renewed" + i, AccessLevel.READ_ONLY, Duration.ofHours(1), table)));
    }
    String bundle = bundleOf(server, grants.get(0).username());
    AccessGrant renewed = grants.get(1);

    // Another replica grants person 1 five more hours after the sweep read the leases, just
    // before the first batch's transaction; before the second batch's, person 4 is granted a
    // privilege of its own.
    AccessManager replica = manager(tc, integration, Clock.systemUTC());
    AtomicBoolean regranted = new AtomicBoolean();
    AtomicInteger batches = new AtomicInteger();
    Recording recording =
        new Recording(
            tc.executor(),
            plan -> {
              if (!isBatch(plan)) {
                return;
              }
              if (batches.incrementAndGet() == 1) {
                replica.grant(
                    request(
                        integration,
                        "renewed1",
                        AccessLevel.READ_ONLY,
                        Duration.ofHours(5),
                        table));
                regranted.set(true);
              } else {
                grantDirectly(tc, db, grants.get(4).username());
              }
            });
    AccessManager sweeper =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .clock(offset(Duration.ofHours(2)))
            .executor(recording)
            .sweepBatch(3)
            .build();
    SweepResult r = sweeper.sweep();

    assertThat(regranted).isTrue();
    // The first batch's guard saw the change and the batch changed nothing; its users went one at
    // a time, reading their leases again: person 1's is no longer expired. The second batch ran;
    // its check afterwards found person 4's own privilege, which the per-lease path removed.
    assertThat(recording.failures).containsExactly(AccessManager.CONFLICT_SQLSTATE);
    assertThat(recording.descriptions(BATCH_STEP)).hasSize(2);
    assertThat(recording.descriptions(ONE_LEASE_STEP))
        .containsExactlyInAnyOrder(
            "disable login of " + grants.get(0).username() + ONE_LEASE_STEP,
            "disable login of " + grants.get(2).username() + ONE_LEASE_STEP,
            "disable login of " + grants.get(4).username() + ONE_LEASE_STEP);
    assertThat(findings(server, db, grants.get(4).username())).isEmpty();
    List<String> revoked = new ArrayList<>();
    for (AccessGrant g : grants) {
      if (g != renewed) {
        revoked.add(g.username());
      }
    }
    assertThat(r.revoked()).containsExactlyInAnyOrderElementsOf(revoked);
    assertThat(r.dropped()).isEmpty();
    assertThat(r.failed()).isEmpty();

    assertThat(server)
        .user(renewed.username(), pw(renewed))
        .isMemberOf(bundle)
        .canSelectFrom(db, "app.t");
    Lease lease = granting.lease(renewed.username()).orElseThrow();
    assertThat(lease.expiresAt()).isAfter(Instant.now().plus(Duration.ofHours(4)));
    // The others (the second batch's too) keep their role for the cleanup period, revoked.
    for (AccessGrant g : grants) {
      if (g != renewed) {
        assertThat(server).role(g.username()).exists().hasLoginDisabled();
        assertThat(server).user(g.username(), pw(g)).cannotLogin(db);
        assertThat(bundles(server, g.username())).isEmpty();
      }
    }
    assertThatThrownBy(() -> granting.resetPassword(grants.get(4).username()))
        .isInstanceOf(io.grantsmith.api.GrantsmithException.class);
  }

  @AzurePostgresTest
  void aBatchThatCannotDropItsUsersFinishesEachOneAtATime(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 0);
    ResourceRef table = ResourceRef.relation(db, "app", "t");
    AccessManager granting = manager(tc, integration, Clock.systemUTC());
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      users.add(
          granting
              .grant(
                  request(
                      integration, "late" + i, AccessLevel.READ_ONLY, Duration.ofHours(1), table))
              .username());
    }
    // After the batch read them, one of them is granted a privilege of its own: the batch's
    // DROP ROLE fails (2BP01) and every user of the batch is finished one at a time.
    AtomicBoolean granted = new AtomicBoolean();
    Recording recording =
        new Recording(
            tc.executor(),
            plan -> {
              if (isBatch(plan) && granted.compareAndSet(false, true)) {
                grantDirectly(tc, db, users.get(2));
              }
            });
    SweepResult r =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .clock(offset(Duration.ofHours(2)))
            .executor(recording)
            .sweepBatch(10)
            .build()
            .sweep();

    assertThat(granted).isTrue();
    assertThat(recording.failures).containsExactly("2BP01");
    assertThat(recording.descriptions(ONE_LEASE_STEP)).hasSize(4);
    assertThat(r.revoked()).containsExactlyInAnyOrderElementsOf(users);
    assertThat(r.dropped()).containsExactlyInAnyOrderElementsOf(users);
    assertThat(r.failed()).isEmpty();
    assertThat(existing(server, users)).isEmpty();
  }

  /** As the connector, as earlier versions did: the user's own privileges on app.secret. */
  private static void grantDirectly(TestConnector tc, String db, String user) {
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT USAGE ON SCHEMA app TO " + user);
      st.execute("GRANT SELECT ON app.secret TO " + user);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isBatch(Plan plan) {
    return plan.steps().stream().anyMatch(s -> s.description().contains(BATCH_STEP));
  }

  private static String pw(AccessGrant g) {
    return g.password().orElseThrow().reveal();
  }

  private static void assertSessionEnded(Connection open) throws SQLException {
    try {
      try (Statement st = open.createStatement()) {
        st.execute("SELECT 1");
      }
      throw new AssertionError("the open session survived the sweep");
    } catch (SQLException expected) {
      assertThat(expected.getSQLState()).matches("57P01|08.*");
    } finally {
      open.close();
    }
  }

  /** The bundle the user is a member of (its only membership but the marker). */
  private static String bundleOf(AzurePostgres server, String user) throws SQLException {
    List<String> out = bundles(server, user);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  /** The bundles the user is a member of, from the catalog. */
  private static List<String> bundles(AzurePostgres server, String user) throws SQLException {
    try (Connection c = server.superuserConnection("postgres");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                    + " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = ?"
                    + " AND g.rolname LIKE 'gs\\_b\\_%'")) {
      ps.setString(1, user);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }

  /** Those of {@code roles} that exist. */
  private static List<String> existing(AzurePostgres server, Collection<String> roles)
      throws SQLException {
    try (Connection c = server.superuserConnection("postgres");
        PreparedStatement ps =
            c.prepareStatement("SELECT rolname FROM pg_roles WHERE rolname = ANY (?)")) {
      Array a = c.createArrayOf("text", roles.toArray());
      ps.setArray(1, a);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  /**
   * An executor that records each plan's step descriptions and the SQLSTATE of each failure, and
   * runs a hook before each plan.
   */
  private static final class Recording implements Executor {
    private final Executor delegate;
    private final java.util.function.Consumer<Plan> before;
    final List<String> steps = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    Recording(Executor delegate, java.util.function.Consumer<Plan> before) {
      this.delegate = delegate;
      this.before = before;
    }

    @Override
    public ApplyResult apply(Plan plan) {
      if (before != null) {
        before.accept(plan);
      }
      for (Step s : plan.steps()) {
        steps.add(s.description());
      }
      try {
        return delegate.apply(plan);
      } catch (ApplyException e) {
        failures.add(e.sqlState().orElse("unknown"));
        throw e;
      }
    }

    List<String> descriptions(String containing) {
      synchronized (steps) {
        return steps.stream().filter(d -> d.contains(containing)).toList();
      }
    }
  }
}
