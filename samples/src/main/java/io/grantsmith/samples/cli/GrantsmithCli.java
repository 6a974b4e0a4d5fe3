package io.grantsmith.samples.cli;

import io.grantsmith.api.AccessNotApprovedException;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.postgres.azure.LeftoverAccessException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code grantsmith} command: print the connector setup SQL, verify the setup, discover, plan,
 * grant, extend, revoke, sweep, rotate the connector's password, and run the demo.
 *
 * <p>Exit codes: {@value #OK} success; {@value #FAILED} another failure (e.g. a verification that
 * found something missing); {@value #BAD_INPUT} bad input (one line names the flag or value);
 * {@value #REFUSED} the server refused (its SQLSTATE is printed); {@value #CANNOT_CONNECT} the
 * server cannot be reached (SQLSTATE class 08); {@value #LEFTOVERS} a managed user holds grants the
 * connector cannot remove; {@value #DRIFT} {@code drift} found differences; {@value #NOT_APPROVED}
 * the access flows of {@code grant --flows} do not approve the request (nothing was changed).
 *
 * <p>The password of {@code --user} is read only from the environment variable {@value
 * #PASSWORD_ENV}; it is never a flag and never printed.
 *
 * <p>Every subcommand that talks to a server also takes {@code --integration FILE}, a JSON object
 * with the keys {@code name}, {@code hostname}, {@code port}, {@code database}, {@code sslMode}
 * (libpq spelling), {@code sslRootCert}, {@code user}, {@code userCleanupAfterDays}, {@code
 * credentialRotationDays}, {@code customAccessDetails} and {@code maxAccessDuration} (ISO-8601);
 * flags given explicitly override it, and a {@code password} key is refused.
 *
 * <p>The connection flags, {@code --output} and {@code --verbose} can also come from environment
 * variables ({@code GRANTSMITH_HOST} for {@code --host}, and so on: the flag's name in capitals); a
 * flag wins over its variable, and a variable over the {@code --integration} file.
 */
@Command(
    name = "grantsmith",
    mixinStandardHelpOptions = true,
    versionProvider = GrantsmithCli.Version.class,
    description = "Just-in-time access to Azure Database for PostgreSQL.",
    subcommands = {
      CommandLine.HelpCommand.class,
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
      FlowsCommand.class,
      DemoCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 other failure, 2 bad input, 3 server refused," + " 4 cannot connect,",
      "  5 a managed user holds grants the connector cannot remove (each listed with the",
      "  statement its grantor must run), 6 drift found (drift), 7 not approved by the",
      "  access flows (grant --flows; nothing changed).",
      "The password of --user comes from the environment variable GRANTSMITH_PASSWORD, or",
      "  from an Azure Key Vault secret (--password-secret keyvault://VAULT/SECRET); with",
      "  --auth entra the connector logs in with Microsoft Entra tokens and needs none.",
      "Every server subcommand takes --integration FILE, one JSON object with keys",
      "  name, hostname, port, database, sslMode, sslRootCert, user,",
      "  userCleanupAfterDays, credentialRotationDays, customAccessDetails,",
      "  maxAccessDuration (ISO-8601), integrationOwners ({\"entra group\": \"dba-team\"}),",
      "  resourceOwners ({\"owner\": \"entra user\"}) and resourceTags",
      "  ({\"orders/sales/*\": {\"owner\": \"bob@example.com\"}}, for grant --flows), e.g.",
      "  {\"hostname\": \"db.example.com\", \"user\": \"grantsmith_connector\",",
      "   \"sslMode\": \"verify-full\", \"maxAccessDuration\": \"PT8H\"}",
      "Flags given explicitly override the file; a \"password\" key is refused.",
      "Environment: GRANTSMITH_HOST, GRANTSMITH_PORT, GRANTSMITH_DATABASE, GRANTSMITH_SSLMODE,",
      "  GRANTSMITH_USER, GRANTSMITH_INTEGRATION_NAME, GRANTSMITH_INTEGRATION (the file),",
      "  GRANTSMITH_OUTPUT, GRANTSMITH_VERBOSE (true), GRANTSMITH_AUTH,",
      "  GRANTSMITH_ENTRA_CLIENT_ID and GRANTSMITH_PASSWORD_SECRET stand for their flags; a flag wins, and",
      "  a variable wins over the --integration file.",
      "Audit: grant, extend, revoke, sweep and rotate-connector-password take --audit-log FILE",
      "  (JSON Lines) and --audit-webhook URL (signed with the secret in",
      "  GRANTSMITH_AUDIT_WEBHOOK_SECRET); 'grantsmith flows check FILE' checks a flows file.",
      "Shell completion: source bin/grantsmith_completion, or",
      "  source <(grantsmith generate-completion)."
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

  /**
   * Exit code: the access flows ({@code grant --flows}) do not approve the request; nothing was
   * changed on the server.
   */
  public static final int NOT_APPROVED = 7;

  /** The environment variable that holds the password of {@code --user}. */
  public static final String PASSWORD_ENV = "GRANTSMITH_PASSWORD";

  /**
   * The flags whose value can also come from an environment variable (see {@link #envVariable}).
   */
  static final Set<String> ENV_FLAGS =
      Set.of(
          "--integration",
          "--host",
          "--port",
          "--database",
          "--sslmode",
          "--user",
          "--integration-name",
          "--output",
          "--verbose",
          "--auth",
          "--entra-client-id",
          "--password-secret");

  final Map<String, String> env;
  final PrintWriter out;
  final PrintWriter err;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On a failure, also print its stack trace (GRANTSMITH_VERBOSE=true).")
  boolean verbose;

  /** The server a subcommand connects to ({@code host:port}), once it is known; for messages. */
  String endpoint;

  private GrantsmithCli(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** For tools that build the command from its class, such as the completion script generator. */
  private GrantsmithCli() {
    this(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
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
    cmd.setDefaultValueProvider(new EnvDefaults(env));
    cmd.setParameterExceptionHandler(
        (e, a) -> {
          String line = e.getMessage().lines().findFirst().orElse("bad input");
          if (e instanceof UnmatchedArgumentException) {
            List<String> suggestions = ((UnmatchedArgumentException) e).getSuggestions();
            if (!suggestions.isEmpty()) {
              line +=
                  " (did you mean "
                      + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
                      + "?)";
            }
          }
          String variable = fromEnvironment(e.getArgSpec(), env, a);
          if (variable != null) {
            line += " (from the environment variable " + variable + ")";
          }
          err.println("grantsmith: " + line);
          return BAD_INPUT;
        });
    cmd.setExecutionExceptionHandler(
        (e, c, parsed) -> {
          int code = report(e, cli.endpoint, err);
          if (cli.verbose && code != BAD_INPUT) {
            e.printStackTrace(err);
          }
          return code;
        });
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
    return report(e, null, err);
  }

  /**
   * Prints one line about a failure and returns its exit code; a connection failure names the
   * server and the root cause (an unknown host, a refused connection, a timeout).
   *
   * @param e the failure
   * @param endpoint {@code host:port} of the server, or null if not known
   * @param err where to print
   * @return the exit code
   */
  static int report(Throwable e, String endpoint, PrintWriter err) {
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
    if (e instanceof AccessNotApprovedException) {
      // The decision: each missing approval with its eligible approvers, or each denial's reason.
      err.println("grantsmith: not approved, nothing changed: " + e.getMessage());
      return NOT_APPROVED;
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
      String cause = rootCause(e);
      err.println(
          "grantsmith: cannot connect"
              + (endpoint != null ? " to " + endpoint : "")
              + (state != null ? " (SQLSTATE " + state + ")" : "")
              + ": "
              + (cause != null ? message.replaceFirst("\\.$", "") + "; cause: " + cause : message));
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

  /**
   * The innermost cause of a failure in a few words, e.g. {@code unknown host db.example.invalid}
   * or {@code ConnectException: Connection refused}.
   *
   * @param e the failure
   * @return the description, or null if {@code e} has no cause
   */
  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root == e) {
      return null;
    }
    String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    if (root instanceof UnknownHostException) {
      return "unknown host " + message;
    }
    return root.getClass().getSimpleName() + ": " + message;
  }

  /**
   * {@code host:port} for messages; an IPv6 address in brackets.
   *
   * @param host the host name or address
   * @param port the port
   * @return e.g. {@code db.example.com:5432}
   */
  static String endpoint(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * The environment variable that stands for a flag: {@code GRANTSMITH_} and the flag's name in
   * capitals with {@code -} as {@code _}, e.g. {@code GRANTSMITH_INTEGRATION_NAME} for {@code
   * --integration-name}.
   *
   * @param flag the flag, e.g. {@code --host}
   * @return the variable's name, or null if the flag has none (the password is never a flag)
   */
  static String envVariable(String flag) {
    if (!ENV_FLAGS.contains(flag)) {
      return null;
    }
    return "GRANTSMITH_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * The environment variable that gave an option its value, for messages about a bad value.
   *
   * @param arg the option, or null
   * @param env the environment
   * @param args the command line
   * @return the variable's name, or null if the value came from the command line or elsewhere
   */
  static String fromEnvironment(ArgSpec arg, Map<String, String> env, String[] args) {
    if (!(arg instanceof OptionSpec)) {
      return null;
    }
    OptionSpec option = (OptionSpec) arg;
    String variable = envVariable(option.longestName());
    if (variable == null || env.get(variable) == null || env.get(variable).isEmpty()) {
      return null;
    }
    for (String given : args) {
      for (String name : option.names()) {
        if (given.equals(name) || given.startsWith(name + "=")) {
          return null;
        }
      }
    }
    return variable;
  }

  /** Defaults from the environment: a flag's variable, when set and not empty. */
  static final class EnvDefaults implements IDefaultValueProvider {
    private final Map<String, String> env;

    EnvDefaults(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec)) {
        return null;
      }
      String variable = envVariable(((OptionSpec) arg).longestName());
      String value = variable == null ? null : env.get(variable);
      return value == null || value.isEmpty() ? null : value;
    }
  }

  /**
   * The version of this build, from {@code version.properties}, which the build fills in.
   *
   * @return e.g. {@code 0.1.0}
   */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = GrantsmithCli.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("version", "");
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }

  /** {@code --version}: the version of the build. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"grantsmith " + version()};
    }
  }

  private static String flagFor(String field) {
    if (field == null) {
      return null;
    }
    if (field.startsWith("--")) {
      return field;
    }
    switch (field) {
      case "EntraAuth.clientId":
        return "--entra-client-id";
      case "EntraAuth.tokenCredentialProviderClassName":
        return "--entra-token-provider";
      case "SecretRef":
      case "SecretRef.location":
      case "SecretRef.secretName":
        return "--password-secret";
      case "AccessRequest.grantee":
      case "EntraPrincipal.roleName":
        return "--grantee";
      case "EntraPrincipal.type":
        return "--entra-principal";
      case "EntraPrincipal.objectId":
        return "--entra-object-id";
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
