package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Executor;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.Renderer;
import io.grantsmith.postgres.azure.internal.RetryPolicy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies plans over JDBC: per run of consecutive steps in one database, one transaction on one
 * connection, its statements sent as one batch (pgjdbc sends up to about 256 statements per round
 * trip), guarded by a transaction-scoped advisory lock (taken at the start of the batch) so that
 * concurrent callers queue instead of failing with "tuple concurrently updated". The connection
 * source's {@linkplain ConnectionSource#timeouts() timeouts} are set with {@code SET LOCAL} at the
 * start of each transaction, in the same batch; nothing outlives the transaction on its server
 * connection, so the executor works through a transaction-pooling PgBouncer as well. A GRANT or
 * REVOKE that the server only warns about (01007 privilege not granted, 01006 privilege not
 * revoked, when the connector lacks the grant option) fails the transaction of a {@linkplain
 * Step#strict() strict} step. A transaction that fails with SQLSTATE 40001, 40P01 or XX000 is
 * rolled back and retried with exponential backoff ({@link RetryPolicy}; an interrupted wait stops
 * the retries and the failure is thrown); every statement Grantsmith renders is safe to repeat.
 * Decisions are made on SQLSTATE only.
 *
 * <pre>{@code
 * Executor executor = JdbcExecutor.builder()
 *     .connections(ConnectionSource.of(integration, credentials))
 *     .build();
 * ApplyResult result = executor.apply(plan);
 * }</pre>
 */
public final class JdbcExecutor implements Executor {
  /** The advisory lock key Grantsmith takes in each transaction ("Grantsmi" in ASCII). */
  public static final long LOCK_KEY = 0x4772616E74736D69L;

  private static final String LOCK = Renderer.transactionLock(LOCK_KEY);

  private static final Set<String> IGNORED_PRIVILEGE = Set.of("01006", "01007");

  /** Statements pgjdbc sends before it waits for replies, for the round-trip count. */
  private static final int STATEMENTS_PER_ROUND_TRIP = 256;

  private final ConnectionSource connections;
  private final List<String> timeouts;
  private final RetryPolicy retry;

  private JdbcExecutor(Builder b) {
    this.connections = Objects.requireNonNull(b.connections, "connections");
    this.timeouts =
        connections
            .timeouts()
            .map(t -> Renderer.transactionTimeouts(t.statement(), t.lock()))
            .orElse(List.of());
    this.retry = RetryPolicy.transactions(b.maxAttempts, b.backoff);
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link JdbcExecutor}. */
  public static final class Builder {
    private ConnectionSource connections;
    private int maxAttempts = 5;
    private Duration backoff = Duration.ofMillis(20);

    private Builder() {}

    /**
     * Sets where connections come from (required).
     *
     * @param connections the source
     * @return this builder
     */
    public Builder connections(ConnectionSource connections) {
      this.connections = connections;
      return this;
    }

    /**
     * Sets how many times a transaction is tried on a retryable SQLSTATE (default 5).
     *
     * @param maxAttempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new io.grantsmith.api.InvalidValueException(
            "JdbcExecutor.maxAttempts", "must be at least 1", maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the first retry's delay; each further retry doubles it, with jitter (default 20 ms).
     *
     * @param backoff the delay
     * @return this builder
     */
    public Builder backoff(Duration backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Builds the executor.
     *
     * @return the executor
     * @throws NullPointerException if no connection source was set
     */
    public JdbcExecutor build() {
      return new JdbcExecutor(this);
    }
  }

  @Override
  public ApplyResult apply(Plan plan) {
    ApplyResult.Builder result = ApplyResult.builder();
    List<String> committed = new ArrayList<>();
    Map<String, Connection> open = new LinkedHashMap<>();
    try {
      for (List<Step> run : runs(plan)) {
        result.addDatabase(applyRun(run, open, committed));
        committed.add(run.get(0).database());
      }
    } finally {
      for (Connection c : open.values()) {
        closeQuietly(c);
      }
    }
    return result.build();
  }

  private ApplyResult.DatabaseResult applyRun(
      List<Step> run, Map<String, Connection> open, List<String> committed) {
    String db = run.get(0).database();
    boolean autocommit = run.get(0).autocommit();
    List<io.grantsmith.api.Statement> statements = new ArrayList<>();
    List<Step> owners = new ArrayList<>();
    for (Step s : run) {
      for (io.grantsmith.api.Statement st : s.statements()) {
        statements.add(st);
        owners.add(s);
      }
    }
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      int failedIndex = -1;
      try {
        Connection c = open.get(db);
        if (c == null) {
          c = connections.open(db);
          open.put(db, c);
        }
        int trips =
            autocommit
                ? runAutocommit(c, statements)
                : runTransaction(c, timeouts, statements, run.get(0).strict());
        return ApplyResult.DatabaseResult.builder()
            .database(db)
            .statements(statements.size())
            .roundTrips(trips)
            .attempts(attempt)
            .elapsed(Duration.ofNanos(System.nanoTime() - start))
            .build();
      } catch (SQLException e) {
        String state = sqlState(e);
        boolean retry = this.retry.allows(state, attempt);
        Connection c = open.remove(db);
        if (c != null) {
          rollbackQuietly(c);
          if (!retry
              && !autocommit
              && (statements.size() > 1 || IGNORED_PRIVILEGE.contains(state))
              && !isConnectionFailure(state)) {
            failedIndex = locateFailure(c, timeouts, statements);
          }
          closeQuietly(c);
        }
        if (retry && this.retry.retryAfter(state, attempt)) {
          continue;
        }
        int i = failedIndex >= 0 && failedIndex < statements.size() ? failedIndex : -1;
        throw new ApplyException(
            state,
            db,
            i >= 0 ? owners.get(i).description() : run.get(0).description(),
            i >= 0 ? statements.get(i).redacted() : null,
            committed,
            serverError(e));
      }
    }
  }

  private static int runTransaction(
      Connection c,
      List<String> timeouts,
      List<io.grantsmith.api.Statement> statements,
      boolean strict)
      throws SQLException {
    c.setAutoCommit(false);
    try (java.sql.Statement st = c.createStatement()) {
      // In the batch, not round trips of their own: the timeouts first, so that the lock_timeout
      // bounds the wait for the lock too; the lock a DO block, since a batch takes no rows.
      for (String t : timeouts) {
        st.addBatch(t);
      }
      st.addBatch(LOCK);
      for (io.grantsmith.api.Statement s : statements) {
        st.addBatch(s.sql());
      }
      st.executeBatch();
      if (strict) {
        refuseIgnoredPrivileges(st.getWarnings());
      }
    }
    c.commit();
    int sent = timeouts.size() + 1 + statements.size();
    return 1 + (sent + STATEMENTS_PER_ROUND_TRIP - 1) / STATEMENTS_PER_ROUND_TRIP;
  }

  private static int runAutocommit(Connection c, List<io.grantsmith.api.Statement> statements)
      throws SQLException {
    c.setAutoCommit(true);
    try (java.sql.Statement st = c.createStatement()) {
      for (io.grantsmith.api.Statement s : statements) {
        st.execute(s.sql());
      }
    }
    return statements.size();
  }

  /**
   * A GRANT or REVOKE that the server could not carry out for lack of the grant option only warns
   * (SQLSTATE 01007 privilege not granted, 01006 privilege not revoked); the plan's promise would
   * be broken silently, so the transaction fails instead.
   */
  private static void refuseIgnoredPrivileges(SQLWarning w) throws SQLException {
    for (; w != null; w = w.getNextWarning()) {
      if (IGNORED_PRIVILEGE.contains(w.getSQLState())) {
        throw new SQLException(w.getMessage(), w.getSQLState());
      }
    }
  }

  /**
   * The server's error behind a failure. For a batch, pgjdbc's own exception quotes the whole
   * statement, which may hold a password verifier; the server's error does not.
   */
  private static SQLException serverError(SQLException e) {
    if (e instanceof BatchUpdateException && e.getNextException() != null) {
      return e.getNextException();
    }
    return e;
  }

  /**
   * Finds which statement of a failed batch the server refused: pgjdbc marks every statement of a
   * failed transaction as failed, so the batch is replayed one statement at a time in a transaction
   * that is rolled back. Only on the failure path, and only when the connection still works.
   */
  private static int locateFailure(
      Connection c, List<String> timeouts, List<io.grantsmith.api.Statement> statements) {
    try (java.sql.Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (String t : timeouts) {
        st.execute(t);
      }
      for (int i = 0; i < statements.size(); i++) {
        try {
          st.execute(statements.get(i).sql());
          refuseIgnoredPrivileges(st.getWarnings());
        } catch (SQLException refused) {
          return i;
        }
      }
      return -1;
    } catch (SQLException e) {
      return -1;
    } finally {
      rollbackQuietly(c);
    }
  }

  private static boolean isConnectionFailure(String state) {
    return state == null || state.startsWith("08") || state.startsWith("57P");
  }

  /** Consecutive steps with the same database and the same autocommit and strict flags. */
  static List<List<Step>> runs(Plan plan) {
    List<List<Step>> runs = new ArrayList<>();
    List<Step> current = null;
    for (Step s : plan.steps()) {
      if (current == null
          || !current.get(0).database().equals(s.database())
          || current.get(0).autocommit() != s.autocommit()
          || s.autocommit()
          || current.get(0).strict() != s.strict()) {
        current = new ArrayList<>();
        runs.add(current);
      }
      current.add(s);
    }
    return runs;
  }

  /** The SQLSTATE of the exception or, for a batch, of the server error behind it. */
  static String sqlState(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (x.getSQLState() != null
          && !(x instanceof BatchUpdateException && x.getNextException() != null)) {
        return x.getSQLState();
      }
    }
    return e.getSQLState();
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.isClosed() && !c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // The connection is discarded anyway.
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // Nothing more to do with a connection that will not close.
    }
  }
}
