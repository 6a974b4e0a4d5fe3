package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.findings;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.catchThrowableOfType;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.Step;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor's backend is terminated from another session before its N-th call (statement, batch
 * or commit), for every N of a grant and of a revoke, and once after its last call (the last
 * commit): afterwards the user never has more access than approved, and running the same call again
 * converges. The number of calls comes from the plan, and each point proves it was reached: the
 * executor stopped at exactly that call with the SQLSTATE of a terminated backend, and after the
 * last commit the call succeeded having made exactly the planned calls.
 */
class AccessFaultIT {

  /** What pgjdbc reports for a statement on a backend that pg_terminate_backend ended. */
  private static final String ADMIN_SHUTDOWN = "57P01";

  /**
   * Connections whose backend is terminated, from a superuser session, before call N or after call
   * N returns.
   */
  static final class KillingSource implements ConnectionSource {
    private static final Set<String> CALLS =
        Set.of("execute", "executeBatch", "executeQuery", "executeUpdate", "commit");
    final ConnectionSource delegate;
    final AzurePostgres server;
    final AtomicInteger calls = new AtomicInteger();
    volatile int killBefore = -1;
    volatile int killAfter = -1;
    volatile boolean killed;

    KillingSource(ConnectionSource delegate, AzurePostgres server) {
      this.delegate = delegate;
      this.server = server;
    }

    /** Kills the backend before call {@code n} (counted from 1). */
    void armBefore(int n) {
      arm(n, -1);
    }

    /** Kills the backend right after call {@code n} returns. */
    void armAfter(int n) {
      arm(-1, n);
    }

    void disarm() {
      arm(-1, -1);
    }

    private void arm(int before, int after) {
      calls.set(0);
      killed = false;
      killBefore = before;
      killAfter = after;
    }

    @Override
    public Connection open(String database) throws SQLException {
      Connection real = delegate.open(database);
      int pid;
      try (Statement st = real.createStatement();
          ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        pid = rs.getInt(1);
      }
      return (Connection) wrap(real, Connection.class, pid);
    }

