package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessNotApprovedException;
import io.grantsmith.api.FlowDecision;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governance flags and {@code flows check}, which need no server. */
class GovernanceCliTest {

  @TempDir Path dir;

  /** Connection flags for a server that is never reached: each run fails before connecting. */
  static final String[] CONN = {
    "--host", "db.example.invalid", "--user", "grantsmith_connector", "--integration-name", "cli"
  };

  static final Map<String, String> ENV = Map.of("GRANTSMITH_PASSWORD", "pw");

  static String[] grant(String... more) {
    return CliIT.concat(
        new String[] {"grant"},
        CONN,
        CliIT.concat(
            new String[] {"--grantee", "alice@example.com", "--resource", "shop/sales"}, more));
  }

  @Test
  void flowsCheckListsAValidFileAndNamesTheFieldOfABadOne() throws IOException {
    Path flows = dir.resolve("flows.json");
    Files.writeString(flows, FlowsFiles.salesRead("shop"));
    CliTest.Result ok = CliTest.run(Map.of(), "flows", "check", flows.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("1 flow(s), valid").contains("sales-read");
    CliTest.Result json =
        CliTest.run(Map.of(), "flows", "check", flows.toString(), "--output", "json");
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(CliIT.parse(json.out())).containsKey("flows");

    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, FlowsFiles.salesRead("shop").replace("\"maxLevel\"", "\"maxLevle\""));
    CliTest.Result refused = CliTest.run(Map.of(), "flows", "check", bad.toString());
    assertThat(refused.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(refused.err()).contains(bad.toString()).contains("maxLevle").hasLineCount(1);

    CliTest.Result missing =
        CliTest.run(Map.of(), "flows", "check", dir.resolve("none.json").toString());
    assertThat(missing.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
  }

  @Test
  void governanceFlagsThatCannotWorkAreRefusedBeforeConnecting() throws IOException {
    Path flows = dir.resolve("flows.json");
    Files.writeString(flows, FlowsFiles.salesRead("shop"));
    CliTest.Result noRequester = CliTest.run(ENV, grant("--flows", flows.toString()));
    assertThat(noRequester.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(noRequester.err()).contains("--requester");

    CliTest.Result unchecked = CliTest.run(ENV, grant("--approved-by", "bob@example.com"));
    assertThat(unchecked.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(unchecked.err()).contains("--approved-by needs --flows");

    CliTest.Result noSecret =
        CliTest.run(ENV, grant("--audit-webhook", "https://audit.example.invalid/events"));
    assertThat(noSecret.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(noSecret.err()).contains(AuditOptions.SECRET_ENV);

    CliTest.Result notAUrl =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", "pw", AuditOptions.SECRET_ENV, "s3cret"),
            CliIT.concat(new String[] {"sweep"}, CONN, "--audit-webhook", "ftp://x/y"));
    assertThat(notAUrl.code()).isEqualTo(GrantsmithCli.BAD_INPUT);
    assertThat(notAUrl.err()).contains("--audit-webhook").doesNotContain("s3cret");
  }

  @Test
  void notApprovedHasItsOwnExitCode() {
    FlowDecision denied =
        new FlowDecision.Denied(
            List.of(new FlowDecision.Reason(Optional.of("sales-read"), "maxLevel", "too high")));
    StringWriter err = new StringWriter();
    int code =
        GrantsmithCli.report(
            new AccessNotApprovedException("REQ-7", denied), new PrintWriter(err, true));
    assertThat(code).isEqualTo(GrantsmithCli.NOT_APPROVED).isEqualTo(7);
    assertThat(err.toString()).contains("REQ-7").contains("sales-read").contains("maxLevel");
    assertThat(CliTest.run(Map.of(), "--help").out()).contains("7 not approved");
  }
}
