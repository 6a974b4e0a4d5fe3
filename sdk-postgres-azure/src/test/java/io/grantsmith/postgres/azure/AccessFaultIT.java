package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.findings;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor's backend is terminated from another session before its N-th call (statement,
 * batch or commit), for every N of a grant and of a revoke: afterwards the user never has more
 * access than approved, and running the same call again converges.
 */
class AccessFaultIT {

  /** Connections whose backend is terminated, from a superuser session, before call N. */
  static final class KillingSource implements ConnectionSource {
    private static final Set<String> CALLS =
        Set.of("execute", "executeBatch", "executeQuery", "executeUpdate", "commit");
    final ConnectionSource delegate;
    final AzurePostgres server;
    final AtomicInteger calls = new AtomicInteger();
    volatile int killAt = -1;
    volatile boolean killed;

    KillingSource(ConnectionSource delegate, AzurePostgres server) {
      this.delegate = delegate;
      this.server = server;
    }

    void arm(int n) {
      calls.set(0);
      killed = false;
      killAt = n;
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
      InvocationHandler h = (proxy, m, args) -> {
        if (CALLS.contains(m.getName()) && calls.incrementAndGet() == killAt) {
          kill(pid);
        }
        try {
          Object r = m.invoke(target, args);
          if (r instanceof Statement && type == Connection.class) {
            return wrap(r, Statement.class, pid);
          }
          return r;
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      };
      return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
    }

    private void kill(int pid) throws SQLException, InterruptedException {
      killed = true;
      try (Connection c = server.superuserConnection("postgres");
          Statement st = c.createStatement()) {
        st.execute("SELECT pg_terminate_backend(" + pid + ")");
        for (int i = 0; i < 100; i++) {
          try (ResultSet rs = st.executeQuery(
              "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
            rs.next();
            if (rs.getInt(1) == 0) {
              return;
            }
          }
          Thread.sleep(20);
        }
      }
    }
  }

  private static AccessManager manager(TestConnector tc, Integration integration,
      KillingSource source, List<Secret> generated) {
    SecurePasswordGenerator gen = new SecurePasswordGenerator();
    return AccessManager.builder().integration(integration).credentials(tc.credentials())
        .executor(JdbcExecutor.builder().connections(source).maxAttempts(1).build())
        .passwordGenerator(() -> {
          Secret s = gen.generate();
          generated.add(s);
          return s;
        }).build();
  }

  /** What a read-only grant on app.t allows at most. */
  private static void noMoreThanApproved(AzurePostgres server, String user, List<Secret> pws,
      String... dbs) {
    for (Secret pw : pws) {
      for (String db : dbs) {
        try (Connection c = server.connect(db, user, pw.reveal())) {
          assertThat(c.isValid(5)).isTrue();
        } catch (SQLException loginRefused) {
          continue;
        }
        assertThat(server).user(user, pw.reveal()).cannotInsertInto(db, "app.t")
            .cannotSelectFrom(db, "app.secret").cannotSelectFrom(db, "other.o");
      }
    }
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
    int points = 0;
    for (int n = 1; n < 60; n++) {
      generated.clear();
      AccessRequest req = request(integration, "fault-grant-" + n, AccessLevel.READ_ONLY,
          Duration.ofHours(1), ResourceRef.relation(db1, "app", "t"),
          ResourceRef.relation(db2, "app", "t"));
      String user = AccessManager.userName(integration.name(), req.grantee());
      source.arm(n);
      try {
        manager.grant(req);
        if (!source.killed) {
          break; // n is past the last call: every point was tried
        }
      } catch (ApplyException e) {
        assertThat(source.killed).isTrue();
        assertThat(e.sqlState().orElse("08000")).matches("57P01|08.*");
      }
      points++;
      noMoreThanApproved(server, user, generated, db1, db2);
      source.arm(-1);
      AccessGrant again = manager.grant(req);
      String pw = again.password().orElseThrow(
          () -> new AssertionError("no password after re-running the grant at point")).reveal();
      for (String db : new String[] {db1, db2}) {
        assertThat(server).user(user, pw).canSelectFrom(db, "app.t")
            .cannotInsertInto(db, "app.t").cannotSelectFrom(db, "app.secret");
      }
      manager.revoke(user);
    }
    assertThat(points).isGreaterThan(5);
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
    int points = 0;
    for (int n = 1; n < 80; n++) {
      AccessRequest req = request(integration, "fault-revoke-" + n, AccessLevel.READ_ONLY,
          Duration.ofHours(1), ResourceRef.relation(db1, "app", "t"),
          ResourceRef.relation(db2, "app", "t"));
      source.arm(-1);
      AccessGrant g = manager.grant(req);
      String user = g.username();
      String pw = g.password().orElseThrow().reveal();
      Connection open = server.connect(db1, user, pw);
      source.arm(n);
      try {
        manager.revoke(user);
        if (!source.killed) {
          open.close();
          break;
        }
      } catch (ApplyException e) {
        assertThat(e.sqlState().orElse("08000")).matches("57P01|08.*");
      }
      points++;
      noMoreThanApproved(server, user, List.of(Secret.of(pw)), db1, db2);
      source.arm(-1);
      manager.revoke(user);
      assertThat(server).user(user, pw).cannotLogin(db1);
      try (Statement st = open.createStatement()) {
        st.execute("SELECT 1");
        throw new AssertionError("session survived at point " + n);
      } catch (SQLException dead) {
        assertThat(dead.getSQLState()).matches("57P01|08.*");
      } finally {
        open.close();
      }
      for (String db : new String[] {db1, db2}) {
        assertThat(findings(server, db, user)).as("point %s in %s", n, db).isEmpty();
      }
      assertThat(manager.planRevoke(user).isEmpty()).as("point %s", n).isTrue();
    }
    assertThat(points).isGreaterThan(3);
  }
}
