package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.SslMode;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.ConnectionSource.Timeouts;
import io.grantsmith.postgres.azure.internal.JdbcUrls;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.TcpRelay;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Issue 8, point 5: a stalled or blocked server does not hang the caller. Connect, socket,
 * statement and lock timeouts are on by default and configurable through {@link
 * ConnectionSource.Timeouts}; each surfaces as an {@link ApplyException} (or, before any plan, a
 * {@link GrantsmithException}) with its exact SQLSTATE, no sooner than {@value #EARLIEST} of the
 * configured time and no later than {@value #SLACK_MS} ms after it: a relay that stalls before the
 * login (connect timeout, 08001), a relay that stalls after it (socket timeout, 08006), a slow
 * statement (statement_timeout, 57014) and the executor's advisory lock held by another session
 * (lock_timeout, 55P03).
 */
class TimeoutIT {
  private static final Duration SHORT = Duration.ofSeconds(2);

  /** Added to a timeout for the latest a failure may come: the machine may be busy. */
  private static final long SLACK_MS = 2500;

  /** The earliest a failure may come, as a share of its timeout: it must not fire at once. */
  private static final double EARLIEST = 0.8;

  /** Asserts that a failure came neither before most of its timeout nor long after it. */
  private static void tookAbout(long tookMs, Duration timeout, String what) {
    assertThat(tookMs)
        .as(what + ", ms (timeout " + timeout.toMillis() + " ms)")
        .isGreaterThanOrEqualTo((long) (EARLIEST * timeout.toMillis()))
        .isLessThan(timeout.toMillis() + SLACK_MS);
  }

  /** The SQLSTATE of an apply failure, or of the first SQLException among the causes. */
  private static String sqlState(Throwable t) {
    if (t instanceof ApplyException e) {
      return e.sqlState().orElse(null);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException e) {
        return e.getSQLState();
      }
    }
    return null;
  }

  private static Plan plan(String db, String sql) {
    return Plan.builder()
        .addStep(
            Step.builder()
                .database(db)
                .description("probe " + sql)
                .addStatement(Statement.of(db, sql, "probe"))
                .build())
        .build();
  }

  private static Integration via(TcpRelay relay, TestConnector tc) {
    return Integration.builder()
        .from(tc.integration)
        .hostname(relay.host())
        .port(relay.port())
        .build();
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @AzurePostgresTest
  void defaultsAreSetAndPassedToPgjdbc(AzurePostgres server) throws Exception {
    Timeouts d = Timeouts.defaults();
    assertThat(d.connect()).as("connect").isEqualTo(Duration.ofSeconds(10));
    assertThat(d.socket()).as("socket").isEqualTo(Duration.ofSeconds(120));
    assertThat(d.statement()).as("statement").isEqualTo(Duration.ofSeconds(60));
    assertThat(d.lock()).as("lock").isEqualTo(Duration.ofSeconds(30));
    String db = server.createDatabase();
    TestConnector tc = TestConnector.create(server, db);
    // Set in each transaction, not for the session (a transaction-pooling PgBouncer refuses
    // startup options): a plan whose statement checks them succeeds.
    ConnectionSource source = ConnectionSource.of(tc.integration, tc.credentials());
    assertThat(source.timeouts()).contains(d);
    JdbcExecutor.builder()
        .connections(source)
        .maxAttempts(1)
        .build()
        .apply(
            plan(
                db,
                "DO $$ BEGIN IF current_setting('statement_timeout') <> '1min'"
                    + " OR current_setting('lock_timeout') <> '30s'"
                    + " THEN RAISE EXCEPTION 'timeouts not set'; END IF; END $$"));
    try (Connection c = source.open(db);
        java.sql.Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('statement_timeout')")) {
      rs.next();
      assertThat(rs.getString(1)).as("the session's own setting").isEqualTo("0");
    }
    Properties p = JdbcUrls.properties(SslMode.REQUIRE, d);
    assertThat(p.getProperty("connectTimeout")).isEqualTo(Long.toString(d.connect().toSeconds()));
    assertThat(p.getProperty("socketTimeout")).isEqualTo(Long.toString(d.socket().toSeconds()));
  }

  @AzurePostgresTest
  void stalledServerSurfacesAsConnectionFailureWithinTheTimeouts(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    AccessFixtures.estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Timeouts shortTimeouts =
        new Timeouts(SHORT, SHORT, Duration.ofSeconds(60), Duration.ofSeconds(30));
    try (TcpRelay relay = TcpRelay.to(server.host(), server.port()).start()) {
      Integration integration = via(relay, tc);
      ConnectionSource source = ConnectionSource.of(integration, tc.credentials(), shortTimeouts);
      JdbcExecutor executor = JdbcExecutor.builder().connections(source).maxAttempts(1).build();

      // Stalled before the login: the connect (login) timeout.
      relay.stall();
      long start = System.nanoTime();
      Throwable t = catchThrowable(() -> executor.apply(plan(db, "SELECT 1")));
      long took = millisSince(start);
      relay.cutAll();
      relay.resume();
      System.out.printf("HARDENING timeout: stalled connect -> %s in %d ms%n", sqlState(t), took);
      assertThat(t).isInstanceOf(ApplyException.class);
      ApplyException e = (ApplyException) t;
      assertThat(e.sqlState()).as("stalled before the login").contains("08001");
      assertThat(e.isConnectionFailure()).isTrue();
      assertThat(e.database()).isEqualTo(db);
      assertThat(e.committedDatabases()).isEmpty();
      tookAbout(took, SHORT, "connect timeout");

      // Stalled after the login: the socket timeout.
      ConnectionSource stallAfterLogin =
          d -> {
            Connection c = source.open(d);
            relay.stall();
            return c;
          };
      start = System.nanoTime();
      t =
          catchThrowable(
              () ->
                  JdbcExecutor.builder()
                      .connections(stallAfterLogin)
                      .maxAttempts(1)
                      .build()
                      .apply(plan(db, "SELECT 1")));
      took = millisSince(start);
      relay.cutAll();
      relay.resume();
      System.out.printf("HARDENING timeout: stalled socket -> %s in %d ms%n", sqlState(t), took);
      assertThat(t).isInstanceOf(ApplyException.class);
      e = (ApplyException) t;
      assertThat(e.sqlState()).as("stalled after the login").contains("08006");
      assertThat(e.isConnectionFailure()).isTrue();
      assertThat(e.database()).isEqualTo(db);
      assertThat(e.committedDatabases()).isEmpty();
      tookAbout(took, SHORT, "socket timeout");

      // A whole grant through a stalled relay does not hang the caller either.
      AccessManager manager =
          AccessManager.builder()
              .integration(integration)
              .connections(source)
              .connector(tc.name)
              .build();
      relay.stall();
      start = System.nanoTime();
      t =
          catchThrowable(
              () ->
                  manager.grant(
                      AccessFixtures.request(
                          integration,
                          "stalled",
                          AccessLevel.READ_ONLY,
                          Duration.ofHours(1),
                          ResourceRef.relation(db, "app", "t"))));
      took = millisSince(start);
      relay.cutAll();
      relay.resume();
      System.out.printf(
          "HARDENING timeout: grant via stalled relay -> %s %s in %d ms%n",
          t == null ? null : t.getClass().getSimpleName(), sqlState(t), took);
      assertThat(t).isInstanceOf(GrantsmithException.class);
      // Its first step is to log in (to read the managed users): stalled before the login.
      assertThat(sqlState(t)).as("grant through a stalled relay").isEqualTo("08001");
      tookAbout(took, SHORT, "grant through a stalled relay");
      io.grantsmith.testkit.GrantsmithAssertions.assertThat(server)
          .role(AccessManager.userName(integration.name(), "stalled"))
          .doesNotExist();
    }
  }

  @AzurePostgresTest
  void statementAndLockTimeoutsSurfaceWithTheirSqlState(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    TestConnector tc = TestConnector.create(server, db);
    Duration statementTimeout = Duration.ofMillis(500);
    Duration lockTimeout = Duration.ofMillis(500);
    Timeouts t =
        new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), statementTimeout, lockTimeout);
    JdbcExecutor executor =
        JdbcExecutor.builder()
            .connections(ConnectionSource.of(tc.integration, tc.credentials(), t))
            .maxAttempts(1)
            .build();

    long start = System.nanoTime();
    Throwable slow = catchThrowable(() -> executor.apply(plan(db, "SELECT pg_sleep(10)")));
    long took = millisSince(start);
    assertThat(slow).isInstanceOf(ApplyException.class);
    assertThat(((ApplyException) slow).sqlState()).contains("57014");
    assertThat(((ApplyException) slow).database()).isEqualTo(db);
    tookAbout(took, statementTimeout, "statement timeout");
    long statementTook = took;

    // Another session holds the executor's advisory lock in db: lock_timeout, 55P03.
    try (Connection other = server.adminConnection(db);
        java.sql.Statement st = other.createStatement()) {
      st.execute("SELECT pg_advisory_lock(" + JdbcExecutor.LOCK_KEY + ")");
      JdbcExecutor lockWaiter =
          JdbcExecutor.builder()
              .connections(
                  ConnectionSource.of(
                      tc.integration,
                      tc.credentials(),
                      new Timeouts(
                          Duration.ofSeconds(10),
                          Duration.ofSeconds(30),
                          Duration.ofSeconds(20),
                          lockTimeout)))
              .maxAttempts(1)
              .build();
      start = System.nanoTime();
      Throwable locked = catchThrowable(() -> lockWaiter.apply(plan(db, "SELECT 1")));
      took = millisSince(start);
      assertThat(locked).isInstanceOf(ApplyException.class);
      ApplyException e = (ApplyException) locked;
      assertThat(e.sqlState()).contains("55P03");
      assertThat(e.database()).isEqualTo(db);
      assertThat(e.committedDatabases()).isEmpty();
      tookAbout(took, lockTimeout, "lock timeout");
      st.execute("SELECT pg_advisory_unlock(" + JdbcExecutor.LOCK_KEY + ")");
      System.out.printf(
          "HARDENING timeout: statement -> 57014 in %d ms, lock -> 55P03 in %d" + " ms%n",
          statementTook, took);
    }
  }
}
