package io.grantsmith.postgres.azure.internal;

import io.grantsmith.api.Integration;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.ConnectionSource.Timeouts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.postgresql.PGProperty;

/** pgjdbc URLs and connection properties, the latter set through {@link PGProperty}. */
public final class JdbcUrls {
  private JdbcUrls() {}

  /**
   * {@code jdbc:postgresql://host:port/database}, the database URL-encoded and IPv6 hosts in
   * brackets.
   *
   * @param host host name or IP
   * @param port port
   * @param database database name
   * @return the URL
   */
  public static String jdbcUrl(String host, int port, String database) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://"
        + h
        + ":"
        + port
        + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * pgjdbc properties for an integration: its SSL mode and CA certificate, and the timeouts.
   *
   * @param integration the integration
   * @param timeouts the timeouts
   * @return the properties (no user or password)
   */
  public static Properties properties(Integration integration, Timeouts timeouts) {
    Properties p = properties(integration.sslMode(), timeouts);
    integration.sslRootCert().ifPresent(file -> PGProperty.SSL_ROOT_CERT.set(p, file));
    return p;
  }

  /**
   * pgjdbc properties for an SSL mode and timeouts: {@code sslmode} takes libpq's words; no startup
   * {@code options} (a transaction-pooling PgBouncer refuses them: the statement and lock timeouts
   * are set in each transaction instead, see {@link Renderer#transactionTimeouts}) and no named
   * server-side prepared statements ({@code prepareThreshold=0}: a pooler may hand the next
   * transaction another server connection, where the name is unknown or taken).
   *
   * @param sslMode the SSL mode
   * @param timeouts the timeouts
   * @return the properties (no user or password)
   */
  public static Properties properties(SslMode sslMode, Timeouts timeouts) {
    Properties p = new Properties();
    String connectSeconds = Long.toString(Math.max(1, timeouts.connect().toSeconds()));
    PGProperty.SSL_MODE.set(p, sslMode.libpqName());
    PGProperty.CONNECT_TIMEOUT.set(p, connectSeconds);
    PGProperty.LOGIN_TIMEOUT.set(p, connectSeconds);
    PGProperty.SOCKET_TIMEOUT.set(p, Long.toString(timeouts.socket().toSeconds()));
    PGProperty.PREPARE_THRESHOLD.set(p, "0");
    PGProperty.APPLICATION_NAME.set(p, "grantsmith");
    return p;
  }

  /**
   * The URL a managed user connects with: {@link #jdbcUrl}, then {@code sslmode} and the user name
   * (URL-encoded) as query parameters; no password.
   *
   * @param host host name or IP
   * @param port port
   * @param database database name
   * @param sslMode the SSL mode
   * @param user the user name
   * @return the URL
   */
  public static String userJdbcUrl(
      String host, int port, String database, SslMode sslMode, String user) {
    return jdbcUrl(host, port, database)
        + "?sslmode="
        + sslMode.libpqName()
        + "&user="
        + URLEncoder.encode(user, StandardCharsets.UTF_8);
  }

  /**
   * A libpq connection string ({@code host=... port=... dbname=... user=... sslmode=...}), each
   * value quoted where libpq needs it; no password.
   *
   * @param host host name or IP
   * @param port port
   * @param database database name
   * @param user the user name
   * @param sslMode the SSL mode
   * @return the connection string
   */
  public static String libpqConnectionString(
      String host, int port, String database, String user, SslMode sslMode) {
    return "host="
        + libpqValue(host)
        + " port="
        + port
        + " dbname="
        + libpqValue(database)
        + " user="
        + libpqValue(user)
        + " sslmode="
        + sslMode.libpqName();
  }

  /**
   * A libpq connection-string value: as is when it is made of letters, digits and {@code . _ - :}
   * only, else in single quotes with {@code \} and {@code '} escaped by a backslash.
   *
   * @param value the value
   * @return the value as libpq reads it
   */
  public static String libpqValue(String value) {
    if (!value.isEmpty()
        && value
            .chars()
            .allMatch(
                c ->
                    c >= 'a' && c <= 'z'
                        || c >= 'A' && c <= 'Z'
                        || c >= '0' && c <= '9'
                        || c == '.'
                        || c == '_'
                        || c == '-'
                        || c == ':')) {
      return value;
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
