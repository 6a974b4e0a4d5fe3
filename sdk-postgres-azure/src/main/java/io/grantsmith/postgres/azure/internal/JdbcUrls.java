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
   * pgjdbc properties for an SSL mode and timeouts: {@code sslmode} takes libpq's words; statement
   * and lock timeouts are sent as server options.
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
    PGProperty.OPTIONS.set(
        p,
        "-c statement_timeout="
            + timeouts.statement().toMillis()
            + " -c lock_timeout="
            + timeouts.lock().toMillis());
    PGProperty.APPLICATION_NAME.set(p, "grantsmith");
    return p;
  }
}
