package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {

  /** The outcome of one in-process run. */
  record Result(int code, String out, String err) {}

  static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GrantsmithCli.run(env, new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void parsesEveryResourceForm() {
    assertThat(Resources.parse("shop")).isEqualTo(ResourceRef.database("shop"));
    assertThat(Resources.parse("shop/sales")).isEqualTo(ResourceRef.schema("shop", "sales"));
    assertThat(Resources.parse("shop/sales/orders"))
        .isEqualTo(ResourceRef.relation("shop", "sales", "orders"));
    assertThat(Resources.parse("role:analysts")).isEqualTo(ResourceRef.role("analysts"));
  }

  @Test
  void backslashEscapesSlashBackslashAndRolePrefix() {
    assertThat(Resources.parse("shop/a\\/b/t\\\\x"))
        .isEqualTo(ResourceRef.relation("shop", "a/b", "t\\x"));
    ResourceRef db = Resources.parse("role\\:x");
    assertThat(db.kind()).isEqualTo(ResourceKind.DATABASE);
    assertThat(db.database()).contains("role:x");
    assertThat(Resources.parse("role:team\\/a")).isEqualTo(ResourceRef.role("team/a"));
    String hostile = "we/ird\\name";
    assertThat(Resources.parse(Resources.escape(hostile))).isEqualTo(ResourceRef.database(hostile));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a//b", "a/b/c/d", "/a", "a/", "a\\", "role:", "role:a/b"})
  void rejectsMalformedResources(String text) {
    assertThatThrownBy(() -> Resources.parse(text))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("--resource");
  }

  @Test
  void jsonEscapesQuotesBackslashesAndControlCharacters() {
    String json =
        Json.write(
            Json.object().put("a", "q\"b\\s/\n\t\u0001\u2028").put("n", 5).put("z", (String) null));
    assertThat(json).isEqualTo("{\"a\":\"q\\\"b\\\\s/\\n\\t\\u0001\\u2028\",\"n\":5,\"z\":null}");
  }

  @Test
  void jsonEscapesOtherControlCharactersInLowerCaseAndU2029() {
    assertThat(Json.write(Json.object().put("a", "\u001f\u007f\u2029\u00e9")))
        .isEqualTo("{\"a\":\"\\u001f\u007f\\u2029\u00e9\"}");
  }

  @Test
  void discoveryJsonKeepsItsShape() {
    io.grantsmith.postgres.azure.DiscoveredServer s =
        io.grantsmith.postgres.azure.DiscoveredServer.builder()
            .majorVersion(17)
            .addDatabase(
                io.grantsmith.postgres.azure.DiscoveredDatabase.builder()
                    .name("shop")
                    .owner("alice")
                    .addObject(
                        io.grantsmith.postgres.azure.DiscoveredObject.builder()
                            .ref(ResourceRef.schema("shop", "sales"))
                            .owner("alice")
                            .build())
                    .addObject(
                        io.grantsmith.postgres.azure.DiscoveredObject.builder()
                            .ref(ResourceRef.relation("shop", "sales", "or\"ders"))
                            .relationKind(io.grantsmith.api.RelationKind.TABLE)
                            .owner("bob")
                            .build())
                    .build())
            .addDatabase(
                io.grantsmith.postgres.azure.DiscoveredDatabase.builder()
                    .name("empty")
                    .owner("alice")
                    .build())
            .addRole(
                io.grantsmith.postgres.azure.DiscoveredRole.builder()
                    .name("r1")
                    .login(false)
                    .inherit(true)
                    .createRole(false)
                    .createDb(false)
                    .build())
            .addSkippedDatabase("old")
            .build();
    assertThat(Commands.discoveryJson(s))
        .isEqualTo(
            "{\"majorVersion\":17,\"databases\":[{\"name\":\"shop\",\"owner\":\"alice\","
                + "\"schemas\":[\"sales\"],\"objects\":[{\"kind\":\"schema\",\"schema\":\"sales\","
                + "\"name\":null,\"owner\":\"alice\"},{\"kind\":\"relation\",\"schema\":\"sales\","
                + "\"name\":\"or\\\"ders\",\"owner\":\"bob\"}]},{\"name\":\"empty\","
                + "\"owner\":\"alice\",\"schemas\":[],\"objects\":[]}],"
                + "\"skippedDatabases\":[\"old\"],\"roles\":[\"r1\"]}");
  }

  @Test
  void setupSqlNeedsNoServer() {
    Result r = run(Map.of(), "setup-sql", "--connector-user", "jit_conn", "--server-version", "16");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("jit_conn")
        .contains("azure_pg_admin")
        .contains(":'connector_password'");
  }

  @Test
  void setupSqlForOneDatabasePrintsOnlyItsSetupWithQuotedNames() {
    Result r = run(Map.of(), "setup-sql", "--database", "late", "--database", "Odd \"db\"");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("GRANT ALL PRIVILEGES ON DATABASE late TO azure_pg_admin WITH GRANT OPTION;")
        .contains(
            "GRANT ALL PRIVILEGES ON DATABASE \"Odd \"\"db\"\"\" TO azure_pg_admin"
                + " WITH GRANT OPTION;")
        .contains("\\connect 'late'\n", "\\connect 'Odd \"db\"'\n")
        .contains("ALTER DEFAULT PRIVILEGES GRANT ALL PRIVILEGES ON TABLES TO azure_pg_admin")
        .contains("\\set ON_ERROR_STOP on")
        // The connector is left alone: no role, no password, no prompt.
        .doesNotContain("grantsmith_connector")
        .doesNotContain("CREATE ROLE")
        .doesNotContain("connector_password")
        .doesNotContain("\\prompt");
    Result both = run(Map.of(), "setup-sql", "--database", "late", "--for-database", "shop");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--database", "--for-database");
    Result excluded = run(Map.of(), "setup-sql", "--database", "azure_sys");
    assertThat(excluded.code()).isEqualTo(2);
    assertThat(excluded.err()).contains("azure_sys").doesNotContain("\tat ");
  }

  @Test
  void badFlagsExitTwoWithOneLineAndNoStackTrace() {
    String[][] cases = {
      {
        "grant",
        "--host",
        "h",
        "--user",
        "u",
        "--grantee",
        "a@b.c",
        "--resource",
        "db",
        "--level",
        "superuser"
      },
      {"grant", "--host", "h", "--user", "u", "--grantee", "a@b.c", "--resource", "a//b"},
      {
        "plan",
        "--host",
        "h",
        "--user",
        "u",
        "--grantee",
        "a@b.c",
        "--resource",
        "db",
        "--duration",
        "forever"
      },
      {
        "grant",
        "--host",
        "h",
        "--port",
        "abc",
        "--user",
        "u",
        "--grantee",
        "a@b.c",
        "--resource",
        "db"
      },
      {"grant", "--host", "h", "--user", "u", "--grantee", "a@b.c"},
      {"revoke", "--host", "h", "--user", "u"},
      {"revoke", "--host", "h", "--user", "u", "--username", "x", "--request-id", "y"},
      {"sweep", "--host", "h", "--user", "u", "--sslmode", "sometimes"},
      {"nonsense"},
      {"setup-sql", "--server-version", "9"},
    };
    for (String[] args : cases) {
      Result r = run(Map.of("GRANTSMITH_PASSWORD", "pw"), args);
      assertThat(r.code()).as(String.join(" ", args) + " -> " + r.err()).isEqualTo(2);
      assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).doesNotContain("\tat ").startsWith("grantsmith: ");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void badValuesCaughtByTheSdkExitTwoBeforeAnyConnection() {
    // Port 1 on a host that does not resolve: had anything been sent, this would be exit 4.
    Result r =
        run(
            Map.of("GRANTSMITH_PASSWORD", "pw"),
            "grant",
            "--host",
            "nowhere.invalid",
            "--port",
            "1",
            "--user",
            "u",
            "--grantee",
            "a@b.c",
            "--resource",
            "db",
            "--duration",
            "PT0S");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--duration");
    Result port =
        run(
            Map.of("GRANTSMITH_PASSWORD", "pw"),
            "grant",
            "--host",
            "h",
            "--port",
            "70000",
            "--user",
            "u",
            "--grantee",
            "a@b.c",
            "--resource",
            "db");
    assertThat(port.code()).as(port.err()).isEqualTo(2);
    assertThat(port.err()).contains("--port");
  }

  @Test
  void missingPasswordVariableIsBadInput() {
    Result r = run(Map.of(), "sweep", "--host", "nowhere.invalid", "--user", "u");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("GRANTSMITH_PASSWORD");
  }

  @Test
  void passwordIsMaskedOnScreen() {
    Secret s = Secret.of("Xy3-very-secret-password");
    assertThat(Commands.mask(s)).isEqualTo("Xy\u2026").doesNotContain("very-secret");
  }

  @Test
  void helpListsEverySubcommand() {
    Result r = run(Map.of(), "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains(
            "setup-sql",
            "verify-setup",
            "discover",
            "plan",
            "grant",
            "extend",
            "revoke",
            "sweep",
            "rotate-connector-password",
            "demo");
  }

  /** A local port that nothing listens on (it was free a moment ago). */
  static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void versionIsTheBuilds() {
    Result r = run(Map.of(), "--version");
    assertThat(r.code()).isZero();
    assertThat(System.getProperty("grantsmith.version")).as("set by the build").isNotBlank();
    assertThat(r.out().strip()).isEqualTo("grantsmith " + System.getProperty("grantsmith.version"));
    assertThat(GrantsmithCli.version()).isEqualTo(System.getProperty("grantsmith.version"));
  }

  @Test
  void helpSubcommandExplainsACommand() {
    Result r = run(Map.of(), "help", "revoke");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("Usage: grantsmith revoke").contains("--username");
    assertThat(run(Map.of(), "--help").out()).contains("help", "generate-completion");
  }

  @Test
  void mistypedCommandsAndOptionsGetASuggestion() {
    Result command = run(Map.of(), "revok");
    assertThat(command.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(command.err()).contains("'revok'").contains("did you mean revoke?");
    assertThat(command.err().lines()).hasSize(1);
    Result option = run(Map.of(), "setup-sql", "--conector-user", "x");
    assertThat(option.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(option.err())
        .contains("'--conector-user'")
        .contains("did you mean --connector-user?");
    Result nothingClose = run(Map.of(), "zzzzzzzzzz");
    assertThat(nothingClose.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(nothingClose.err()).doesNotContain("did you mean");
  }

  @Test
  void completionScriptIsGenerated() {
    Result r = run(Map.of(), "generate-completion");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("complete -F")
        .contains("grantsmith")
        .contains("rotate-connector-password")
        .contains("--host");
  }

  @Test
  void unknownHostAndClosedPortSayWhereAndWhy() {
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", "not-the-password");
    Result unknown = run(env, "discover", "--host", "nosuch.invalid", "--user", "u");
    assertThat(unknown.code()).as(unknown.err()).isEqualTo(GrantsmithCli.CANNOT_CONNECT);
    List<String> unknownLines = errorLines(unknown);
    assertThat(unknownLines).hasSize(1);
    assertThat(unknownLines.get(0))
        .contains("cannot connect to nosuch.invalid:5432")
        .contains("SQLSTATE 08")
        .contains("unknown host nosuch.invalid");
    int port = closedPort();
    Result closed = run(env, "discover", "--host", "127.0.0.1", "--port", "" + port, "--user", "u");
    assertThat(closed.code()).as(closed.err()).isEqualTo(GrantsmithCli.CANNOT_CONNECT);
    List<String> closedLines = errorLines(closed);
    assertThat(closedLines).hasSize(1);
    assertThat(closedLines.get(0))
        .contains("cannot connect to 127.0.0.1:" + port)
        .contains("ConnectException")
        .doesNotContain("unknown host");
    assertThat(unknown.err() + closed.err())
        .doesNotContain("not-the-password")
        .doesNotContain("\tat ");
  }

  @Test
  void verboseAddsTheStackTrace() {
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", "not-the-password");
    String port = "" + closedPort();
    Result flag =
        run(env, "discover", "--host", "127.0.0.1", "--port", port, "--user", "u", "--verbose");
    assertThat(flag.code()).isEqualTo(GrantsmithCli.CANNOT_CONNECT);
    assertThat(flag.err()).contains("\tat ").contains("ConnectException").doesNotContain("not-the");
    Map<String, String> verboseEnv = new HashMap<>(env);
    verboseEnv.put("GRANTSMITH_VERBOSE", "true");
    Result fromEnv =
        run(verboseEnv, "discover", "--host", "127.0.0.1", "--port", port, "--user", "u");
    assertThat(fromEnv.err()).contains("\tat ");
    // Bad input stays one line, verbose or not.
    Result bad = run(verboseEnv, "discover", "--host", "127.0.0.1", "--user", "u", "--port", "x");
    assertThat(bad.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(bad.err().lines()).hasSize(1);
  }

  @Test
  void settingsComeFromTheEnvironmentFlagsWinAndTheyWinOverTheFile(@TempDir Path dir)
      throws IOException {
    int port = closedPort();
    Map<String, String> env =
        Map.of(
            "GRANTSMITH_PASSWORD", "not-the-password",
            "GRANTSMITH_HOST", "127.0.0.1",
            "GRANTSMITH_PORT", "" + port,
            "GRANTSMITH_USER", "u",
            "GRANTSMITH_SSLMODE", "disable",
            "GRANTSMITH_OUTPUT", "json");
    Result fromEnv = run(env, "discover");
    assertThat(fromEnv.code()).as(fromEnv.err()).isEqualTo(GrantsmithCli.CANNOT_CONNECT);
    assertThat(fromEnv.err()).contains("cannot connect to 127.0.0.1:" + port);

    Result flagWins = run(env, "discover", "--host", "nosuch.invalid");
    assertThat(flagWins.err()).contains("cannot connect to nosuch.invalid:" + port);

    Path file = dir.resolve("integration.json");
    Files.writeString(file, "{\"hostname\": \"file.invalid\", \"port\": 6543, \"user\": \"f\"}");
    Map<String, String> withFile = new HashMap<>(env);
    withFile.put("GRANTSMITH_INTEGRATION", file.toString());
    Result overFile = run(withFile, "discover");
    assertThat(overFile.err()).contains("cannot connect to 127.0.0.1:" + port);
    withFile.remove("GRANTSMITH_HOST");
    withFile.remove("GRANTSMITH_PORT");
    Result fileFills = run(withFile, "discover");
    assertThat(fileFills.err()).contains("cannot connect to file.invalid:6543");

    Map<String, String> badPort = new HashMap<>(env);
    badPort.put("GRANTSMITH_PORT", "abc");
    Result badFromEnv = run(badPort, "discover");
    assertThat(badFromEnv.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(badFromEnv.err()).contains("--port").contains("GRANTSMITH_PORT");
    Result badFromFlag = run(env, "discover", "--port=abc");
    assertThat(badFromFlag.err()).contains("--port").doesNotContain("GRANTSMITH_PORT");
    Result missingHost = run(Map.of(), "discover");
    assertThat(missingHost.err()).contains("missing --host").contains("GRANTSMITH_HOST");

    Map<String, String> badOutput = new HashMap<>(env);
    badOutput.put("GRANTSMITH_OUTPUT", "xml");
    Result bad = run(badOutput, "discover");
    assertThat(bad.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(bad.err()).contains("--output");
  }

  @Test
  void helpNeverShowsThePasswordOrTheEnvironmentsValues() {
    Map<String, String> env =
        Map.of(
            "GRANTSMITH_PASSWORD", "Sekr3t-pw-value",
            "GRANTSMITH_HOST", "host-from-env.example",
            "GRANTSMITH_USER", "user-from-env");
    StringBuilder all = new StringBuilder();
    all.append(run(env, "--help").out());
    for (String sub :
        List.of(
            "setup-sql",
            "verify-setup",
            "discover",
            "plan",
            "grant",
            "extend",
            "revoke",
            "sweep",
            "drift",
            "rotate-connector-password",
            "demo")) {
      Result r = run(env, sub, "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out()).contains("--verbose");
      all.append(r.out()).append(r.err());
    }
    assertThat(all.toString())
        .doesNotContain("Sekr3t-pw-value")
        .doesNotContain("host-from-env")
        .doesNotContain("user-from-env")
        .contains("GRANTSMITH_HOST");
  }

  @Test
  void onlyConnectionOutputAndVerboseFlagsHaveAVariable() {
    assertThat(GrantsmithCli.envVariable("--integration-name"))
        .isEqualTo("GRANTSMITH_INTEGRATION_NAME");
    assertThat(GrantsmithCli.envVariable("--host")).isEqualTo("GRANTSMITH_HOST");
    assertThat(GrantsmithCli.envVariable("--password-file")).isNull();
    assertThat(GrantsmithCli.envVariable("--grantee")).isNull();
  }

  private static List<String> errorLines(Result r) {
    return r.err().lines().filter(l -> l.startsWith("grantsmith:")).toList();
  }
}
