package io.grantsmith.postgres.azure.internal;

import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectionSource.Timeouts;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * The pool behind {@link ConnectionSource#pooled}: idle connections per database, handed out as
 * proxies whose {@code close()} gives the connection back only when it is known to be clean.
 */
public final class PooledConnectionSource implements ConnectionSource.Pooled {
  /** Idle connections kept per database by default. */
  public static final int DEFAULT_MAX_IDLE_PER_DATABASE = 4;

  /** How long an idle connection is kept by default. */
  public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(10);

  private static final long VALIDATE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int VALIDATE_TIMEOUT_SECONDS = 5;
  private static final int MAX_IDLE_TOTAL_FACTOR = 4;
  // DISCARD ALL but for DEALLOCATE ALL and DISCARD PLANS: the session is reset as for a new
  // login, while the driver's prepared statements and their generic plans survive, so the
  // catalog reads are not planned again on every use (planning them costs more than running
  // them).
  private static final String RESET =
      "CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT;"
          + " RESET ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP;"
          + " DISCARD SEQUENCES";
  // Calls that change client-side session state the reset cannot undo: such a connection is
  // not reused.
  private static final Set<String> DIRTYING =
      Set.of(
          "setReadOnly",
          "setTransactionIsolation",
          "setCatalog",
          "setSchema",
          "setNetworkTimeout",
          "setClientInfo",
          "setTypeMap",
          "setHoldability",
          "abort");
  private static final ScheduledExecutorService REAPER = reaper();

  private final ConnectionSource delegate;
  private final int maxIdlePerDatabase;
  private final long maxIdleNanos;
  private final boolean resetSessions;
  private final Map<String, Deque<Idle>> idle = new HashMap<>();
  private int idleCount;
  private boolean reapScheduled;
  private boolean closed;

  /**
   * A pool over {@code delegate} that resets each session it takes back.
   *
   * @param delegate where new connections come from
   * @param maxIdlePerDatabase idle connections kept per database, at least 0
   * @param maxIdleTime how long an idle connection is kept, positive
   */
  public PooledConnectionSource(
      ConnectionSource delegate, int maxIdlePerDatabase, Duration maxIdleTime) {
    this(delegate, maxIdlePerDatabase, maxIdleTime, true);
  }

  /**
   * A pool over {@code delegate}.
   *
   * @param delegate where new connections come from
   * @param maxIdlePerDatabase idle connections kept per database, at least 0
   * @param maxIdleTime how long an idle connection is kept, positive
   * @param resetSessions whether a connection taken back has its session reset; false only for
   *     users that leave nothing in a session (Grantsmith's own, whose settings and locks are all
   *     transaction-scoped), so that no reset runs on a server connection a transaction-pooling
   *     PgBouncer may since have given to another client
   */
  public PooledConnectionSource(
      ConnectionSource delegate,
      int maxIdlePerDatabase,
      Duration maxIdleTime,
      boolean resetSessions) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxIdlePerDatabase < 0 || maxIdleTime.isNegative() || maxIdleTime.isZero()) {
      throw new IllegalArgumentException("maxIdlePerDatabase must be >= 0 and maxIdleTime > 0");
    }
    this.maxIdlePerDatabase = maxIdlePerDatabase;
    this.maxIdleNanos = maxIdleTime.toNanos();
    this.resetSessions = resetSessions;
  }

  @Override
  public Connection open(String database) throws SQLException {
    Objects.requireNonNull(database, "database");
    for (Idle i = take(database); i != null; i = take(database)) {
      if (usable(i)) {
        return handOut(database, i.connection);
      }
      closeQuietly(i.connection);
    }
    return handOut(database, delegate.open(database));
  }

  @Override
  public Optional<Timeouts> timeouts() {
    return delegate.timeouts();
  }

  @Override
  public boolean logsInWithTokens() {
    return delegate.logsInWithTokens();
  }

  @Override
  public void evictIdle() {
    List<Idle> out = new ArrayList<>();
    synchronized (this) {
      idle.values().forEach(out::addAll);
      idle.clear();
      idleCount = 0;
    }
    out.forEach(i -> closeQuietly(i.connection));
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    evictIdle();
  }

  /** Idle connections held now (for tests). */
  synchronized int idleCount() {
    return idleCount;
  }

  private synchronized Idle take(String database) {
    Deque<Idle> q = idle.get(database);
    Idle i = q == null ? null : q.pollFirst();
    if (i != null) {
      idleCount--;
    }
    return i;
  }

  private boolean usable(Idle i) {
    long age = System.nanoTime() - i.since;
    try {
      return age < maxIdleNanos
          && !i.connection.isClosed()
          && (age < VALIDATE_AFTER_NANOS || i.connection.isValid(VALIDATE_TIMEOUT_SECONDS));
    } catch (SQLException e) {
      return false;
    }
  }

  private Connection handOut(String database, Connection raw) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new Handle(database, raw));
  }

  private void giveBack(Handle h) {
    if (h.doubt || !reset(h.raw, resetSessions) || !keep(h.database, h.raw)) {
      closeQuietly(h.raw);
    }
  }

  private synchronized boolean keep(String database, Connection raw) {
    Deque<Idle> q = idle.computeIfAbsent(database, k -> new ArrayDeque<>());
    if (closed
        || q.size() >= maxIdlePerDatabase
        || idleCount >= maxIdlePerDatabase * MAX_IDLE_TOTAL_FACTOR) {
      return false;
    }
    q.addFirst(new Idle(raw, System.nanoTime()));
    idleCount++;
    if (!reapScheduled) {
      reapScheduled = true;
      REAPER.schedule(this::reap, maxIdleNanos, TimeUnit.NANOSECONDS);
    }
    return true;
  }

  /**
   * Whether the connection can be handed out again: open, outside any transaction, and its session
   * reset to what a new login has.
   */
  private static boolean reset(Connection raw, boolean session) {
    try {
      if (raw.isClosed()
          || !raw.isWrapperFor(BaseConnection.class)
          || raw.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
        return false;
      }
      if (!raw.getAutoCommit()) {
        raw.setAutoCommit(true);
      }
      if (session) {
        try (Statement st = raw.createStatement()) {
          st.execute(RESET);
        }
      }
      raw.clearWarnings();
      return raw.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Closes connections idle for longer than the limit; runs while any connection is idle. */
  private void reap() {
    List<Idle> expired = new ArrayList<>();
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    synchronized (this) {
      for (Deque<Idle> q : idle.values()) {
        for (java.util.Iterator<Idle> it = q.iterator(); it.hasNext(); ) {
          Idle i = it.next();
          if (now - i.since >= maxIdleNanos) {
            expired.add(i);
            it.remove();
            idleCount--;
          } else {
            next = Math.min(next, i.since + maxIdleNanos - now);
          }
        }
      }
      reapScheduled = idleCount > 0;
      if (reapScheduled) {
        REAPER.schedule(this::reap, Math.max(next, 1), TimeUnit.NANOSECONDS);
      }
    }
    expired.forEach(i -> closeQuietly(i.connection));
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException | RuntimeException ignored) {
      // Discarded anyway.
    }
  }

  private static ScheduledExecutorService reaper() {
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "grantsmith-pool-reaper");
              t.setDaemon(true);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    return ex;
  }

  private static final class Idle {
    final Connection connection;
    final long since;

    Idle(Connection connection, long since) {
      this.connection = connection;
      this.since = since;
    }
  }

  /** The connection handed out: any failure through it or its statements marks it doubtful. */
  private final class Handle implements InvocationHandler {
    final String database;
    final Connection raw;
    volatile boolean doubt;
    private boolean returned;

    Handle(String database, Connection raw) {
      this.database = database;
      this.raw = raw;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      switch (m.getName()) {
        case "close":
          if (markReturned()) {
            giveBack(this);
          }
          return null;
        case "isClosed":
          return isReturned() || raw.isClosed();
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "pooled " + raw;
        default:
          break;
      }
      if (isReturned()) {
        throw new SQLException("The connection is closed", "08003");
      }
      if (DIRTYING.contains(m.getName())) {
        doubt = true;
      }
      Object out = call(raw, m, args);
      if (out instanceof Statement && Statement.class.isAssignableFrom(m.getReturnType())) {
        return statement(proxy, m.getReturnType(), out);
      }
      return out;
    }

    private Object statement(Object connection, Class<?> type, Object raw) {
      return Proxy.newProxyInstance(
          Connection.class.getClassLoader(),
          new Class<?>[] {type},
          (p, m, args) -> m.getName().equals("getConnection") ? connection : call(raw, m, args));
    }

    private Object call(Object target, Method m, Object[] args) throws Throwable {
      try {
        return m.invoke(target, args);
      } catch (InvocationTargetException e) {
        doubt = true;
        throw e.getCause();
      }
    }

    private synchronized boolean markReturned() {
      boolean first = !returned;
      returned = true;
      return first;
    }

    private synchronized boolean isReturned() {
      return returned;
    }
  }
}
