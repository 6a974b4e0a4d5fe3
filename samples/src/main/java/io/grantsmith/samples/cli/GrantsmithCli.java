package io.grantsmith.samples.cli;

import io.grantsmith.api.ApplyException;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.postgres.azure.LeftoverAccessException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code grantsmith} command: print the connector setup SQL, verify the setup, discover, plan,
 * grant, extend, revoke, sweep, rotate the connector's password, and run the demo.
 *
 * <p>Exit codes: {@value #OK} success; {@value #FAILED} another failure (e.g. a verification that
 * found something missing); {@value #BAD_INPUT} bad input (one line names the flag or value);
 * {@value #REFUSED} the server refused (its SQLSTATE is printed); {@value #CANNOT_CONNECT} the
 * server cannot be reached (SQLSTATE class 08).
 *
 * <p>The password of {@code --user} is read only from the environment variable {@value
 * #PASSWORD_ENV}; it is never a flag and never printed.
 *
 * <p>Every subcommand that talks to a server also takes {@code --integration FILE}, a JSON object
 * with the keys {@code name}, {@code hostname}, {@code port}, {@code database}, {@code sslMode}
 * (libpq spelling), {@code sslRootCert}, {@code user}, {@code userCleanupAfterDays}, {@code
 * credentialRotationDays}, {@code customAccessDetails} and {@code maxAccessDuration} (ISO-8601);
 * flags given explicitly override it, and a {@code password} key is refused.
 */
@Command(
    name = "grantsmith",
    mixinStandardHelpOptions = true,
    version = "grantsmith 0.1.0-SNAPSHOT",
    description = "Just-in-time access to Azure Database for PostgreSQL.",
    subcommands = {
      Commands.SetupSql.class,
      Commands.VerifySetup.class,
      Commands.Discover.class,
      Commands.PlanCmd.class,
      Commands.GrantCmd.class,
      Commands.Extend.class,
      Commands.Revoke.class,
      Commands.Sweep.class,
      Commands.DriftCmd.class,
      Commands.RotateConnectorPassword.class,
      DemoCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 other failure, 2 bad input, 3 server refused," + " 4 cannot connect,",
      "  5 a managed user holds grants the connector cannot remove (each listed with the",
      "  statement its grantor must run), 6 drift found (drift).",
      "The password of --user comes from the environment variable GRANTSMITH_PASSWORD.",
      "Every server subcommand takes --integration FILE, one JSON object with keys",
      "  name, hostname, port, database, sslMode, sslRootCert, user,",
      "  userCleanupAfterDays, credentialRotationDays, customAccessDetails,",
      "  maxAccessDuration (ISO-8601), e.g.",
      "  {\"hostname\": \"db.example.com\", \"user\": \"grantsmith_connector\",",
      "   \"sslMode\": \"verify-full\", \"maxAccessDuration\": \"PT8H\"}",
      "Flags given explicitly override the file; a \"password\" key is refused."
    })
public final class GrantsmithCli implements Runnable {
  /** Exit code: success. */
  public static final int OK = 0;

  /** Exit code: another failure. */
  public static final int FAILED = 1;

  /** Exit code: bad input. */
  public static final int BAD_INPUT = 2;

  /** Exit code: the server refused. */
  public static final int REFUSED = 3;

  /** Exit code: the server cannot be reached. */
  public static final int CANNOT_CONNECT = 4;

  /** Exit code: a managed user holds grants the connector cannot remove. */
  public static final int LEFTOVERS = 5;

  /** Exit code: {@code drift} found differences. */
  public static final int DRIFT = 6;

  /** The environment variable that holds the password of {@code --user}. */
  public static final String PASSWORD_ENV = "GRANTSMITH_PASSWORD";

  final Map<String, String> env;
  final PrintWriter out;
  final PrintWriter err;

  private GrantsmithCli(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the tool and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(System.getenv(), out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the tool in-process, as {@link #main} does but without exiting.
   *
   * @param env the environment (for {@value #PASSWORD_ENV})
   * @param out standard output
   * @param err standard error
   * @param args the command line
   * @return the exit code
   */
  public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    GrantsmithCli cli = new GrantsmithCli(env, out, err);
    CommandLine cmd = new CommandLine(cli);
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler(
        (e, a) -> {
          err.println("grantsmith: " + e.getMessage().lines().findFirst().orElse("bad input"));
          return BAD_INPUT;
        });
    cmd.setExecutionExceptionHandler((e, c, parsed) -> report(e, err));
    try {
      return cmd.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a subcommand is required (try --help)");
  }

  /**
   * Prints one line about a failure and returns its exit code.
   *
   * @param e the failure
   * @param err where to print
   * @return the exit code
   */
  static int report(Throwable e, PrintWriter err) {
    if (e instanceof UsageException) {
      err.println("grantsmith: " + e.getMessage());
      return BAD_INPUT;
    }
    if (e instanceof InvalidValueException) {
      InvalidValueException iv = (InvalidValueException) e;
      String flag = flagFor(iv.field());
      err.println(
          "grantsmith: invalid " + (flag != null ? flag + ": " : "value: ") + iv.getMessage());
      return BAD_INPUT;
    }
    if (e instanceof LeftoverAccessException) {
      // Every line: each leftover with the statement its grantor must run.
      err.println("grantsmith: " + e.getMessage());
      return LEFTOVERS;
    }
    String state = sqlState(e);
    boolean connection =
        e instanceof ApplyException && ((ApplyException) e).isConnectionFailure()
            || state != null && state.startsWith("08");
    String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    if (connection) {
      err.println("grantsmith: cannot connect (SQLSTATE " + state + "): " + message);
      return CANNOT_CONNECT;
    }
    if (state != null) {
      err.println("grantsmith: the server refused (SQLSTATE " + state + "): " + message);
      return REFUSED;
    }
    err.println("grantsmith: " + e.getClass().getSimpleName() + ": " + message);
    return FAILED;
  }

  /**
   * The SQLSTATE of a failure: an {@link ApplyException}'s, or that of the first {@link
   * SQLException} among its causes.
   *
   * @param e the failure
   * @return the SQLSTATE, or null
   */
  static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplyException && ((ApplyException) t).sqlState().isPresent()) {
        return ((ApplyException) t).sqlState().get();
      }
      if (t instanceof SQLException && ((SQLException) t).getSQLState() != null) {
        return ((SQLException) t).getSQLState();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String flagFor(String field) {
    if (field == null) {
      return null;
    }
    if (field.startsWith("--")) {
      return field;
    }
    switch (field) {
      case "AccessRequest.grantee":
        return "--grantee";
      case "AccessRequest.requestId":
        return "--request-id";
      case "AccessRequest.duration":
        return "--duration";
      case "AccessRequest.cleanupAfterDays":
        return "--cleanup-after-days";
      case "AccessRequest.resources":
        return "--resource";
      case "AccessRequest.level":
        return "--level";
      case "Integration.hostname":
        return "--host";
      case "Integration.port":
        return "--port";
      case "Integration.database":
        return "--database";
      case "Integration.name":
        return "--integration-name";
      case "Credentials.username":
        return "--user";
      case "ConnectorSetup.connectorName":
        return "--connector-user";
      case "ConnectorSetup.majorVersion":
        return "--server-version";
      default:
        return field.startsWith("ResourceRef") || field.startsWith("Identifiers")
            ? "--resource"
            : null;
    }
  }

  /** Bad input found by the CLI itself; exit code {@value GrantsmithCli#BAD_INPUT}. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
