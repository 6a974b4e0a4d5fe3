package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.AzurePostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.Driver;

/** What every kind of server shares: URLs, logins, database creation, the shared flag. */
public abstract class AbstractServer implements AzurePostgres {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Driver DRIVER = new Driver();
  private static final String RUN_ID = randomHex(3);
  private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();

  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean shared;
  private volatile int majorVersion;

  /** Extra JDBC URL parameters, such as {@code sslmode=disable}; empty for none. */
  protected abstract Map<String, String> urlParameters();

  /** Stops the server for real. */
  protected abstract void shutdown();

  /** Random lower-case hex of the given number of bytes. */
  public static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A random password that satisfies Azure's complexity rules. */
  public static String randomPassword() {
    return "Gs-" + randomHex(12) + "-Pw9";
  }

  /** Marks this server as shared: {@link #close()} then does nothing. */
  public void markShared() {
    shared = true;
  }

  /** Stops the server whether shared or not; used at JVM exit. */
  public void closeForReal() {
    if (closed.compareAndSet(false, true)) {
      shutdown();
    }
  }

  @Override
  public void close() {
    if (!shared) {
      closeForReal();
    }
  }

  @Override
  public int majorVersion() {
    if (majorVersion == 0) {
      try (Connection c = adminConnection("postgres");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW server_version_num")) {
        rs.next();
        majorVersion = Integer.parseInt(rs.getString(1)) / 10000;
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot read the server version of " + this, e);
      }
    }
    return majorVersion;
  }

  @Override
  public String jdbcUrl(String database) {
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://")
            .append(host().contains(":") ? "[" + host() + "]" : host())
            .append(':')
            .append(port())
            .append('/')
            .append(encode(database));
    char sep = '?';
    for (Map.Entry<String, String> p : urlParameters().entrySet()) {
      url.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
      sep = '&';
    }
    return url.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public Connection connect(String database, String user, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", "20");
    props.setProperty("ApplicationName", "grantsmith-testkit");
    Connection c = DRIVER.connect(jdbcUrl(database), props);
    if (c == null) {
      throw new SQLException("pgjdbc did not accept the URL " + jdbcUrl(database), "08001");
    }
    return c;
  }

  @Override
  public Connection adminConnection(String database) throws SQLException {
    return connect(database, adminUser(), adminPassword());
  }

  @Override
  public String createDatabase() {
    String name = "gs_" + RUN_ID + "_" + DATABASE_COUNTER.incrementAndGet();
    createDatabase(name);
    return name;
  }

  @Override
  public void createDatabase(String name) {
    String sql = "CREATE DATABASE " + Identifiers.quote(name);
    try (Connection c = adminConnection("postgres");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(Sql.describe("Cannot create database", sql, e), e);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + type() + ", " + host() + ":" + port() + "]";
  }
}
