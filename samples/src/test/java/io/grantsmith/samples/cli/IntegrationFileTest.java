package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.Integration;
import io.grantsmith.api.SslMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntegrationFileTest {

  @TempDir Path dir;

  // ------------------------------------------------------------------ the reader

  /** Reads a file holding {@code json}. */
  private IntegrationFile read(String json) throws IOException {
    return IntegrationFile.read(file(json));
  }

  /** The one-line message for a file holding {@code json}, after the file's name. */
  private String error(String json) throws IOException {
    Path f = file(json);
    String prefix = "invalid --integration " + f + ": ";
    try {
      IntegrationFile.read(f);
    } catch (GrantsmithCli.UsageException e) {
      assertThat(e.getMessage()).startsWith(prefix).doesNotContain("\n");
      return e.getMessage().substring(prefix.length());
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void readsStringsWithEveryEscapeNumbersNullsAndWhiteSpace() throws IOException {
    IntegrationFile f =
        read(
            "\ufeff {\n \"customAccessDetails\":"
                + " \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",\r\n"
                + "\t\"port\": 6432, \"userCleanupAfterDays\": 0, \"credentialRotationDays\": -1,"
                + " \"user\": null, \"name\": \"n\"} \r\n");
    assertThat(f.customAccessDetails).isEqualTo("a\"b\\c/d\b\f\n\r\t\u00e9\ud83d\ude00");
    assertThat(f.port).isEqualTo(6432);
    assertThat(f.userCleanupAfterDays).isZero();
    assertThat(f.credentialRotationDays).isEqualTo(-1);
    assertThat(f.user).isNull();
    assertThat(f.has("user")).isFalse();
    assertThat(f.has("port")).isTrue();
    assertThat(f.has("name")).isTrue();
    assertThat(f.has("hostname")).isFalse();
    assertThat(read("{}").has("name")).isFalse();
  }

  @Test
  void readsBackWhatTheWriterWrites() throws IOException {
    String hostile = "q\"b\\s/\n\t\u0001\u001f\u2028\u2029\u00ff\ud83d\ude00";
    String json = Json.write(Json.object().put("customAccessDetails", hostile).put("port", 5));
    assertThat(json)
        .isEqualTo(
            "{\"customAccessDetails\":\"q\\\"b\\\\s/\\n\\t\\u0001\\u001f\\u2028\\u2029\u00ff"
                + "\ud83d\ude00\",\"port\":5}");
    IntegrationFile f = read(json);
    assertThat(f.customAccessDetails).isEqualTo(hostile);
    assertThat(f.port).isEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "\ufeff",
        "{",
        "{\"name\":\"n\",}",
        "{'name':\"n\"}",
        "[1]",
        "{\"name\":[]}",
        "{\"port\":01}",
        "{\"port\":1.}",
        "{\"port\":.5}",
        "{\"port\":+1}",
        "{\"port\":1e}",
        "{\"port\":-}",
        "{\"port\":1e99999999999}",
        "{\"o\":{\"p\":-1e99999999999}}",
        "{\"name\":tru}",
        "{\"name\":True}",
        "{\"name\":\"\\x\"}",
        "{\"name\":\"\\u12g4\"}",
        "{\"name\":\"\\u12\"}",
        "{\"name\":\"line\nbreak\"}",
        "{\"name\":\"open",
        "{\"name\":\"n\"} x",
        "{\"name\":\"n\"}{}",
        "{\"name\":\"n\"} \"more\"",
        "{\"name\":\"n\",\"name\":\"m\"}",
        "{\"o\":{\"a\":1,\"a\":1}}",
        "{\"port\":NaN}",
        "// c\n{}",
        "/* c */{}",
        "{\"name\":\"n\" \"user\":\"u\"}",
        "{name:\"n\"}",
        "{\"name\" \"n\"}",
        "{\"name\":undefined}",
        "{\"name\":\"x\"\u00a0}"
      })
  void rejectsAnyOtherTextAsInvalidJsonNamingThePosition(String text) throws IOException {
    assertThat(error(text)).matches("invalid JSON: .+ at line \\d+, column \\d+");
  }

  @Test
  void positionIsLineAndColumn() throws IOException {
    assertThat(error("{\n  \"port\": 1,\n  \"port\": 2}"))
        .startsWith("invalid JSON: ")
        .contains("'port'")
        .endsWith(" at line 3, column 9");
    assertThat(error("{\"port\": 1,\r\n\"name\":\"n\",\r\"name\": \"m\"}"))
        .endsWith(" at line 3, column 7");
    assertThat(error("{\n  \"name\": [\"n\"]}"))
        .isEqualTo("invalid JSON: arrays are not supported at line 2, column 11");
    assertThat(error("{\"name\": \"n\"}\n\n  {}"))
        .isEqualTo(
            "invalid JSON: expected the end of the input after the value at line 3, column 3");
    // A byte order mark counts as a column, as an editor shows it.
    assertThat(error("\ufeff{\"port\": \"1\"}")).endsWith(" at line 1, column 11");
  }

  @Test
  void anUnquotedWordIsNotEchoed() throws IOException {
    assertThat(error("{\"hostname\": \"h\",\n \"user\": S3cretWord}"))
        .startsWith("invalid JSON: unrecognized token")
        .endsWith(" at line 2, column 10")
        .doesNotContain("S3cret");
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() throws IOException {
    assertThat(error("{\"a\":".repeat(100_000)))
        .isEqualTo(
            "invalid JSON: values nested deeper than "
                + IntegrationFile.MAX_DEPTH
                + " at line 1, column "
                + (5 * IntegrationFile.MAX_DEPTH + 1));
    // Nesting within the limit is syntax, and then an unknown key.
    String deep = "{\"a\":".repeat(IntegrationFile.MAX_DEPTH) + "1" + "}".repeat(32);
    assertThat(error(deep)).startsWith("unknown key \"a\"");
  }

  @Test
  void numbersAndStringsAreNeverConvertedIntoEachOther() throws IOException {
    assertThat(error("{\"port\": \"5432\"}"))
        .isEqualTo("\"port\" must be a whole number, but was \"5432\" at line 1, column 10");
    assertThat(error("{\"port\": true}"))
        .isEqualTo("\"port\" must be a whole number, but was true at line 1, column 10");
    assertThat(error("{\"port\": {}}"))
        .isEqualTo("\"port\" must be a whole number, but was an object at line 1, column 10");
    assertThat(error("{\"port\": 54.5}"))
        .isEqualTo("\"port\" must be a whole number, but was 54.5 at line 1, column 10");
    assertThat(error("{\"port\": 99999999999}"))
        .isEqualTo(
            "\"port\" must be a whole number that fits in 32 bits, but was 99999999999"
                + " at line 1, column 10");
    assertThat(error("{\"port\": 1e20}")).startsWith("\"port\" must be a whole number that fits");
    assertThat(error("{\"hostname\": 5}"))
        .isEqualTo("\"hostname\" must be a string, but was 5 at line 1, column 14");
    assertThat(error("{\"hostname\": 5.0}"))
        .startsWith("\"hostname\" must be a string, but was 5.0");
    assertThat(error("{\"user\": false}")).startsWith("\"user\" must be a string, but was false");
    assertThat(error("{\"sslMode\": 1}")).startsWith("\"sslMode\" must be a string, but was 1");
    assertThat(error("{\"maxAccessDuration\": 3600}"))
        .startsWith("\"maxAccessDuration\" must be a string, but was 3600");
    assertThat(error("{\"sslMode\": \"VERIFY_FULL\"}"))
        .startsWith("\"sslMode\" must be one of disable, allow, prefer, require, verify-ca,")
        .contains("but was \"VERIFY_FULL\"");
    // A number written with a fraction or an exponent is taken when it is exactly whole.
    assertThat(read("{\"port\": 6432.0}").port).isEqualTo(6432);
    assertThat(read("{\"port\": 6.432e3}").port).isEqualTo(6432);
    assertThat(read("{\"port\": -0}").port).isZero();
    assertThat(read("{\"sslMode\": \"verify-ca\"}").sslMode).isEqualTo(SslMode.VERIFY_CA);
    assertThat(read("{\"maxAccessDuration\": \"P1DT2H\"}").maxAccessDuration)
        .isEqualTo(Duration.ofHours(26));
  }

  @Test
  void unknownKeysAreRefusedAtAnyDepthWithoutReadingTheirValues() throws IOException {
    assertThat(error("{\"hostname\": \"h\",\n \"extra\": {\"password\": \"S3cret\"}}"))
        .startsWith("unknown key \"extra\" (known: name, hostname, port,")
        .contains(" at line 2, column ")
        .doesNotContain("S3cret");
    assertThat(error("{\"hostname\": {\"password\": \"S3cret\", \"x\": 1}}"))
        .isEqualTo("\"hostname\" must be a string, but was an object at line 1, column 14");
    assertThat(error("{\"Hostname\": \"h\"}")).startsWith("unknown key \"Hostname\"");
    assertThat(error("{\"path\": \"/etc\"}")).startsWith("unknown key \"path\"");
    assertThat(error("{\"set\": \"x\"}")).startsWith("unknown key \"set\"");
  }

  @Test
  void theFirstProblemIsChosenAsBefore() throws IOException {
    // Syntax anywhere comes first, then a top-level "password", then the keys in file order.
    assertThat(error("{\"port\": \"x\", \"name\": }")).startsWith("invalid JSON: ");
    assertThat(error("[\"password\"]")).startsWith("invalid JSON: arrays are not supported");
    assertThat(error("{\"hots\": 1, \"password\": \"S3cret\"}"))
        .startsWith("the key \"password\" is not allowed")
        .doesNotContain("S3cret");
    assertThat(error("{\"password\": null}")).startsWith("the key \"password\" is not allowed");
    assertThat(error("{\"port\": \"x\", \"hots\": 1}")).startsWith("\"port\" must be a whole");
    assertThat(error("{\"hots\": 1, \"port\": \"x\"}")).startsWith("unknown key \"hots\"");
    assertThat(error("null")).isEqualTo("must hold one JSON object");
    assertThat(error("\"password\"")).isEqualTo("must hold one JSON object");
  }

  @Test
  void theFieldsAreTheKeys() {
    assertThat(
            java.util.Arrays.stream(IntegrationFile.class.getDeclaredFields())
                .filter(
                    f -> f.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonProperty.class))
                .map(java.lang.reflect.Field::getName))
        .containsExactlyInAnyOrderElementsOf(IntegrationFile.KEYS);
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
          + " \"maxAccessDuration\": \"PT8H\","
          + " \"integrationOwners\": {\"entra group\": \"dba-team, oncall\"},"
          + " \"resourceOwners\": {\"owner\": \"entra user\"},"
          + " \"resourceTags\": {\"orders/sales/*\": {\"owner\": \"bob@example.com\"}}}";

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
    assertThat(i.integrationOwners())
        .containsExactly(
            io.grantsmith.api.IntegrationOwner.of("entra group", "dba-team", "oncall"));
    assertThat(i.resourceOwners())
        .containsExactly(io.grantsmith.api.ResourceOwner.of("owner", "entra user"));
    assertThat(o.resourceTags())
        .isEqualTo(Map.of("orders/sales/*", Map.of("owner", "bob@example.com")));
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
            "maxAccessDuration",
            "integrationOwners",
            "resourceOwners",
            "resourceTags");
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
