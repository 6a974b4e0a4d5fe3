package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Executor;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.LeaseCodec.Approval;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.PooledConnectionSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operations of an {@link AccessManager} share while it runs: its configuration, the
 * connections, the executor, the per-user locks, the connector's name, the reads of the server's
 * state, and the one lock-and-retry loop every change to a user goes through.
 */
final class ManagerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  /** Protocol violation: what PgBouncer answers a client it cannot serve. */
  private static final String POOLER_REFUSED = "08P01";

  private static final Set<String> NOT_MANAGED_DATABASES =
      Set.of("azure_maintenance", "azure_sys", "template0", "template1");

  final ManagerConfig config;
  final AtomicReference<Credentials> credentials;
  final ConnectionSource connections;
  final Executor executor;
  final ConnectionSource.Pooled pool;
  private final ReentrantLock[] locks;
  private final AtomicReference<String> connector;
  private final AtomicBoolean transactionsWork;

  private ManagerRuntime(
      ManagerConfig config,
      AtomicReference<Credentials> credentials,
      ConnectionSource connections,
      Executor executor,
      ConnectionSource.Pooled pool,
      ReentrantLock[] locks,
      AtomicReference<String> connector,
      AtomicBoolean transactionsWork) {
    this.transactionsWork = transactionsWork;
    this.config = config;
    this.credentials = credentials;
    this.connections = connections;
    this.executor = executor;
    this.pool = pool;
    this.locks = locks;
    this.connector = connector;
  }

  /**
   * Starts: a pool from {@code credentials} unless {@code connections} are given, a {@link
   * JdbcExecutor} over them unless {@code executor} is given.
   */
  static ManagerRuntime start(
      ManagerConfig config,
      Credentials credentials,
      ConnectionSource connections,
      Executor executor,
      String connectorName) {
    AtomicReference<Credentials> creds = new AtomicReference<>(credentials);
    ConnectionSource.Pooled pool =
        connections != null
            ? null
            // Grantsmith leaves nothing in a session (SET LOCAL, transaction-scoped locks): a
            // connection taken back needs no reset, which through a transaction-pooling
            // PgBouncer would run on whatever server connection it picks.
            : new PooledConnectionSource(
                ConnectionSource.withTimeouts(
                    db -> ConnectionSource.of(config.integration(), creds.get()).open(db),
                    ConnectionSource.Timeouts.defaults()),
                PooledConnectionSource.DEFAULT_MAX_IDLE_PER_DATABASE,
                PooledConnectionSource.DEFAULT_MAX_IDLE_TIME,
                false);
    ConnectionSource source = pool != null ? pool : connections;
    Executor ex = executor != null ? executor : JdbcExecutor.builder().connections(source).build();
    String name =
        connectorName != null ? connectorName : credentials != null ? credentials.username() : null;
    ReentrantLock[] locks = new ReentrantLock[64];
    for (int k = 0; k < locks.length; k++) {
      locks[k] = new ReentrantLock();
    }
    return new ManagerRuntime(
        config, creds, source, ex, pool, locks, new AtomicReference<>(name), new AtomicBoolean());
  }

  /** The same runtime sending plans to {@code other}. */
  ManagerRuntime withExecutor(Executor other) {
    return new ManagerRuntime(
        config, credentials, connections, other, pool, locks, connector, transactionsWork);
  }

  /** The database where roles and memberships are changed. */
  String shared() {
    return config.shared();
  }

  /** Applies a plan; an empty plan is not sent. */
  ApplyResult apply(Plan plan) {
    return plan.isEmpty() ? ApplyResult.builder().build() : execute(plan);
  }

  /** Sends a plan to the executor, after {@link #checkTransactions} when it is a JDBC one. */
  ApplyResult execute(Plan plan) {
    if (executor instanceof JdbcExecutor) {
      checkTransactions();
    }
    return executor.apply(plan);
  }

  /**
   * Once per manager, before its first change: a transaction of two statements on the shared
   * database, rolled back. A pooler that cannot keep a transaction on one server connection
   * (PgBouncer in statement pooling mode) or refuses the login's parameters ends it with SQLSTATE
   * 08P01 (protocol violation), which a PostgreSQL server does not send to pgjdbc: Grantsmith then
   * refuses before any change, naming the pooler and the server's direct port.
   */
  void checkTransactions() {
    if (transactionsWork.get()) {
      return;
    }
    try (Connection c = connections.open(shared())) {
      c.setAutoCommit(false);
      try (java.sql.Statement st = c.createStatement()) {
        st.execute(LifecycleQueries.PROBE);
        st.execute(LifecycleQueries.PROBE);
      }
      // Not in a finally: a failure's own SQLSTATE, not the closed connection's, is the answer.
      c.rollback();
      transactionsWork.set(true);
    } catch (SQLException e) {
      if (POOLER_REFUSED.equals(e.getSQLState())) {
        throw new GrantsmithException(
            "Cannot work through the connection pooler on port "
                + config.integration().port()
                + ": it ended a transaction or the login with SQLSTATE 08P01, as PgBouncer does in"
                + " statement pooling mode. Nothing was changed. Use transaction pooling (Azure's"
                + " built-in PgBouncer on port 6432 pools by transaction) or connect to the server"
                + " directly on port 5432.",
            e);
      }
      throw new GrantsmithException("Cannot begin a transaction: SQLSTATE " + e.getSQLState(), e);
    }
  }

  /** One try of a change to a user: done with a value, or to be read and tried again at once. */
  sealed interface Attempt<T> {
    /** The change is done. */
    record Done<T>(T value) implements Attempt<T> {}

    /** The state changed under the attempt: read again and try again. */
    record Again<T>() implements Attempt<T> {}
  }

  /**
   * Runs {@code body} holding this process's lock for {@code user}, again while it asks to ({@link
   * Attempt.Again}) or fails with a SQLSTATE the {@linkplain ManagerConfig#retry retry policy}
   * retries (a guard saw a concurrent change), until the policy's attempts are used up: then the
   * last failure is thrown, or {@code exhausted} if the body kept asking.
   */
  <T> T locked(String user, Supplier<Attempt<T>> body, Supplier<RuntimeException> exhausted) {
    ReentrantLock lock = locks[stripe(user)];
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          if (body.get() instanceof Attempt.Done<T> done) {
            return done.value();
          }
          if (attempt >= config.retry().maxAttempts()) {
            throw exhausted.get();
          }
        } catch (ApplyException e) {
          String state = e.sqlState().orElse(null);
          if (!config.retry().retryAfter(state, attempt)) {
            throw e;
          }
          LOG.debug("Retrying after SQLSTATE {} (attempt {})", state, attempt);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The connector's role name if it is known without asking the server (configured, from the
   * credentials, or read before), else null.
   */
  String knownConnector() {
    return connector.get();
  }

  /**
   * Runs {@code body} once, holding this process's locks for all of {@code users} (the lock {@link
   * #locked} takes for each), so that no change to one of them in this process runs meanwhile. The
   * locks are taken in one global order; every other holder takes one lock at a time, so this
   * cannot deadlock.
   */
  <T> T lockedAll(Collection<String> users, Supplier<T> body) {
    TreeSet<Integer> stripes = new TreeSet<>();
    for (String u : users) {
      stripes.add(stripe(u));
    }
    List<ReentrantLock> held = new ArrayList<>();
    try {
      for (int i : stripes) {
        locks[i].lock();
        held.add(locks[i]);
      }
      return body.get();
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    }
  }

  private int stripe(String user) {
    return Math.floorMod(user.hashCode(), locks.length);
  }

  /** The connector's role name: as configured, else {@code current_user}, read once. */
  String connector() {
    String c = connector.get();
    if (c == null) {
      c =
          query(
                  shared(),
                  LifecycleQueries.CURRENT_USER,
                  "connect as the connector",
                  rs -> rs.getString(1))
              .get(0);
      connector.compareAndSet(null, c);
    }
    return c;
  }

  /** Reads rows of one query. */
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * The rows of {@code sql} on {@code c}, its parameters bound in order (a {@code String[]} as
   * {@code text[]}).
   */
  static <T> List<T> rows(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof String[] array) {
          ps.setArray(i + 1, c.createArrayOf("text", array));
        } else {
          ps.setObject(i + 1, params[i]);
        }
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.read(rs));
        }
      }
      return out;
    }
  }

  /**
   * {@link #rows} in a session on {@code db}; a failure is a {@link GrantsmithException} "Cannot
   * {@code what}" with the SQLSTATE.
   */
  <T> List<T> query(String db, String sql, String what, Row<T> row, Object... params) {
    try (Connection c = connections.open(db)) {
      return rows(c, sql, row, params);
    } catch (SQLException e) {
      throw new GrantsmithException("Cannot " + what + ": SQLSTATE " + e.getSQLState(), e);
    }
  }

  /** The connectable databases and every managed user. */
  ServerState readServer() {
    return readServer(null);
  }

  /** The connectable databases and the managed users, or only {@code user} if not null. */
  ServerState readServer(String user) {
    String shared = shared();
    try (Connection c = connections.open(shared)) {
      int major = c.getMetaData().getDatabaseMajorVersion();
      List<LeaseState> states =
          user == null
              ? LeaseState.readAll(c, config.marker())
              : LeaseState.readOne(c, config.marker(), user);
      List<String> dbs = new ArrayList<>();
      for (String db : rows(c, LifecycleQueries.CONNECTABLE_DATABASES, rs -> rs.getString(1))) {
        if (!NOT_MANAGED_DATABASES.contains(db)) {
          dbs.add(db);
        }
      }
      // The shared database first: roles and memberships are changed from its session.
      dbs.remove(shared);
      dbs.add(0, shared);
      return new ServerState(major, states, dbs);
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot read the managed users: SQLSTATE " + e.getSQLState(), e);
    }
  }

  /**
   * The managed user's role name for a user name or request id (the latest request wins).
   *
   * @return null if no managed role matches
   */
  String resolve(String userOrRequestId) {
    Objects.requireNonNull(userOrRequestId, "userOrRequestId");
    LeaseState byName = readServer(userOrRequestId).state(userOrRequestId);
    if (byName != null) {
      return byName.roleName();
    }
    LeaseState best = null;
    for (LeaseState s : readServer().states()) {
      if (s.matches(userOrRequestId)) {
        boolean latest = s.lease().map(l -> l.requestId().equals(userOrRequestId)).orElse(false);
        if (best == null || latest) {
          best = s;
        }
      }
    }
    return best == null ? null : best.roleName();
  }

  /**
   * What a grant must know of {@code db}: every object for a resource that is a database or the
   * server, else the schemas the resources name there and whatever {@code user} holds; of the
   * grants, only the user's.
   */
  CatalogSnapshot catalog(String db, Collection<ResourceRef> resources, String user) {
    PostgresCatalogReader reader = new PostgresCatalogReader(connections);
    Set<String> schemas = new TreeSet<>();
    for (ResourceRef r : resources) {
      boolean onDb = r.database().filter(db::equals).isPresent();
      if (r.kind() == ResourceKind.SERVER || onDb && r.kind() == ResourceKind.DATABASE) {
        return reader.readFor(user, db);
      }
      if (onDb) {
        r.schema().ifPresent(schemas::add);
      }
    }
    return reader.readFor(user, db, schemas);
  }

  /**
   * The sequences owned by the columns (serial and identity) of each approved relation that the
   * snapshots hold.
   */
  Map<ResourceRef, List<ResourceRef>> ownedSequences(
      Collection<Approval> approvals, Map<String, CatalogSnapshot> snapshots) {
    Map<ResourceRef, List<ResourceRef>> out = new HashMap<>();
    for (ResourceRef relation : AccessExpansion.relations(approvals)) {
      String db = relation.requireDatabase();
      CatalogSnapshot snap = snapshots.get(db);
      if (snap != null && snap.contains(relation)) {
        out.put(
            relation,
            query(
                db,
                LifecycleQueries.OWNED_SEQUENCES,
                "read the sequences of " + relation,
                rs -> ResourceRef.sequence(db, rs.getString(1), rs.getString(2)),
                relation.schema().get(),
                relation.name().get()));
      }
    }
    return out;
  }
}
