package io.grantsmith.samples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SecretStore;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.Conventions;
import io.grantsmith.postgres.azure.DiscoveredDatabase;
import io.grantsmith.postgres.azure.DiscoveredObject;
import io.grantsmith.postgres.azure.DiscoveredRole;
import io.grantsmith.postgres.azure.DiscoveredServer;
import io.grantsmith.postgres.azure.Discovery;
import io.grantsmith.postgres.azure.Drift;
import io.grantsmith.postgres.azure.DriftReport;
import io.grantsmith.postgres.azure.SetupVerification;
import io.grantsmith.postgres.azure.SweepResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** The subcommands of {@link GrantsmithCli}. */
final class Commands {
  private Commands() {}

  // ------------------------------------------------------------------ converters

  static final class LevelConverter implements ITypeConverter<AccessLevel> {
    @Override
    public AccessLevel convert(String value) {
      try {
        return AccessLevel.parse(value);
      } catch (RuntimeException e) {
        throw new TypeConversionException("'" + value + "' is not read-only, read-write or admin");
      }
    }
  }

  static final class SslModeConverter implements ITypeConverter<SslMode> {
    @Override
    public SslMode convert(String value) {
      try {
        return SslMode.parse(value);
      } catch (RuntimeException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not disable, allow, prefer,"
                + " require, verify-ca or verify-full");
      }
    }
  }

  static final class ResourceConverter implements ITypeConverter<ResourceRef> {
    @Override
    public ResourceRef convert(String value) {
      try {
        return Resources.parse(value);
      } catch (InvalidValueException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** ISO-8601 ({@code PT2H}) or a short form: {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.startsWith("p")) {
          return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        if (v.length() > 1) {
          long n = Long.parseLong(v.substring(0, v.length() - 1));
          switch (v.charAt(v.length() - 1)) {
            case 's':
              return Duration.ofSeconds(n);
            case 'm':
              return Duration.ofMinutes(n);
            case 'h':
              return Duration.ofHours(n);
            case 'd':
              return Duration.ofDays(n);
            default:
              break;
          }
        }
      } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
        // fall through
      }
      throw new TypeConversionException(
          "'" + value + "' is not a duration such as PT2H," + " 15m or 2h");
    }
  }

  // ------------------------------------------------------------------ shared options

  /**
   * How to reach the server and as whom: the connection flags, each of which overrides the same
   * setting of {@code --integration FILE}.
   */
  static final class ConnectionOptions {
    @Option(
        names = "--integration",
        paramLabel = "FILE",
        description =
            "JSON file with the integration's settings; keys: name, hostname, port,"
                + " database, sslMode (libpq spelling), sslRootCert, user, userCleanupAfterDays,"
                + " credentialRotationDays, customAccessDetails, maxAccessDuration (ISO-8601, e.g."
                + " PT8H), integrationOwners, resourceOwners, resourceTags. Flags given override"
                + " it; a password key is refused."
                + " Env: GRANTSMITH_INTEGRATION.")
    Path integrationFile;

    @Option(
        names = "--host",
        description =
            "Server host name (required unless \"hostname\" is in --integration)."
                + " Env: GRANTSMITH_HOST.")
    String host;

    @Option(names = "--port", description = "Port (default 5432). Env: GRANTSMITH_PORT.")
    Integer port;

    @Option(
        names = "--database",
        description = "Database to connect to first (default postgres). Env: GRANTSMITH_DATABASE.")
    String database;

    @Option(
        names = "--sslmode",
        converter = SslModeConverter.class,
        description =
            "disable|allow|prefer|require|verify-ca|verify-full (default require)."
                + " Env: GRANTSMITH_SSLMODE.")
    SslMode sslMode;

    @Option(
        names = "--user",
        description =
            "Who logs in (the connector; required unless"
                + " \"user\" is in --integration); password from GRANTSMITH_PASSWORD."
                + " Env: GRANTSMITH_USER.")
    String user;

    @Option(
        names = "--integration-name",
        description =
            "The integration's name; part of managed user names (default grantsmith)."
                + " Env: GRANTSMITH_INTEGRATION_NAME.")
    String name;

    @Mixin AuthOptions auth;

    private Integration integration;
    private String resolvedUser;
    private IntegrationFile file = IntegrationFile.NONE;

    /**
     * The integration: the flags over the file over the defaults.
     *
     * @return the integration, built once
     * @throws GrantsmithCli.UsageException if the file is unusable or host/user are missing
     * @throws InvalidValueException if a flag's value breaks the SDK's rules
     */
    Integration integration() {
      if (integration == null) {
        resolve();
      }
      return integration;
    }

    /**
     * The connector's user name: {@code --user}, or {@code user} in the file.
     *
     * @return the user name
     */
    String user() {
      if (integration == null) {
        resolve();
      }
      return resolvedUser;
    }

    private void resolve() {
      IntegrationFile f =
          integrationFile == null ? IntegrationFile.NONE : IntegrationFile.read(integrationFile);
      file = f;
      String h = host != null ? host : f.hostname;
      if (h == null) {
        throw new GrantsmithCli.UsageException(
            "missing --host (or GRANTSMITH_HOST, or \"hostname\" in --integration FILE)");
      }
      String u = user != null ? user : f.user;
      if (u == null) {
        throw new GrantsmithCli.UsageException(
            "missing --user (or GRANTSMITH_USER, or \"user\" in --integration FILE)");
      }
      Integration.Builder b =
          Integration.builder()
              .name(name != null ? name : f.name != null ? f.name : "grantsmith")
              .hostname(h)
              .port(port != null ? port : f.port != null ? f.port : 5432)
              .database(database != null ? database : f.database != null ? f.database : "postgres")
              .sslMode(sslMode != null ? sslMode : f.sslMode != null ? f.sslMode : SslMode.REQUIRE);
      if (f.sslRootCert != null) {
        b.sslRootCert(f.sslRootCert);
      }
      if (f.userCleanupAfterDays != null) {
        b.userCleanupAfterDays(f.userCleanupAfterDays);
      }
      if (f.credentialRotationDays != null) {
        b.credentialRotationDays(f.credentialRotationDays);
      }
      if (f.customAccessDetails != null) {
        b.customAccessDetails(f.customAccessDetails);
      }
      if (f.maxAccessDuration != null) {
        b.maxAccessDuration(f.maxAccessDuration);
      }
      if (f.integrationOwners != null) {
        f.integrationOwners.forEach(
            (type, values) ->
                b.addIntegrationOwner(
                    io.grantsmith.api.IntegrationOwner.of(
                        type,
                        java.util.Arrays.stream(values.split(","))
                            .map(String::strip)
                            .toArray(String[]::new))));
      }
      if (f.resourceOwners != null) {
        f.resourceOwners.forEach(
            (tag, type) -> b.addResourceOwner(io.grantsmith.api.ResourceOwner.of(tag, type)));
      }
      Integration built;
      try {
        built = b.build();
      } catch (InvalidValueException e) {
        String key =
            e.field().startsWith("Integration.")
                ? e.field().substring("Integration.".length())
                : null;
        if (key != null && f.has(key) && !flagGiven(key)) {
          throw f.invalid(key, e);
        }
        throw e;
      }
      try {
        Credentials.of(u, Secret.of("x"));
      } catch (InvalidValueException e) {
        if (user == null) {
          throw f.invalid("user", e);
        }
        throw e;
      }
      resolvedUser = u;
      integration = built;
    }

    private boolean flagGiven(String key) {
      switch (key) {
        case "name":
          return name != null;
        case "hostname":
          return host != null;
        case "port":
          return port != null;
        case "database":
          return database != null;
        case "sslMode":
          return sslMode != null;
        case "user":
          return user != null;
        default:
          return false;
      }
    }

    Credentials credentials(GrantsmithCli cli) {
      auth.check();
      if (auth.entra()) {
        throw new GrantsmithCli.UsageException(
            "--auth entra: the connector " + user() + " has no password");
      }
      if (auth.secretRef() != null) {
        return auth.loadFromVault(user());
      }
      String pw = cli.env.get(GrantsmithCli.PASSWORD_ENV);
      if (pw == null || pw.isEmpty()) {
        throw new GrantsmithCli.UsageException(
            "the environment variable "
                + GrantsmithCli.PASSWORD_ENV
                + " must hold the password of --user "
                + user());
      }
      return Credentials.of(user(), Secret.of(pw));
    }

    ConnectionSource source(GrantsmithCli cli) {
      cli.endpoint = GrantsmithCli.endpoint(integration().hostname(), integration().port());
      auth.check();
      if (auth.entra()) {
        return auth.entraConnections(integration(), user());
      }
      return ConnectionSource.of(integration(), credentials(cli));
    }

    AccessManager manager(GrantsmithCli cli) {
      return builder(cli).build();
    }

    /** A manager that publishes its audit events to the sink of {@code audit}'s flags. */
    AccessManager manager(GrantsmithCli cli, AuditOptions audit) {
      AccessManager.Builder b = builder(cli);
      io.grantsmith.api.AuditSink sink = audit.sink(cli);
      if (sink != null) {
        b.auditSink(sink);
      }
      return b.build();
    }

    AccessManager.Builder builder(GrantsmithCli cli) {
      cli.endpoint = GrantsmithCli.endpoint(integration().hostname(), integration().port());
      auth.check();
      if (auth.entra()) {
        return AccessManager.builder()
            .integration(integration())
            .connector(user())
            .connections(ConnectionSource.pooled(auth.entraConnections(integration(), user())));
      }
      return AccessManager.builder().integration(integration()).credentials(credentials(cli));
    }

    /**
     * The resource tags of the {@code --integration} file, by resource pattern.
     *
     * @return the tags, or null if the file has none
     */
    java.util.Map<String, java.util.Map<String, String>> resourceTags() {
      if (integration == null) {
        resolve();
      }
      return file.resourceTags;
    }

    int majorVersion(GrantsmithCli cli) throws SQLException {
      try (Connection c = source(cli).open(integration().database())) {
        return c.getMetaData().getDatabaseMajorVersion();
      }
    }
  }

  /** {@code --output text|json}. */
  static final class OutputOptions {
    @Option(
        names = "--output",
        defaultValue = "text",
        description = "text or json (one JSON object on stdout). Env: GRANTSMITH_OUTPUT.")
    String output;

    boolean json() {
      if (!output.equals("json") && !output.equals("text")) {
        throw new GrantsmithCli.UsageException(
            "invalid --output: must be text or json, but was '" + output + "'");
      }
      return output.equals("json");
    }
  }

  /** The access request flags of {@code plan} and {@code grant}. */
  static final class RequestOptions {
    @Option(
        names = "--grantee",
        required = true,
        paramLabel = "EMAIL",
        description =
            "Who gets access, e.g. alice@example.com; with --entra-principal the principal's"
                + " role name (a UPN, a group's or an application's name).")
    String grantee;

    @Option(
        names = "--entra-principal",
        paramLabel = "user|group|service",
        description =
            "The grantee is a Microsoft Entra principal of this type, with --entra-object-id: its"
                + " role (created if missing, by an Entra administrator connector) gets the access"
                + " through a lease role; it logs in with Entra tokens and gets no password.")
    String entraPrincipal;

    @Option(
        names = "--entra-object-id",
        paramLabel = "UUID",
        description = "The Entra principal's object id (with --entra-principal).")
    String entraObjectId;

    @Option(
        names = "--entra-mfa",
        description =
            "A role created for the Entra principal requires the token's mfa claim (isMfa).")
    boolean entraMfa;

    @Option(
        names = "--level",
        defaultValue = "read-only",
        converter = LevelConverter.class,
        description = "read-only|read-write|admin (default read-only).")
    AccessLevel level;

    @Option(
        names = "--resource",
        required = true,
        converter = ResourceConverter.class,
        paramLabel = "RESOURCE",
        description =
            "Repeatable: DB, DB/SCHEMA, DB/SCHEMA/TABLE or role:NAME; write a / inside"
                + " a name as \\/ and a backslash as \\\\.")
    List<ResourceRef> resources = new ArrayList<>();

    @Option(
        names = "--duration",
        defaultValue = "PT1H",
        converter = DurationConverter.class,
        description = "How long, e.g. PT2H or 15m (default PT1H).")
    Duration duration;

    @Option(
        names = "--cleanup-after-days",
        paramLabel = "N",
        description = "Drop the user N days after revocation (0: at once).")
    Integer cleanupAfterDays;

    @Option(names = "--request-id", description = "The request's id (default: a random UUID).")
    String requestId;

    AccessRequest request(Integration integration) {
      if (cleanupAfterDays != null && cleanupAfterDays < 0) {
        throw new GrantsmithCli.UsageException(
            "invalid --cleanup-after-days: must be 0 or more," + " but was " + cleanupAfterDays);
      }
      AccessRequest.Builder b =
          AccessRequest.builder()
              .requestId(requestId != null ? requestId : UUID.randomUUID().toString())
              .grantee(grantee)
              .integration(integration)
              .addAllResources(resources)
              .level(level)
              .duration(duration);
      if (cleanupAfterDays != null) {
        b.cleanupAfterDays(cleanupAfterDays);
      }
      EntraPrincipal principal = principal();
      if (principal != null) {
        b.entraPrincipal(principal);
      }
      return b.build();
    }

    /** The Entra principal the flags name, or null. */
    EntraPrincipal principal() {
      if (entraPrincipal == null && entraObjectId == null && !entraMfa) {
        return null;
      }
      if (entraPrincipal == null) {
        throw new GrantsmithCli.UsageException(
            "missing --entra-principal user|group|service (--entra-object-id and --entra-mfa"
                + " need it)");
      }
      EntraPrincipal.Type type = EntraPrincipal.Type.parse(entraPrincipal);
      if (entraObjectId == null) {
        throw new GrantsmithCli.UsageException(
            "missing --entra-object-id UUID (--entra-principal needs it)");
      }
      return EntraPrincipal.builder()
          .type(type)
          .objectId(entraObjectId)
          .roleName(grantee)
          .mfa(entraMfa)
          .build();
    }
  }

  /** {@code --username} or {@code --request-id}. */
  static final class Target {
    @Option(
        names = "--username",
        required = true,
        description = "The managed user's name, or an Entra principal's role name.")
    String username;

    @Option(names = "--request-id", required = true, description = "A request id it served.")
    String requestId;

    String value() {
      return username != null ? username : requestId;
    }
  }

  /** Base of the subcommands. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand GrantsmithCli cli;

    PrintWriter out() {
      return cli.out;
    }

    void progress(String line) {
      cli.err.println(line);
      cli.err.flush();
    }
  }

  // ------------------------------------------------------------------ setup-sql

  @Command(
      name = "setup-sql",
      mixinStandardHelpOptions = true,
      description = {
        "Print the one-time connector setup SQL (a psql script for the server"
            + " admin). Needs no server.",
        "With --database: only the setup of databases created after the connector setup;"
            + " the connector is left as it is."
      })
  static final class SetupSql extends Base {
    @Option(
        names = "--connector-user",
        defaultValue = ConnectorSetup.DEFAULT_CONNECTOR_NAME,
        description = "The connector's role name (default grantsmith_connector).")
    String connector;

    @Option(
        names = "--server-version",
        defaultValue = "17",
        paramLabel = "N",
        description = "PostgreSQL major version of the server (default 17).")
    int version;

    @Option(
        names = "--for-database",
        paramLabel = "DB",
        description =
            "Repeatable: render for these databases instead of a script that finds"
                + " them itself.")
    List<String> databases = new ArrayList<>();

    @Option(
        names = "--database",
        paramLabel = "NAME",
        description =
            "Repeatable: print only the setup of this database (created after the"
                + " connector setup): its grants to azure_pg_admin WITH GRANT OPTION, its schemas"
                + " and objects, default privileges. Does not touch the connector.")
    List<String> late = new ArrayList<>();

    @Option(
        names = "--auth",
        paramLabel = "password|entra",
        converter = AuthOptions.ModeConverter.class,
        description =
            "password (default): create the connector with a password; entra: the connector is"
                + " a Microsoft Entra administrator (added in the portal or through ARM first),"
                + " the script grants it the rest and sets no password.")
    AuthOptions.Mode auth;

    @Override
    public Integer call() {
      if (auth == AuthOptions.Mode.ENTRA) {
        if (!late.isEmpty()) {
          throw new GrantsmithCli.UsageException(
              "--database needs no --auth: it does not touch the connector");
        }
        ConnectorSetup setup =
            ConnectorSetup.builder().connectorName(connector).majorVersion(version).build();
        out()
            .print(
                databases.isEmpty()
                    ? setup.scriptForEntraAdministrator()
                    : setup.scriptForEntraAdministrator(databases));
        out().flush();
        return GrantsmithCli.OK;
      }
      if (!late.isEmpty() && !databases.isEmpty()) {
        throw new GrantsmithCli.UsageException(
            "--database and --for-database exclude each"
                + " other: --database sets up databases created after the connector setup,"
                + " --for-database renders the whole setup");
      }
      ConnectorSetup setup =
          ConnectorSetup.builder().connectorName(connector).majorVersion(version).build();
      out()
          .print(
              !late.isEmpty()
                  ? setup.scriptFor(late)
                  : databases.isEmpty() ? setup.script() : setup.script(databases));
      out().flush();
      return GrantsmithCli.OK;
    }
  }

  // ------------------------------------------------------------------ verify-setup

  @Command(
      name = "verify-setup",
      mixinStandardHelpOptions = true,
      description = {
        "Check, logged in as the connector (--user), that the setup is complete.",
        "For each gap it prints the fix, marked (as the connector) or (as an Azure"
            + " administrator) when the server admin is not the one to run it; then the server"
            + " admin's fixes as one psql script, and the connector's own.",
        "On PostgreSQL 16+ it checks createrole_self_grant in the connector's session; with"
            + " --auth entra also that the connector is a Microsoft Entra administrator."
      })
  static final class VerifySetup extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin OutputOptions output;

    @Override
    public Integer call() throws SQLException {
      boolean json = output.json();
      int major = conn.majorVersion(cli);
      progress("Verifying the setup of " + conn.user() + " on every database it can see...");
      ConnectorSetup setup =
          ConnectorSetup.builder().connectorName(conn.user()).majorVersion(major).build();
      SetupVerification v = setup.verify(conn.source(cli));
      if (json) {
        List<ObjectNode> fixes = new ArrayList<>();
        for (SetupVerification.Fix f : v.fixes()) {
          fixes.add(
              Json.object()
                  .put("missing", f.missing())
                  .put("description", f.description())
                  .put("sql", f.sql())
                  .put("runAs", runAs(f)));
        }
        out()
            .println(
                Json.write(
                    Json.object()
                        .put("connector", v.connector())
                        .put("ok", v.isOk())
                        .putPOJO("checkedDatabases", v.checkedDatabases())
                        .putPOJO("missing", v.missing())
                        .putPOJO("fixes", fixes)
                        .put("fixSql", v.fixScript())
                        .put("connectorFixSql", v.connectorFixScript())));
      } else {
        out()
            .println(
                v.isOk()
                    ? "Setup OK for " + v.connector() + " in " + v.checkedDatabases()
                    : "Setup incomplete for " + v.connector() + ":");
        for (String m : v.missing()) {
          out().println("  missing: " + m);
          v.fixes().stream()
              .filter(f -> f.missing().equals(m))
              .findFirst()
              .ifPresent(f -> out().println("    " + fixLine(f, setup.database())));
        }
        if (!v.fixPlan().isEmpty()) {
          out().println();
          out()
              .println(
                  "To close these gaps, run this as the server admin, e.g. psql"
                      + " \"host="
                      + conn.integration().hostname()
                      + " dbname="
                      + setup.database()
                      + " user=ADMIN\" -f fix.sql:");
          out().print(v.fixScript());
        }
        if (!v.connectorFixPlan().isEmpty()) {
          out().println();
          out()
              .println(
                  "Then run this logged in as the connector "
                      + v.connector()
                      + " itself (the server admin cannot; with --auth entra, its token is the"
                      + " password), e.g. psql \"host="
                      + conn.integration().hostname()
                      + " dbname="
                      + setup.database()
                      + " user="
                      + conninfoValue(v.connector())
                      + "\" -f fix-connector.sql:");
          out().print(v.connectorFixScript());
        }
      }
      return v.isOk() ? GrantsmithCli.OK : GrantsmithCli.FAILED;
    }

    /**
     * Who runs a fix, for JSON: {@code server-admin}, {@code connector} or {@code
     * azure-administrator}.
     */
    private static String runAs(SetupVerification.Fix f) {
      return f.runAs().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** A libpq connection string value, quoted when it needs to be. */
    private static String conninfoValue(String value) {
      return value.matches("[A-Za-z0-9_.@-]+")
          ? value
          : "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /**
     * {@code fix: } and a one-statement fix as its SQL, a longer one as what it does; marked {@code
     * fix (as the connector): } or {@code fix (as an Azure administrator): } when the server admin
     * is not the one to run it.
     */
    private static String fixLine(SetupVerification.Fix f, String adminDatabase) {
      return (f.runAs() == SetupVerification.Fix.RunAs.SERVER_ADMIN
              ? "fix: "
              : "fix (" + f.runAs().label() + "): ")
          + fixText(f, adminDatabase);
    }

    private static String fixText(SetupVerification.Fix f, String adminDatabase) {
      List<io.grantsmith.api.Statement> statements = f.plan().statements();
      if (statements.isEmpty()) {
        return f.description();
      }
      if (statements.size() == 1 && !statements.get(0).redacted().contains("\n")) {
        io.grantsmith.api.Statement st = statements.get(0);
        return (st.database().equals(adminDatabase) ? "" : "(in database " + st.database() + ") ")
            + st.redacted()
            + ";";
      }
      return f.description() + ", in the script below";
    }
  }

  // ------------------------------------------------------------------ discover

  @Command(
      name = "discover",
      mixinStandardHelpOptions = true,
      description = "List the databases, schemas, objects and roles the connector can manage.")
  static final class Discover extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      boolean json = output.json();
      progress(
          "Discovering "
              + conn.integration().hostname()
              + ":"
              + conn.integration().port()
              + " (one connection per database)...");
      DiscoveredServer s = Discovery.of(conn.integration(), conn.source(cli)).discover();
      if (json) {
        out().println(discoveryJson(s));
      } else {
        out().print(discoveryText(s));
      }
      return GrantsmithCli.OK;
    }
  }

  static String discoveryText(DiscoveredServer s) {
    StringBuilder b = new StringBuilder("PostgreSQL " + s.majorVersion() + "\n");
    for (DiscoveredDatabase d : s.databases()) {
      b.append("database ").append(d.name()).append(" (owner ").append(d.owner()).append(")\n");
      for (String schema : d.schemas()) {
        b.append("  schema ").append(schema).append('\n');
        for (DiscoveredObject o : d.objects()) {
          if (o.ref().schema().orElse("").equals(schema)
              && o.ref().kind() != io.grantsmith.api.ResourceKind.SCHEMA) {
            b.append("    ")
                .append(o.kind().name().toLowerCase(Locale.ROOT))
                .append(' ')
                .append(o.ref().name().orElse(""))
                .append(o.ref().arguments().map(a -> "(" + a + ")").orElse(""))
                .append('\n');
          }
        }
      }
    }
    for (String skipped : s.skippedDatabases()) {
      b.append("skipped database ").append(skipped).append('\n');
    }
    b.append("roles:");
    for (DiscoveredRole r : s.roles()) {
      b.append(' ').append(r.name());
    }
    return b.append('\n').toString();
  }

  static String discoveryJson(DiscoveredServer s) {
    List<ObjectNode> dbs = new ArrayList<>();
    for (DiscoveredDatabase d : s.databases()) {
      List<ObjectNode> objs = new ArrayList<>();
      for (DiscoveredObject o : d.objects()) {
        objs.add(
            Json.object()
                .put("kind", o.kind().name().toLowerCase(Locale.ROOT))
                .put("schema", o.ref().schema().orElse(null))
                .put("name", o.ref().name().orElse(null))
                .put("owner", o.owner()));
      }
      dbs.add(
          Json.object()
              .put("name", d.name())
              .put("owner", d.owner())
              .putPOJO("schemas", d.schemas())
              .putPOJO("objects", objs));
    }
    List<String> roles = new ArrayList<>();
    s.roles().forEach(r -> roles.add(r.name()));
    return Json.write(
        Json.object()
            .put("majorVersion", s.majorVersion())
            .putPOJO("databases", dbs)
            .putPOJO("skippedDatabases", s.skippedDatabases())
            .putPOJO("roles", roles));
  }

  // ------------------------------------------------------------------ plan

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = "Print the SQL a grant would run (passwords redacted); changes nothing.")
  static final class PlanCmd extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin RequestOptions request;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      boolean json = output.json();
      Integration integration = conn.integration();
      AccessRequest r = request.request(integration);
      Plan plan = conn.manager(cli).planGrant(r);
      if (json) {
        out()
            .println(
                Json.write(
                    r.entraPrincipal().isPresent()
                        ? Json.object()
                            .put("username", r.grantee())
                            .put(
                                "leaseRole",
                                Conventions.defaults()
                                    .leaseRoleName(integration.name(), r.entraPrincipal().get()))
                            .put("sql", plan.toSql())
                        : Json.object()
                            .put(
                                "username", AccessManager.userName(integration.name(), r.grantee()))
                            .put("sql", plan.toSql())));
      } else {
        out().print(plan.toSql());
      }
      return GrantsmithCli.OK;
    }
  }

  // ------------------------------------------------------------------ grant

  @Command(
      name = "grant",
      mixinStandardHelpOptions = true,
      description =
          "Grant time-bound access and print the credentials (the password only with"
              + " --output json). While access is active the password is kept unless"
              + " --new-password is given.")
  static final class GrantCmd extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin RequestOptions request;
    @Mixin OutputOptions output;
    @Mixin FlowOptions flow;
    @Mixin AuditOptions audit;

    @Option(
        names = "--new-password",
        description =
            "Also set and print a new password when"
                + " the grantee's access is already active (the old password stops working); a fresh"
                + " grant has a new password anyway.")
    boolean newPassword;

    @Override
    public Integer call() {
      try (AuditOptions a = audit) {
        return grant();
      }
    }

    private Integer grant() {
      boolean json = output.json();
      AccessRequest r = request.request(conn.integration());
      if (flow.justification != null) {
        r = AccessRequest.builder().from(r).justification(flow.justification).build();
      }
      io.grantsmith.api.AccessFlows flows = flow.flows(conn.resourceTags());
      AccessManager.Builder b = conn.builder(cli);
      if (flows != null) {
        b.flows(flows);
      }
      io.grantsmith.api.AuditSink sink = audit.sink(cli);
      if (sink != null) {
        b.auditSink(sink);
      }
      if (newPassword && r.entraPrincipal().isPresent()) {
        throw new GrantsmithCli.UsageException(
            "--new-password does not apply to an Entra principal, which logs in with tokens");
      }
      AccessManager manager = b.build();
      progress(
          "Granting " + r.level().label() + " on " + r.resources() + " to " + r.grantee() + "...");
      AccessGrant g =
          flow.authorized()
              ? manager.grant(r, flow.authorization(r, java.time.Instant.now()))
              : manager.grant(r);
      Optional<Secret> password = g.password();
      if (newPassword && g.passwordKept()) {
        progress("Setting a new password for " + g.username() + "...");
        // Only the password is taken: the grant's connection details name its first database.
        password = manager.resetPassword(g.username()).password();
      }
      if (json) {
        out().println(grantJson(g, password, r.requestId()));
      } else if (g.entraPrincipal().isPresent()) {
        EntraPrincipal p = g.entraPrincipal().get();
        out()
            .println(
                "Granted "
                    + r.level().label()
                    + " access to the Entra "
                    + p.type().label()
                    + " "
                    + p.roleName()
                    + " (request "
                    + r.requestId()
                    + ")");
        out().println("  username:  " + g.username() + " (no password: an Entra access token)");
        out()
            .println(
                "  token:     PGPASSWORD=$(az account get-access-token --resource-type oss-rdbms"
                    + " --query accessToken --output tsv)");
        out().println("  scope:     " + g.tokenScope().orElse(EntraPrincipal.TOKEN_SCOPE));
        out().println("  leaseRole: " + g.lease().roleName());
        out().println("  expiresAt: " + g.expiresAt());
        out().println("  host:      " + g.host() + ":" + g.port());
        out().println("  database:  " + g.database());
        out().println("  jdbcUrl:   " + g.jdbcUrl());
      } else {
        out()
            .println(
                "Granted "
                    + r.level().label()
                    + " access to "
                    + r.grantee()
                    + " (request "
                    + r.requestId()
                    + ")");
        out().println("  username:  " + g.username());
        out()
            .println(
                "  password:  "
                    + (password.isPresent()
                        ? mask(password.get()) + " (masked; use --output json to receive it)"
                        : "unchanged (kept from the earlier grant; use --new-password to set a new one)"));
        out().println("  expiresAt: " + g.expiresAt());
        out().println("  host:      " + g.host() + ":" + g.port());
        out().println("  database:  " + g.database());
        out().println("  jdbcUrl:   " + g.jdbcUrl());
      }
      return GrantsmithCli.OK;
    }
  }

  /**
   * The JSON of a grant: {@code password} is null when the earlier password was kept, and {@code
   * passwordKept} then says so.
   */
  static String grantJson(AccessGrant g, Optional<Secret> password, String requestId) {
    ObjectNode o =
        Json.object()
            .put("username", g.username())
            .put("password", password.map(Secret::reveal).orElse(null))
            .put("passwordKept", password.isEmpty() && g.entraPrincipal().isEmpty())
            .put("expiresAt", g.expiresAt().toString())
            .put("host", g.host())
            .put("port", g.port())
            .put("database", g.database())
            .put("jdbcUrl", g.jdbcUrl())
            .put("sslmode", g.sslMode().libpqName())
            .put("requestId", requestId);
    g.entraPrincipal()
        .ifPresent(
            p -> {
              o.putObject("entraPrincipal")
                  .put("type", p.type().label())
                  .put("objectId", p.objectId())
                  .put("roleName", p.roleName())
                  .put("mfa", p.mfa());
              o.put("tokenScope", g.tokenScope().orElse(EntraPrincipal.TOKEN_SCOPE));
              o.put("leaseRole", g.lease().roleName());
            });
    return Json.write(o);
  }

  /**
   * A password for the screen: its first two characters and an ellipsis.
   *
   * @param secret the password
   * @return e.g. {@code Xy…}
   */
  static String mask(Secret secret) {
    String s = secret.reveal();
    return (s.length() > 8 ? s.substring(0, 2) : "") + "\u2026";
  }

  // ------------------------------------------------------------------ extend

  @Command(
      name = "extend",
      mixinStandardHelpOptions = true,
      description = "Move an active grant's expiry later.")
  static final class Extend extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin OutputOptions output;
    @Mixin AuditOptions audit;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(
        names = "--by",
        required = true,
        converter = DurationConverter.class,
        description = "How much later, e.g. PT30M or 1h.")
    Duration by;

    @Override
    public Integer call() {
      boolean json = output.json();
      java.util.Optional<Lease> lease;
      try (AuditOptions a = audit) {
        lease = conn.manager(cli, audit).extend(target.value(), by);
      }
      if (lease.isEmpty()) {
        cli.err.println("grantsmith: no active grant for " + target.value());
        return GrantsmithCli.FAILED;
      }
      Lease l = lease.get();
      if (json) {
        out()
            .println(
                Json.write(
                    Json.object()
                        .put("username", l.roleName())
                        .put("requestId", l.requestId())
                        .put("expiresAt", l.expiresAt().toString())));
      } else {
        out().println("Extended " + l.roleName() + " to " + l.expiresAt());
      }
      return GrantsmithCli.OK;
    }
  }

  // ------------------------------------------------------------------ revoke

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a grant now: login off, sessions ended, privileges removed.")
  static final class Revoke extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin OutputOptions output;
    @Mixin AuditOptions audit;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Override
    public Integer call() {
      boolean json = output.json();
      ApplyResult r;
      try (AuditOptions a = audit) {
        AccessManager manager = conn.manager(cli, audit);
        progress("Revoking " + target.value() + " in every database...");
        r = manager.revoke(target.value());
      }
      // One entry per database, though a revocation changes some (the shared one) in turns.
      Set<String> dbs = new LinkedHashSet<>();
      r.databases().forEach(d -> dbs.add(d.database()));
      if (json) {
        out()
            .println(
                Json.write(
                    Json.object()
                        .put("target", target.value())
                        .put("changed", !dbs.isEmpty())
                        .putPOJO("databases", dbs)));
      } else {
        out()
            .println(
                dbs.isEmpty()
                    ? "Nothing to revoke for " + target.value()
                    : "Revoked " + target.value() + " (changes in " + dbs + ")");
      }
      return GrantsmithCli.OK;
    }
  }

  // ------------------------------------------------------------------ sweep

  @Command(
      name = "sweep",
      mixinStandardHelpOptions = true,
      description = "Revoke expired grants and drop users whose cleanup time passed.")
  static final class Sweep extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin OutputOptions output;
    @Mixin AuditOptions audit;

    @Override
    public Integer call() {
      boolean json = output.json();
      SweepResult r;
      try (AuditOptions a = audit) {
        AccessManager manager = conn.manager(cli, audit);
        progress("Sweeping...");
        r = manager.sweep();
      }
      if (json) {
        out()
            .println(
                Json.write(
                    Json.object()
                        .put("skipped", r.skipped())
                        .putPOJO("revoked", r.revoked())
                        .putPOJO("dropped", r.dropped())
                        .putPOJO("failed", r.failed())));
      } else if (r.skipped()) {
        out().println("Sweep skipped: another sweep is running");
      } else {
        out().println("revoked: " + r.revoked());
        out().println("dropped: " + r.dropped());
        out().println("failed:  " + r.failed().keySet());
      }
      return r.failed().isEmpty() ? GrantsmithCli.OK : GrantsmithCli.FAILED;
    }
  }

  // ------------------------------------------------------------------ drift

  @Command(
      name = "drift",
      mixinStandardHelpOptions = true,
      description =
          "Report what managed users hold that no active lease approves (with its"
              + " grantor), approved privileges that are missing, and LOGIN or VALID UNTIL that"
              + " disagree with the lease. Exit code 0 when clean, "
              + GrantsmithCli.DRIFT
              + " when drift exists.")
  static final class DriftCmd extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
      boolean json = output.json();
      progress("Reading every database...");
      DriftReport r = conn.manager(cli).drift();
      if (json) {
        List<ObjectNode> items = new ArrayList<>();
        for (Drift d : r.drift()) {
          ObjectNode j =
              Json.object()
                  .put("role", d.role())
                  .put("kind", d.kind().name())
                  .put("detail", d.detail());
          d.database().ifPresent(x -> j.put("database", x));
          d.object().ifPresent(x -> j.put("object", x));
          d.privilege().ifPresent(x -> j.put("privilege", x));
          d.grantor().ifPresent(x -> j.put("grantor", x));
          items.add(j);
        }
        out()
            .println(
                Json.write(
                    Json.object()
                        .put("clean", r.isClean())
                        .putPOJO("roles", r.roles())
                        .putPOJO("databases", r.databases())
                        .putPOJO("drift", items)));
      } else if (r.isClean()) {
        out()
            .println(
                "No drift: "
                    + r.roles().size()
                    + " managed user(s) in "
                    + r.databases().size()
                    + " database(s) hold exactly what their leases approve");
      } else {
        for (Drift d : r.drift()) {
          out().println(d);
        }
      }
      return r.isClean() ? GrantsmithCli.OK : GrantsmithCli.DRIFT;
    }
  }

  // ------------------------------------------------------------------ rotate

  @Command(
      name = "rotate-connector-password",
      mixinStandardHelpOptions = true,
      description =
          "Rotate the connector's (--user) password; the new one is written to"
              + " --password-file (mode 600), never printed.")
  static final class RotateConnectorPassword extends Base {
    @Mixin ConnectionOptions conn;
    @Mixin OutputOptions output;
    @Mixin AuditOptions audit;

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description =
            "Where to write the new password (created or replaced, mode 600); required"
                + " unless --password-secret names the Key Vault secret to write it to.")
    Path file;

    @Override
    public Integer call() {
      boolean json = output.json();
      if (conn.auth.entra()) {
        // As AccessManager.rotateConnectorPassword refuses for connections that log in with tokens.
        throw new GrantsmithCli.UsageException(
            "--auth entra: cannot rotate the password of the connector "
                + conn.user()
                + ": it logs in with Microsoft Entra tokens and has no password; nothing was"
                + " changed");
      }
      SecretRef vaultRef = conn.auth.secretRef();
      if (vaultRef != null) {
        if (file != null) {
          throw new GrantsmithCli.UsageException(
              "--password-file and --password-secret exclude each other");
        }
        Credentials next = conn.manager(cli).rotateConnectorPassword(conn.auth.store(), vaultRef);
        if (json) {
          out()
              .println(
                  Json.write(
                      Json.object()
                          .put("username", next.username())
                          .put("passwordSecret", vaultRef.toString())));
        } else {
          out()
              .println(
                  "Rotated the password of "
                      + next.username()
                      + "; the new one is a new version of "
                      + vaultRef);
        }
        return GrantsmithCli.OK;
      }
      if (file == null) {
        throw new GrantsmithCli.UsageException(
            "missing --password-file (or --password-secret keyvault://VAULT/SECRET)");
      }
      Credentials current = conn.credentials(cli);
      SecretStore store =
          new SecretStore() {
            @Override
            public Credentials load(SecretRef ref) {
              return current;
            }

            @Override
            public void store(SecretRef ref, Credentials credentials) {
              try {
                Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".gs", ".tmp");
                try {
                  Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                  // not a POSIX file system
                }
                Files.write(
                    tmp,
                    (credentials.password().reveal() + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.TRUNCATE_EXISTING);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
              } catch (IOException e) {
                throw new GrantsmithException("Cannot write " + file + ": " + e.getMessage(), e);
              }
            }
          };
      Credentials next;
      try (AuditOptions a = audit) {
        next =
            conn.manager(cli, audit)
                .rotateConnectorPassword(store, SecretRef.file(file.toString()));
      }
      if (json) {
        out()
            .println(
                Json.write(
                    Json.object()
                        .put("username", next.username())
                        .put("passwordFile", file.toString())));
      } else {
        out().println("Rotated the password of " + next.username() + "; the new one is in " + file);
      }
      return GrantsmithCli.OK;
    }
  }
}