    private Object wrap(Object target, Class<?> type, int pid) {
      InvocationHandler h =
          (proxy, m, args) -> {
            int call = CALLS.contains(m.getName()) ? calls.incrementAndGet() : 0;
            if (call > 0 && call == killBefore) {
              kill(pid);
            }
            Object r;
            try {
              r = m.invoke(target, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
            if (call > 0 && call == killAfter) {
              kill(pid);
            }
            if (r instanceof Statement && type == Connection.class) {
              return wrap(r, Statement.class, pid);
            }
            return r;
          };
      return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    private void kill(int pid) throws SQLException, InterruptedException {
      killed = true;
      try (Connection c = server.superuserConnection("postgres");
          Statement st = c.createStatement()) {
        st.execute("SELECT pg_terminate_backend(" + pid + ")");
        for (int i = 0; i < 100; i++) {
          try (ResultSet rs =
              st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
            rs.next();
            if (rs.getInt(1) == 0) {
              return;
            }
          }
          Thread.sleep(20);
        }
      }
      throw new AssertionError("backend " + pid + " outlived pg_terminate_backend");
    }
  }

  /**
   * The calls {@link JdbcExecutor} makes for a plan, as {@link KillingSource} counts them: per
   * transaction one batch and one commit, per autocommit statement one execute.
   */
  static int executorCalls(Plan plan) {
    int n = 0;
    for (List<Step> run : JdbcExecutor.runs(plan)) {
      n += run.get(0).autocommit() ? run.stream().mapToInt(st -> st.statements().size()).sum() : 2;
    }
    return n;
  }

  private static AccessManager manager(
      TestConnector tc, Integration integration, KillingSource source, List<Secret> generated) {
    SecurePasswordGenerator gen = new SecurePasswordGenerator();
    return AccessManager.builder()
        .integration(integration)
        .credentials(tc.credentials())
        .executor(JdbcExecutor.builder().connections(source).maxAttempts(1).build())
        .passwordGenerator(
            () -> {
              Secret s = gen.generate();
              generated.add(s);
              return s;
            })
        .build();
  }

  /** What a read-only grant on app.t allows at most. */
  private static void noMoreThanApproved(
      AzurePostgres server, String user, List<Secret> pws, String... dbs) {
    for (Secret pw : pws) {
      for (String db : dbs) {
        try (Connection c = server.connect(db, user, pw.reveal())) {
          assertThat(c.isValid(5)).isTrue();
        } catch (SQLException loginRefused) {
          continue;
        }
        assertThat(server)
            .user(user, pw.reveal())
            .cannotInsertInto(db, "app.t")
            .cannotSelectFrom(db, "app.secret")
            .cannotSelectFrom(db, "other.o");
      }
    }
  }

  private static AccessRequest request(
      Integration integration, String grantee, String db1, String db2) {
    return AccessFixtures.request(
        integration,
        grantee,
        AccessLevel.READ_ONLY,
        Duration.ofHours(1),
        ResourceRef.relation(db1, "app", "t"),
        ResourceRef.relation(db2, "app", "t"));
  }

  @AzurePostgresTest(versions = {15, 17})
  void grantInterruptedAtEveryCallConverges(AzurePostgres server) throws Exception {
    String db1 = server.createDatabase();
    String db2 = server.createDatabase();
    estate(server, db1);
    estate(server, db2);
    TestConnector tc = AccessFixtures.connector(server, db1, db2);
    Integration integration = integration(tc, 1);
    KillingSource source = new KillingSource(tc.connections(), server);
    List<Secret> generated = new CopyOnWriteArrayList<>();
    AccessManager manager = manager(tc, integration, source, generated);
    // Every grant below is of a new user whose bundles exist (the first grant creates them): the
    // plan of the first has the shape of them all.
    manager.grant(request(integration, "fault-grant-bundles", db1, db2));
    int calls = executorCalls(manager.planGrant(request(integration, "fault-grant-1", db1, db2)));
    assertThat(calls).as("executor calls of the grant").isPositive();
    Map<Integer, String> states = new TreeMap<>();
    for (int n = 1; n <= calls + 1; n++) {
      boolean afterLastCommit = n == calls + 1;
      generated.clear();
      AccessRequest req = request(integration, "fault-grant-" + n, db1, db2);
      String user = AccessManager.userName(integration.name(), req.grantee());
      AccessGrant first = null;
      if (afterLastCommit) {
        source.armAfter(calls);
        first = manager.grant(req);
        assertThat(source.calls.get()).as("calls of a whole grant").isEqualTo(calls);
      } else {
        source.armBefore(n);
        ApplyException e = catchThrowableOfType(ApplyException.class, () -> manager.grant(req));
        assertThat(e).as("grant killed before call %d of %d", n, calls).isNotNull();
        assertThat(source.calls.get()).as("the call the grant stopped at").isEqualTo(n);
        states.put(n, e.sqlState().orElse(null));
      }
      assertThat(source.killed).as("point %d was reached", n).isTrue();
      noMoreThanApproved(server, user, generated, db1, db2);
      source.disarm();
      AccessGrant again = manager.grant(req);
      String pw;
      if (afterLastCommit) {
        // The grant had committed: granting again keeps its password.
        assertThat(again.passwordKept()).isTrue();
        pw = first.password().orElseThrow().reveal();
      } else {
        pw =
            again
                .password()
                .orElseThrow(
                    () -> new AssertionError("no password after re-running the grant at point"))
                .reveal();
      }
      for (String db : new String[] {db1, db2}) {
        assertThat(server)
            .user(user, pw)
            .canSelectFrom(db, "app.t")
            .cannotInsertInto(db, "app.t")
            .cannotSelectFrom(db, "app.secret");
      }
      manager.revoke(user);
    }
    System.out.printf(
        "HARDENING fault PG%d: grant killed before each of its %d calls, SQLSTATE"
            + " per call %s, and after its last commit%n",
        server.majorVersion(), calls, states);
    assertThat(states.values()).as("SQLSTATE of each killed call").containsOnly(ADMIN_SHUTDOWN);
  }

  @AzurePostgresTest(versions = {15, 17})
  void revokeInterruptedAtEveryCallConverges(AzurePostgres server) throws Exception {
    String db1 = server.createDatabase();
    String db2 = server.createDatabase();
    estate(server, db1);
    estate(server, db2);
    TestConnector tc = AccessFixtures.connector(server, db1, db2);
    Integration integration = integration(tc, 1);
    KillingSource source = new KillingSource(tc.connections(), server);
    List<Secret> generated = new CopyOnWriteArrayList<>();
    AccessManager manager = manager(tc, integration, source, generated);
    Map<Integer, String> states = new TreeMap<>();
    Map<Integer, String> sessionStates = new TreeMap<>();
    int calls = -1;
    for (int n = 1; n == 1 || n <= calls + 1; n++) {
      AccessRequest req = request(integration, "fault-revoke-" + n, db1, db2);
      source.disarm();
      AccessGrant g = manager.grant(req);
      String user = g.username();
      String pw = g.password().orElseThrow().reveal();
      Connection open = server.connect(db1, user, pw);
      // Every revoke below is of a user in the same state: a grant and one open session.
      int planned = executorCalls(manager.planRevoke(user));
      if (n == 1) {
        calls = planned;
        assertThat(calls).as("executor calls of the revoke").isPositive();
      }
      assertThat(planned).as("executor calls of the revoke at point %d", n).isEqualTo(calls);
      boolean afterLastCommit = n == calls + 1;
      if (afterLastCommit) {
        source.armAfter(calls);
        manager.revoke(user);
        assertThat(source.calls.get()).as("calls of a whole revoke").isEqualTo(calls);
      } else {
        source.armBefore(n);
        ApplyException e = catchThrowableOfType(ApplyException.class, () -> manager.revoke(user));
        assertThat(e).as("revoke killed before call %d of %d", n, calls).isNotNull();
        assertThat(source.calls.get()).as("the call the revoke stopped at").isEqualTo(n);
        states.put(n, e.sqlState().orElse(null));
      }
      assertThat(source.killed).as("point %d was reached", n).isTrue();
      noMoreThanApproved(server, user, List.of(Secret.of(pw)), db1, db2);
      source.disarm();
      manager.revoke(user);
      assertThat(server).user(user, pw).cannotLogin(db1);
      try (Statement st = open.createStatement()) {
        st.execute("SELECT 1");
        throw new AssertionError("session survived at point " + n);
      } catch (SQLException dead) {
        sessionStates.put(n, dead.getSQLState());
      } finally {
        open.close();
      }
      for (String db : new String[] {db1, db2}) {
        assertThat(findings(server, db, user)).as("point %s in %s", n, db).isEmpty();
      }
      assertThat(manager.planRevoke(user).isEmpty()).as("point %s", n).isTrue();
    }
    System.out.printf(
        "HARDENING fault PG%d: revoke killed before each of its %d calls, SQLSTATE"
            + " per call %s, and after its last commit; the user's own session ended with %s%n",
        server.majorVersion(), calls, states, sessionStates);
    assertThat(states.values()).as("SQLSTATE of each killed call").containsOnly(ADMIN_SHUTDOWN);
    assertThat(sessionStates.values())
        .as("SQLSTATE seen by the user's ended session")
        .containsOnly(ADMIN_SHUTDOWN);
  }
}
