package io.grantsmith.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PgBouncer in front of a testkit server, configured as Azure's built-in one: pooling in
 * {@linkplain PoolMode#TRANSACTION transaction} mode unless told otherwise, no ignored startup
 * parameters (so a startup {@code options} fails, as on Azure), {@code max_prepared_statements = 0}
 * where the version has the setting (1.21 and later; older versions do not track protocol-level
 * prepared statements in transaction mode, which comes to the same), and SCRAM authentication of
 * every client against the server's own password verifiers, looked up at each login with an {@code
 * auth_query} (so users created at run time log in through it, and a role that cannot log in or
 * whose {@code VALID UNTIL} passed is unknown to it).
 *
 * <p>It runs the {@code pgbouncer} executable of this machine (Debian package {@code pgbouncer};
 * {@code .ci/run} installs it when missing), or the one named by the system property {@value
 * #EXECUTABLE_PROPERTY}. It looks passwords up as the server's superuser, which the embedded server
 * trusts on the loopback interface: it stands in front of {@linkplain AzurePostgres#embedded(int)
 * embedded} servers. Where Docker runs instead, {@link #containerEnvironment} gives the same
 * settings to a PgBouncer image.
 *
 * <pre>{@code
 * try (PgBouncer pooler = PgBouncer.inFrontOf(server)) {
 *     Integration integration = Integration.builder()
 *         .hostname(pooler.host()).port(pooler.port()) ...
 * }
 * }</pre>
 */
public final class PgBouncer implements AutoCloseable {
  /** The system property naming the {@code pgbouncer} executable to run. */
  public static final String EXECUTABLE_PROPERTY = "grantsmith.pgbouncer";

  /** The port of Azure's built-in PgBouncer. */
  public static final int AZURE_PORT = 6432;

  /** The superuser the pooler looks passwords up as (trusted by the embedded server). */
  static final String AUTH_USER = "postgres";

  /**
   * The pooler's password lookup: the login roles whose {@code VALID UNTIL} has not passed, with
   * their verifiers.
   */
  static final String AUTH_QUERY =
      "SELECT usename, passwd FROM pg_catalog.pg_shadow WHERE usename = $1"
          + " AND (valuntil IS NULL OR valuntil > now())";

  private static final Pattern VERSION = Pattern.compile("PgBouncer (\\d+)\\.(\\d+)(?:\\.(\\d+))?");
  private static final long START_TIMEOUT_MILLIS = 15_000;

  /** PgBouncer's pooling modes. */
  public enum PoolMode {
    /** A server connection per client connection: everything works, nothing is shared. */
    SESSION,
    /** A server connection per transaction: Azure's default. */
    TRANSACTION,
    /** A server connection per statement: transactions of several statements are refused. */
    STATEMENT;

    /**
     * The word in {@code pgbouncer.ini}.
     *
     * @return {@code session}, {@code transaction} or {@code statement}
     */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Process process;
  private final Path dir;
  private final int port;
  private final PoolMode mode;
  private final String version;

  private PgBouncer(Process process, Path dir, int port, PoolMode mode, String version) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.mode = mode;
    this.version = version;
  }

  /**
   * Starts a transaction-pooling PgBouncer in front of {@code server}.
   *
   * @param server an embedded server
   * @return the running pooler; close it to stop it
   * @throws IllegalStateException if pgbouncer is missing or does not start
   */
  public static PgBouncer inFrontOf(AzurePostgres server) {
    return inFrontOf(server, PoolMode.TRANSACTION);
  }

  /**
   * Starts a PgBouncer pooling in {@code mode} in front of {@code server}.
   *
   * @param server an embedded server
   * @param mode the pooling mode
   * @return the running pooler; close it to stop it
   * @throws IllegalStateException if pgbouncer is missing or does not start
   */
  public static PgBouncer inFrontOf(AzurePostgres server, PoolMode mode) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(mode, "mode");
    Path exe = executable();
    String version = version(exe);
    Path dir = null;
    Process p = null;
    try {
      dir = Files.createTempDirectory("grantsmith-pgbouncer");
      int port = freePort();
      Path ini = dir.resolve("pgbouncer.ini");
      Path users = dir.resolve("userlist.txt");
      Path log = dir.resolve("pgbouncer.log");
      Files.writeString(users, "", StandardCharsets.UTF_8);
      Files.writeString(
          ini,
          ini(settings(server.host(), server.port(), port, mode, version, users.toString())),
          StandardCharsets.UTF_8);
      boolean root = "root".equals(System.getProperty("user.name"));
      if (root) {
        // pgbouncer refuses to run as root: it drops to nobody, who must read its files.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(ini, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));
      }
      ProcessBuilder pb =
          root
              ? new ProcessBuilder(exe.toString(), "-u", "nobody", ini.toString())
              : new ProcessBuilder(exe.toString(), ini.toString());
      p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      awaitListening(p, port, log);
      return new PgBouncer(p, dir, port, mode, version);
    } catch (IOException e) {
      stop(p);
      throw new UncheckedIOException("Cannot start pgbouncer", e);
    } catch (RuntimeException e) {
      stop(p);
      throw e;
    }
  }

  /**
   * The settings of {@code pgbouncer.ini}'s {@code [pgbouncer]} section, in order, for a pooler on
   * {@code 127.0.0.1:listenPort} in front of {@code serverHost:serverPort}; the {@code [databases]}
   * section sends every database to the server.
   *
   * @param serverHost the server's host
   * @param serverPort the server's port
   * @param listenPort the pooler's port
   * @param mode the pooling mode
   * @param version the pooler's version, e.g. {@code 1.18.0}
   * @param authFile the (empty) auth file
   * @return setting names to values
   */
  static Map<String, String> settings(
      String serverHost,
      int serverPort,
      int listenPort,
      PoolMode mode,
      String version,
      String authFile) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("*", "host=" + serverHost + " port=" + serverPort + " auth_user=" + AUTH_USER);
    s.put("listen_addr", "127.0.0.1");
    s.put("listen_port", Integer.toString(listenPort));
    s.put("unix_socket_dir", "");
    s.put("pool_mode", mode.word());
    s.put("auth_type", "scram-sha-256");
    s.put("auth_file", authFile);
    s.put("auth_query", AUTH_QUERY);
    s.put("ignore_startup_parameters", "");
    if (atLeast(version, 1, 21)) {
      s.put("max_prepared_statements", "0");
    }
    s.put("max_client_conn", "200");
    s.put("default_pool_size", "20");
    s.put("server_tls_sslmode", "disable");
    return s;
  }

  /**
   * The environment variables of a PgBouncer container image configured by variables (such as
   * {@code edoburu/pgbouncer}), with the settings of {@link #settings}: the same pooler where
   * Docker runs.
   *
   * @param serverHost the server's host as the container sees it
   * @param serverPort the server's port as the container sees it
   * @param mode the pooling mode
   * @param version the image's PgBouncer version, e.g. {@code 1.23.1}
   * @return variable names to values
   */
  public static Map<String, String> containerEnvironment(
      String serverHost, int serverPort, PoolMode mode, String version) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DB_HOST", serverHost);
    env.put("DB_PORT", Integer.toString(serverPort));
    env.put("DB_USER", AUTH_USER);
    env.put("LISTEN_PORT", Integer.toString(AZURE_PORT));
    env.put("POOL_MODE", mode.word());
    env.put("AUTH_TYPE", "scram-sha-256");
    env.put("AUTH_USER", AUTH_USER);
    env.put("AUTH_QUERY", AUTH_QUERY);
    env.put("IGNORE_STARTUP_PARAMETERS", "");
    if (atLeast(version, 1, 21)) {
      env.put("MAX_PREPARED_STATEMENTS", "0");
    }
    return env;
  }

  /**
   * {@code pgbouncer.ini} for {@link #settings}: the {@code *} entry in {@code [databases]}, the
   * rest in {@code [pgbouncer]}.
   */
  static String ini(Map<String, String> settings) {
    StringBuilder b = new StringBuilder("; Grantsmith testkit: a PgBouncer shaped like Azure's\n");
    b.append("[databases]\n* = ").append(settings.get("*")).append("\n\n[pgbouncer]\n");
    settings.forEach(
        (k, v) -> {
          if (!k.equals("*")) {
            b.append(k).append(" = ").append(v).append('\n');
          }
        });
    return b.toString();
  }

  /** Whether a version such as {@code 1.18.0} is at least {@code major.minor}. */
  static boolean atLeast(String version, int major, int minor) {
    Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
    if (!m.find()) {
      return false;
    }
    int ma = Integer.parseInt(m.group(1));
    int mi = Integer.parseInt(m.group(2));
    return ma > major || ma == major && mi >= minor;
  }

  /**
   * The {@code pgbouncer} executable: the system property {@value #EXECUTABLE_PROPERTY}, else the
   * first on {@code PATH}, {@code /usr/sbin} or {@code /usr/local/sbin}.
   *
   * @return its path
   * @throws IllegalStateException naming the Debian package if there is none
   */
  public static Path executable() {
    String named = System.getProperty(EXECUTABLE_PROPERTY);
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    String path = System.getenv("PATH");
    String dirs = (path == null ? "" : path) + File.pathSeparator + "/usr/sbin:/usr/local/sbin";
    for (String d : dirs.split(File.pathSeparator)) {
      if (!d.isEmpty()) {
        Path candidate = Path.of(d, "pgbouncer");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "pgbouncer is required by this test and was not found on PATH or in /usr/sbin; install it"
            + " (Debian/Ubuntu package pgbouncer: apt-get install pgbouncer; .ci/run does this"
            + " when it is missing) or name it with -D"
            + EXECUTABLE_PROPERTY);
  }

  /**
   * The version {@code exe --version} prints, e.g. {@code 1.18.0}.
   *
   * @param exe the executable
   * @return the version
   */
  public static String version(Path exe) {
    try {
      Process p = new ProcessBuilder(exe.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      Matcher m = VERSION.matcher(out);
      if (!m.find()) {
        throw new IllegalStateException("Cannot read the version of " + exe + ": " + out.strip());
      }
      return m.group(1) + "." + m.group(2) + "." + (m.group(3) == null ? "0" : m.group(3));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + exe, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted reading the version of " + exe, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(Process p, int port, Path log) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("pgbouncer exited at start: " + tail(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted starting pgbouncer", e);
        }
      }
    }
    throw new IllegalStateException("pgbouncer did not listen on port " + port + ": " + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void stop(Process p) {
    if (p != null && p.isAlive()) {
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The host clients connect to.
   *
   * @return {@code 127.0.0.1}
   */
  public String host() {
    return "127.0.0.1";
  }

  /**
   * The port clients connect to (a free port, not 6432, so that several poolers can run).
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The pooling mode.
   *
   * @return the mode
   */
  public PoolMode poolMode() {
    return mode;
  }

  /**
   * The version of the running pgbouncer, e.g. {@code 1.18.0}.
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * {@code jdbc:postgresql://127.0.0.1:port/database} through the pooler.
   *
   * @param database the database
   * @return the URL
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  /**
   * Logs in through the pooler as {@code user}, with no SSL, no startup {@code options} and no
   * named server-side prepared statements ({@code prepareThreshold=0}).
   *
   * @param database the database
   * @param user the user
   * @param password the password
   * @return an open connection
   * @throws SQLException if the pooler or the server refuses the login
   */
  public Connection connect(String database, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("sslmode", "disable");
    p.setProperty("prepareThreshold", "0");
    p.setProperty("connectTimeout", "20");
    return DriverManager.getConnection(jdbcUrl(database), p);
  }

  /**
   * The pooler's log so far.
   *
   * @return the log lines
   */
  public String log() {
    try {
      return Files.readString(dir.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops the pooler. */
  @Override
  public void close() {
    stop(process);
  }

  @Override
  public String toString() {
    return "PgBouncer " + version + " (" + mode.word() + " pooling) on " + host() + ":" + port;
  }
}
