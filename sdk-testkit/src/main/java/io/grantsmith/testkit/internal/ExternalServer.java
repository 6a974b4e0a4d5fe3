package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.ServerType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** An existing server reached through a JDBC URL and an admin login; nothing is emulated. */
public final class ExternalServer extends AbstractServer {
  /** Environment variable: JDBC URL of the external server. */
  public static final String ENV_URL = "GRANTSMITH_PG_JDBC_URL";

  /** Environment variable: admin login name. */
  public static final String ENV_USER = "GRANTSMITH_PG_ADMIN_USER";

  /** Environment variable: admin password. */
  public static final String ENV_PASSWORD = "GRANTSMITH_PG_ADMIN_PASSWORD";

  private final String host;
  private final int port;
  private final String defaultDatabase;
  private final Map<String, String> parameters;
  private final String adminUser;
  private final String adminPassword;

  ExternalServer(ParsedUrl url, String adminUser, String adminPassword) {
    this.host = url.host();
    this.port = url.port();
    this.defaultDatabase = url.database();
    this.parameters = url.parameters();
    this.adminUser = adminUser;
    this.adminPassword = adminPassword;
  }

  /** Reads the three environment variables. */
  public static ExternalServer fromEnvironment() {
    return open(require(ENV_URL), require(ENV_USER), require(ENV_PASSWORD));
  }

  private static String require(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "External server selected but environment variable "
              + name
              + " is not set (need "
              + ENV_URL
              + ", "
              + ENV_USER
              + " and "
              + ENV_PASSWORD
              + ")");
    }
    return value;
  }

  /** Connects as the admin once to check the login and read the version. */
  public static ExternalServer open(String jdbcUrl, String adminUser, String adminPassword) {
    ExternalServer server = new ExternalServer(ParsedUrl.parse(jdbcUrl), adminUser, adminPassword);
    try (Connection c = server.adminConnection(server.defaultDatabase)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot log in to the external server "
              + server.host
              + ":"
              + server.port
              + " as "
              + adminUser
              + ": SQLSTATE "
              + e.getSQLState()
              + " ("
              + Sql.firstLine(e.getMessage())
              + ")",
          e);
    }
    server.majorVersion();
    return server;
  }

  /** The parts of a {@code jdbc:postgresql://host[:port]/database[?params]} URL. */
  record ParsedUrl(String host, int port, String database, Map<String, String> parameters) {
    static ParsedUrl parse(String url) {
      String prefix = "jdbc:postgresql://";
      if (!url.startsWith(prefix)) {
        throw new IllegalArgumentException("Not a jdbc:postgresql:// URL: " + url);
      }
      String rest = url.substring(prefix.length());
      String query = "";
      int q = rest.indexOf('?');
      if (q >= 0) {
        query = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
      String hostPort = rest;
      String database = "postgres";
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        hostPort = rest.substring(0, slash);
        String db = rest.substring(slash + 1);
        if (!db.isEmpty()) {
          database = URLDecoder.decode(db, StandardCharsets.UTF_8);
        }
      }
      if (hostPort.contains(",")) {
        throw new IllegalArgumentException("Multi-host URLs are not supported: " + url);
      }
      String host = hostPort;
      int port = 5432;
      int colon = hostPort.lastIndexOf(':');
      if (hostPort.startsWith("[")) {
        int end = hostPort.indexOf(']');
        host = hostPort.substring(1, end);
        if (colon > end) {
          port = Integer.parseInt(hostPort.substring(colon + 1));
        }
      } else if (colon >= 0) {
        host = hostPort.substring(0, colon);
        port = Integer.parseInt(hostPort.substring(colon + 1));
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (!key.equalsIgnoreCase("user") && !key.equalsIgnoreCase("password")) {
          params.put(key, value);
        }
      }
      return new ParsedUrl(host, port, database, Map.copyOf(params));
    }
  }

  @Override
  public ServerType type() {
    return ServerType.EXTERNAL;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String adminUser() {
    return adminUser;
  }

  @Override
  public String adminPassword() {
    return adminPassword;
  }

  @Override
  public Connection superuserConnection(String database) {
    throw new UnsupportedOperationException(
        "No superuser is known on an external server; use adminConnection");
  }

  @Override
  protected Map<String, String> urlParameters() {
    return parameters;
  }

  @Override
  protected void shutdown() {
    // Nothing to stop: the server is not ours.
  }
}
