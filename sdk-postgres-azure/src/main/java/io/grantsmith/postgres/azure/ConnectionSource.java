package io.grantsmith.postgres.azure;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.postgres.azure.internal.JdbcUrls;
import io.grantsmith.postgres.azure.internal.PooledConnectionSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.PGProperty;

/**
 * Opens connections to one server, to any of its databases. Grantsmith opens one connection per
 * database it works in and closes it when done; give it a pool (for example one HikariCP {@link
 * DataSource} per database) with {@link #fromDataSources(Function)}, or keep idle connections for
 * reuse with {@link #pooled(ConnectionSource)}.
 */
@FunctionalInterface
public interface ConnectionSource {

  /**
   * Opens a connection to {@code database}. The caller closes it.
   *
   * @param database the database
   * @return an open connection
   * @throws SQLException if the server cannot be reached or refuses the login
   */
  Connection open(String database) throws SQLException;

  /**
   * Connections made by pgjdbc from an integration's host, port and SSL mode and the given
   * credentials, with the default timeouts of {@link Timeouts#defaults()}.
   *
   * @param integration where the server is
   * @param credentials who logs in
   * @return the source
   */
  static ConnectionSource of(Integration integration, Credentials credentials) {
    return of(integration, credentials, Timeouts.defaults());
  }

  /**
   * Connections made by pgjdbc from an integration's host, port and SSL mode and the given
   * credentials.
   *
   * @param integration where the server is
   * @param credentials who logs in
   * @param timeouts connect, socket, statement and lock timeouts
   * @return the source
   */
  static ConnectionSource of(Integration integration, Credentials credentials, Timeouts timeouts) {
    Objects.requireNonNull(integration, "integration");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(timeouts, "timeouts");
    ConnectionSource login =
        database -> {
          Properties p = JdbcUrls.properties(integration, timeouts);
          PGProperty.USER.set(p, credentials.username());
          PGProperty.PASSWORD.set(p, credentials.password().reveal());
          return DriverManager.getConnection(
              JdbcUrls.jdbcUrl(integration.hostname(), integration.port(), database), p);
        };
    return withTimeouts(login, timeouts);
  }

  /**
   * The statement and lock timeouts Grantsmith sets at the start of each transaction it runs on
   * these connections ({@code SET LOCAL}, so that they hold through a transaction-pooling PgBouncer
   * too); empty, the default, for the server's or the pool's own settings.
   *
   * @return the timeouts, if any
   */
  default Optional<Timeouts> timeouts() {
    return Optional.empty();
  }

  /**
   * Whether these connections log in with tokens (Microsoft Entra ID) rather than a password: then
   * the connector has no password, {@link AccessManager#rotateConnectorPassword} refuses, and
   * {@link ConnectorSetup#verify(ConnectionSource)} also checks that the connector is an Entra
   * administrator. False by default; true for the sources {@code
   * io.grantsmith.azure.identity.EntraConnections} makes, and kept by {@link #withTimeouts} and
   * {@link #pooled}. A source of your own that logs in with tokens (e.g. {@link #fromDataSources}
   * over a pool configured with azure-identity-extensions' plugin) overrides it.
   *
   * @return true if the connections log in with tokens
   */
  default boolean logsInWithTokens() {
    return false;
  }

  /**
   * {@code delegate}'s connections, with {@code timeouts} set in each transaction Grantsmith runs
   * on them; they log in with tokens if {@code delegate}'s do ({@link #logsInWithTokens()}).
   *
   * @param delegate where connections come from
   * @param timeouts the timeouts ({@link #timeouts()})
   * @return the source
   */
  static ConnectionSource withTimeouts(ConnectionSource delegate, Timeouts timeouts) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(timeouts, "timeouts");
    return new ConnectionSource() {
      @Override
      public Connection open(String database) throws SQLException {
        return delegate.open(database);
      }

      @Override
      public Optional<Timeouts> timeouts() {
        return Optional.of(timeouts);
      }

      @Override
      public boolean logsInWithTokens() {
        return delegate.logsInWithTokens();
      }
    };
  }

  /**
   * Connections from one {@link DataSource} per database, e.g. connection pools.
   *
   * @param perDatabase gives the data source of a database
   * @return the source
   */
  static ConnectionSource fromDataSources(Function<String, DataSource> perDatabase) {
    Objects.requireNonNull(perDatabase, "perDatabase");
    return database -> perDatabase.apply(database).getConnection();
  }

  /**
   * Connections from {@code delegate}, kept open after use and handed out again: up to 4 idle
   * connections per database, each closed after 10 s unused. A connection goes back to the pool on
   * {@link Connection#close()} only if it is still open, outside a transaction, and no call on it
   * or its statements failed; its session is then reset as {@code DISCARD ALL} does, except that
   * prepared statements and their plans are kept, and its autocommit turned back on. Otherwise it
   * is closed.
   *
   * @param delegate where new connections come from
   * @return the pool; close it to close the idle connections
   */
  static Pooled pooled(ConnectionSource delegate) {
    return pooled(delegate, PooledConnectionSource.DEFAULT_MAX_IDLE_PER_DATABASE);
  }

  /**
   * Like {@link #pooled(ConnectionSource)}, keeping up to {@code maxIdlePerDatabase} idle
   * connections per database.
   *
   * @param delegate where new connections come from
   * @param maxIdlePerDatabase idle connections kept per database, at least 0
   * @return the pool; close it to close the idle connections
   */
  static Pooled pooled(ConnectionSource delegate, int maxIdlePerDatabase) {
    return new PooledConnectionSource(
        delegate, maxIdlePerDatabase, PooledConnectionSource.DEFAULT_MAX_IDLE_TIME);
  }

  /** A {@link ConnectionSource} that keeps idle connections for reuse. */
  interface Pooled extends ConnectionSource, AutoCloseable {
    /** Closes every idle connection; connections handed out are closed when given back. */
    @Override
    void close();

    /**
     * Closes every idle connection now, e.g. after the connector's password changed; the pool stays
     * usable.
     */
    void evictIdle();
  }

  /**
   * Timeouts applied to connections Grantsmith makes, so that a stalled server never hangs the
   * caller forever.
   *
   * @param connect how long to wait for a connection
   * @param socket how long to wait for any reply (pgjdbc {@code socketTimeout})
   * @param statement the server's {@code statement_timeout}, set in each transaction
   * @param lock the server's {@code lock_timeout}, set in each transaction
   */
  record Timeouts(Duration connect, Duration socket, Duration statement, Duration lock) {
    /**
     * Validates the timeouts.
     *
     * @param connect how long to wait for a connection
     * @param socket how long to wait for any reply
     * @param statement the server's {@code statement_timeout}
     * @param lock the server's {@code lock_timeout}
     * @throws IllegalArgumentException if one is null or negative
     */
    public Timeouts {
      for (Duration d : new Duration[] {connect, socket, statement, lock}) {
        if (d == null || d.isNegative()) {
          throw new io.grantsmith.api.InvalidValueException(
              "Timeouts", "must all be set and not negative", d);
        }
      }
    }

    /**
     * Connect 10 s, socket 120 s, statement 60 s, lock 30 s.
     *
     * @return the defaults
     */
    public static Timeouts defaults() {
      return new Timeouts(
          Duration.ofSeconds(10),
          Duration.ofSeconds(120),
          Duration.ofSeconds(60),
          Duration.ofSeconds(30));
    }
  }
}
