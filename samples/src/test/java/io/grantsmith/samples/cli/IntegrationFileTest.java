package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.Integration;
import io.grantsmith.api.SslMode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntegrationFileTest {

  @TempDir Path dir;

  // ------------------------------------------------------------------ the reader

  @Test
  void readsObjectsStringsNumbersAndLiterals() {
    Object v =
        Json.parse(
            "\ufeff {\n \"s\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\","
                + " \"n\": -12.5e2, \"z\": 0, \"t\": true, \"f\": false, \"x\": null,"
                + " \"o\": {\"in\": {}}} \r\n");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "a\"b\\c/d\b\f\n\r\t\u00e9\ud83d\ude00");
    expected.put("n", new BigDecimal("-12.5e2"));
    expected.put("z", BigDecimal.ZERO);
    expected.put("t", true);
    expected.put("f", false);
    expected.put("x", null);
    expected.put("o", Map.of("in", Map.of()));
    assertThat(v).isEqualTo(expected);
    assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) v).keySet()))
        .containsExactly("s", "n", "z", "t", "f", "x", "o");
    assertThat(Json.parse("\"top\"")).isEqualTo("top");
    assertThat(Json.parse("null")).isNull();
  }

  @Test
  void readsBackWhatTheWriterWrites() {
    String hostile = "q\"b\\s/\n\t\u0001\u2028\u00ff";
    Object v = Json.parse(new Json().put("a", hostile).put("n", 5).put("b", true).toString());
    assertThat(v).isEqualTo(Map.of("a", hostile, "n", new BigDecimal(5), "b", true));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{",
        "{\"a\":1,}",
        "{'a':1}",
        "[1]",
        "{\"a\":[]}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":+1}",
        "{\"a\":1e}",
        "{\"a\":-}",
        "{\"a\":tru}",
        "{\"a\":True}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12g4\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"line\nbreak\"}",
        "{\"a\":\"open",
        "{\"a\":1} x",
        "{\"a\":1}{}",
        "{\"a\":1,\"a\":2}",
        "{\"a\":NaN}",
        "// c\n{}",
        "{\"a\":1 \"b\":2}",
        "{a:1}",
        "{\"a\" 1}",
        "{\"a\":undefined}",
        "{\"a\":\"x\"\u00a0}"
      })
  void rejectsAnythingElseNamingThePosition(String text) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(Json.SyntaxException.class)
        .hasMessageMatching("(?s).* at line \\d+, column \\d+");
  }

  @Test
  void positionIsLineAndColumn() {
    assertThatThrownBy(() -> Json.parse("{\n  \"a\": x}"))
        .isInstanceOf(Json.SyntaxException.class)
        .hasMessage("expected a value but found 'x' at line 2, column 8")
        .satisfies(
            e -> {
              assertThat(((Json.SyntaxException) e).line()).isEqualTo(2);
              assertThat(((Json.SyntaxException) e).column()).isEqualTo(8);
            });
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\r\n\"a\":2}"))
        .hasMessage("duplicate member \"a\" at line 2, column 1");
  }

  @Test
  void arraysOnlyWhenAskedFor() {
    assertThat(Json.parse("{\"a\": [1, \"x\", [], {\"b\": null}]}", true))
        .isEqualTo(
            Map.of(
                "a",
                java.util.Arrays.asList(
                    new BigDecimal(1),
                    "x",
                    java.util.List.of(),
                    java.util.Collections.singletonMap("b", null))));
    assertThatThrownBy(() -> Json.parse("[1,]", true)).isInstanceOf(Json.SyntaxException.class);
    assertThatThrownBy(() -> Json.parse("[1]")).hasMessageContaining("arrays are not supported");
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "{\"a\":".repeat(100_000);
    assertThatThrownBy(() -> Json.parse(deep))
        .isInstanceOf(Json.SyntaxException.class)
        .hasMessageContaining("nested deeper than " + Json.MAX_DEPTH);
  }

  // ------------------------------------------------------------------ the mapping

  private Path file(String json) throws IOException {
    Path p = Files.createTempFile(dir, "integration", ".json");
    Files.writeString(p, json, StandardCharsets.UTF_8);
    return p;
  }

  private static Commands.ConnectionOptions options(Path file) {
    Commands.ConnectionOptions o = new Commands.ConnectionOptions();
    o.integrationFile = file;
    return o;
  }

  static final String FULL =
      "{\"name\": \"orders-prod\", \"hostname\": \"db.example.com\","
          + " \"port\": 6432, \"database\": \"orders\", \"sslMode\": \"verify-full\","
          + " \"sslRootCert\": \"/etc/ca.pem\", \"user\": \"jit_conn\", \"userCleanupAfterDays\": 7,"
          + " \"credentialRotationDays\": 30, \"customAccessDetails\": \"Ask #dba\","
          + " \"maxAccessDuration\": \"PT8H\"}";

  @Test
  void everyKeyMapsToTheIntegration() throws IOException {
    Commands.ConnectionOptions o = options(file(FULL));
    Integration i = o.integration();
    assertThat(i.name()).isEqualTo("orders-prod");
    assertThat(i.hostname()).isEqualTo("db.example.com");
    assertThat(i.port()).isEqualTo(6432);
    assertThat(i.database()).isEqualTo("orders");
    assertThat(i.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(i.sslRootCert()).contains("/etc/ca.pem");
    assertThat(i.userCleanupAfterDays()).hasValue(7);
    assertThat(i.credentialRotationDays()).hasValue(30);
    assertThat(i.customAccessDetails()).contains("Ask #dba");
    assertThat(i.maxAccessDuration()).isEqualTo(Duration.ofHours(8));
    assertThat(o.user()).isEqualTo("jit_conn");
    assertThat(IntegrationFile.KEYS)
        .containsExactly(
            "name",
            "hostname",
            "port",
            "database",
            "sslMode",
            "sslRootCert",
            "user",
            "userCleanupAfterDays",
            "credentialRotationDays",
            "customAccessDetails",
            "maxAccessDuration");
  }

  @Test
  void flagsOverrideTheFileAndDefaultsFillTheRest() throws IOException {
    Commands.ConnectionOptions o = options(file(FULL));
    o.host = "other.example.com";
    o.port = 5433;
    o.database = "postgres";
    o.sslMode = SslMode.DISABLE;
    o.user = "flag_user";
    o.name = "flagname";
    Integration i = o.integration();
    assertThat(i.hostname()).isEqualTo("other.example.com");
    assertThat(i.port()).isEqualTo(5433);
    assertThat(i.database()).isEqualTo("postgres");
    assertThat(i.sslMode()).isEqualTo(SslMode.DISABLE);
    assertThat(i.name()).isEqualTo("flagname");
    assertThat(o.user()).isEqualTo("flag_user");
    assertThat(i.maxAccessDuration()).isEqualTo(Duration.ofHours(8));

    Commands.ConnectionOptions minimal =
        options(file("{\"hostname\": \"h.example.com\"," + " \"user\": \"u\", \"port\": null}"));
    Integration d = minimal.integration();
    assertThat(d.name()).isEqualTo("grantsmith");
    assertThat(d.port()).isEqualTo(5432);
    assertThat(d.database()).isEqualTo("postgres");
    assertThat(d.sslMode()).isEqualTo(SslMode.REQUIRE);
    assertThat(d.sslRootCert()).isEmpty();
    assertThat(d.maxAccessDuration()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void badFilesExitTwoWithOneLineNamingTheFileAndTheKey() throws IOException {
    String[][] cases = {
      // file content, what the message must name
      {"{\"hostname\": \"h\", \"user\": \"u\", \"hots\": \"x\"}", "unknown key \"hots\""},
      {"{\"hostname\": \"h\", \"user\": \"u\", \"port\": \"5432\"}", "\"port\" must be a whole"},
      {"{\"hostname\": \"h\", \"user\": \"u\", \"port\": 54.5}", "\"port\" must be a whole"},
      {"{\"hostname\": \"h\", \"user\": \"u\", \"port\": 1e20}", "\"port\" must be a whole"},
      {"{\"hostname\": \"h\", \"user\": \"u\", \"port\": 70000}", "\"port\" must be between"},
      {"{\"hostname\": 5, \"user\": \"u\"}", "\"hostname\" must be a string, but was 5"},
      {"{\"hostname\": \"bad host\", \"user\": \"u\"}", "\"hostname\" must be a DNS name"},
      {"{\"hostname\": \"h\", \"user\": \"u\", \"sslMode\": \"sometimes\"}", "\"sslMode\""},
      {"{\"hostname\": \"h\", \"user\": \"u\", \"sslMode\": true}", "\"sslMode\" must be a str"},
      {
        "{\"hostname\": \"h\", \"user\": \"u\", \"maxAccessDuration\": \"8h\"}",
        "\"maxAccessDuration\" must be an ISO-8601 duration"
      },
      {
        "{\"hostname\": \"h\", \"user\": \"u\", \"maxAccessDuration\": \"PT10S\"}",
        "\"maxAccessDuration\" must be at least one minute"
      },
      {"{\"hostname\": \"h\", \"user\": \"u\", \"name\": \"1bad\"}", "\"name\" must start"},
      {
        "{\"hostname\": \"h\", \"user\": \"u\", \"userCleanupAfterDays\": -1}",
        "\"userCleanupAfterDays\" must be at least 0"
      },
      {
        "{\"hostname\": \"h\", \"user\": \"u\", \"credentialRotationDays\": 0}",
        "\"credentialRotationDays\" must be at least 1"
      },
      {
        "{\"hostname\": \"h\", \"user\": \"u\", \"customAccessDetails\": \""
            + "x".repeat(401)
            + "\"}",
        "\"customAccessDetails\" must be at most 400"
      },
      {"{\"hostname\": \"h\", \"user\": \"u\", \"database\": {}}", "\"database\" must be a str"},
      {"{\"hostname\": \"h\", \"user\": \"\"}", "\"user\""},
      {"{\"hostname\": \"h\", \"user\": \"u\", \"port\": 5432,}", "invalid JSON: "},
      {"[]", "invalid JSON: arrays are not supported at line 1, column 1"},
      {"\"h\"", "must hold one JSON object"},
      {"{\"hostname\": \"h\",\n \"user\": \"u\n\"}", "line 2, column"},
    };
    for (String[] c : cases) {
      Path f = file(c[0]);
      CliTest.Result r =
          CliTest.run(
              Map.of("GRANTSMITH_PASSWORD", "pw"),
              "plan",
              "--integration",
              f.toString(),
              "--grantee",
              "a@b.c",
              "--resource",
              "db");
      assertThat(r.code()).as(c[0] + " -> " + r.err()).isEqualTo(2);
      assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
      assertThat(r.err())
          .startsWith("grantsmith: invalid --integration " + f + ": ")
          .contains(c[1])
          .doesNotContain("\tat ");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void missingOrUnreadableFilesExitTwo() throws IOException {
    Path missing = dir.resolve("nope.json");
    CliTest.Result r =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", "pw"), "sweep", "--integration", missing.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "grantsmith: invalid --integration "
                + missing
                + ": no such file"
                + System.lineSeparator());

    CliTest.Result directory =
        CliTest.run(Map.of("GRANTSMITH_PASSWORD", "pw"), "sweep", "--integration", dir.toString());
    assertThat(directory.code()).as(directory.err()).isEqualTo(2);
    assertThat(directory.err().lines().count()).isEqualTo(1);
    assertThat(directory.err()).startsWith("grantsmith: invalid --integration " + dir + ": ");

    Path latin1 = dir.resolve("latin1.json");
    Files.write(latin1, "{\"hostname\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    CliTest.Result bad =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", "pw"), "sweep", "--integration", latin1.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("not UTF-8");
  }

  @Test
  void aPasswordKeyIsRefusedWithoutEchoingIt() throws IOException {
    Path f = file("{\"hostname\": \"h\", \"user\": \"u\", \"password\": \"S3cret-in-file\"}");
    CliTest.Result r =
        CliTest.run(Map.of("GRANTSMITH_PASSWORD", "pw"), "sweep", "--integration", f.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(r.err())
        .contains(f.toString())
        .contains("\"password\"")
        .contains("GRANTSMITH_PASSWORD")
        .doesNotContain("S3cret-in-file");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aBadFlagStillNamesTheFlagAndMissingHostOrUserAreNamed() throws IOException {
    Path f = file("{\"hostname\": \"nowhere.invalid\", \"user\": \"u\", \"port\": 1}");
    CliTest.Result port =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", "pw"),
            "plan",
            "--integration",
            f.toString(),
            "--port",
            "70000",
            "--grantee",
            "a@b.c",
            "--resource",
            "db");
    assertThat(port.code()).as(port.err()).isEqualTo(2);
    assertThat(port.err()).startsWith("grantsmith: invalid --port: ");

    Path noHost = file("{\"user\": \"u\"}");
    CliTest.Result host =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", "pw"), "sweep", "--integration", noHost.toString());
    assertThat(host.code()).isEqualTo(2);
    assertThat(host.err()).contains("missing --host").contains("\"hostname\"");

    CliTest.Result user = CliTest.run(Map.of("GRANTSMITH_PASSWORD", "pw"), "sweep", "--host", "h");
    assertThat(user.code()).isEqualTo(2);
    assertThat(user.err()).contains("missing --user");
  }

  @Test
  void helpDocumentsTheFile() {
    CliTest.Result top = CliTest.run(Map.of(), "--help");
    assertThat(top.out())
        .contains("--integration FILE")
        .contains("maxAccessDuration")
        .contains("sslRootCert")
        .contains("password");
    for (String sub :
        new String[] {
          "verify-setup",
          "discover",
          "plan",
          "grant",
          "extend",
          "revoke",
          "sweep",
          "rotate-connector-password"
        }) {
      CliTest.Result r = CliTest.run(Map.of(), sub, "--help");
      assertThat(r.code()).isZero();
      assertThat(r.out())
          .as(sub)
          .contains("--integration=FILE")
          .contains("sslMode")
          .contains("userCleanupAfterDays");
    }
  }
}
