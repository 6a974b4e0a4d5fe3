package io.grantsmith.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.AccessFlows;
import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Approval;
import io.grantsmith.api.ApprovalRule;
import io.grantsmith.api.Approver;
import io.grantsmith.api.Authorization;
import io.grantsmith.api.FlowDecision;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.IntegrationOwner;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.ResourceOwner;
import io.grantsmith.api.ResourceRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlowsFileTest {
  /** The example the README walks through. */
  static final Path EXAMPLE = Path.of("..", "samples", "flows", "orders-flows.json");

  /** Monday 10:00 in Berlin. */
  static final Instant MONDAY = Instant.parse("2026-03-02T09:00:00Z");

  static final Instant SATURDAY = Instant.parse("2026-03-07T09:00:00Z");

  static final Integration PROD =
      Integration.builder()
          .name("orders-prod")
          .hostname("orders-prod.postgres.database.azure.com")
          .addIntegrationOwner(IntegrationOwner.of("okta group", "dba-team"))
          .addResourceOwner(ResourceOwner.of("owner", "okta group"))
          .build();

  static AccessRequest.Builder items() {
    return AccessRequest.builder()
        .requestId("REQ-1042")
        .grantee("alice@example.com")
        .integration(PROD)
        .addResource(ResourceRef.relation("orders", "sales", "items"))
        .duration(Duration.ofMinutes(20));
  }

  static Authorization alice(String... approvers) {
    Authorization.Builder b =
        Authorization.builder().requester("alice@example.com").justification("INC-311");
    for (String a : approvers) {
      b.addApproval(Approval.of(a, MONDAY.minusSeconds(60), "REQ-1042"));
    }
    return b.build();
  }

  @Test
  void theExampleFileReadsAsTheFlowsItDescribes() {
    FlowsFile file = FlowsFile.read(EXAMPLE);

    assertThat(file.flows())
        .extracting(f -> f.name())
        .containsExactly("orders-read", "orders-peek", "orders-write");
    assertThat(file.groups())
        .containsEntry("support", Set.of("alice@example.com", "dave@example.com"));
    assertThat(file.resourceTags()).containsEntry("orders/sales/*", Map.of("owner", "sales-leads"));
    var read = file.flows().get(0);
    assertThat(read.requesters()).containsExactly("support");
    assertThat(read.resources()).containsExactly("orders/sales", "orders/sales/*");
    assertThat(read.maxLevel()).isEqualTo(AccessLevel.READ_ONLY);
    assertThat(read.maxDuration()).isEqualTo(Duration.ofHours(4));
    assertThat(read.approval()).isEqualTo(ApprovalRule.anyOf(Approver.resourceOwners()));
    assertThat(read.justificationRequired()).isTrue();
    var peek = file.flows().get(1);
    assertThat(peek.approval().isAutomatic()).isTrue();
    assertThat(peek.window().get().days())
        .containsExactlyInAnyOrder(
            DayOfWeek.MONDAY,
            DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY,
            DayOfWeek.FRIDAY);
    assertThat(peek.window().get().start()).isEqualTo(LocalTime.of(8, 0));
    assertThat(peek.window().get().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(file.flows().get(2).approval())
        .isEqualTo(ApprovalRule.allOf(Approver.resourceOwners(), Approver.integrationOwners()));
  }

  @Test
  void theExampleFileDecidesTheWalkThroughsRequests() {
    AccessFlows flows = FlowsFile.read(EXAMPLE).accessFlows();

    // A short look during office hours: automatic.
    assertThat(flows.evaluate(items().build(), alice(), MONDAY))
        .isEqualTo(new FlowDecision.Approved("orders-peek", java.util.List.of()));
    // On Saturday the same request waits for a sales lead (orders-read) or for a sales lead and
    // the DBA team (orders-write).
    FlowDecision saturday = flows.evaluate(items().build(), alice(), SATURDAY);
    assertThat(saturday).isInstanceOf(FlowDecision.NeedsApproval.class);
    assertThat(((FlowDecision.NeedsApproval) saturday).pending())
        .extracting(p -> p.flow() + " " + p.eligible())
        .containsExactly("orders-read [sales-leads]", "orders-write [sales-leads, dba-team]");
    // Carol, a sales lead, approves: orders-read grants it.
    assertThat(flows.evaluate(items().build(), alice("carol@example.com"), SATURDAY).describe())
        .isEqualTo("approved by flow orders-read with the approval of carol@example.com");
    // Writing needs both the owner and the DBA team.
    AccessRequest write =
        items().level(AccessLevel.READ_WRITE).duration(Duration.ofHours(1)).build();
    assertThat(flows.evaluate(write, alice("carol@example.com"), MONDAY).isApproved()).isFalse();
    assertThat(
            flows.evaluate(write, alice("carol@example.com", "bob@example.com"), MONDAY).describe())
        .isEqualTo(
            "approved by flow orders-write with the approval of carol@example.com,"
                + " bob@example.com");
    // Nothing covers billing.
    AccessRequest billing =
        AccessRequest.builder().from(items().build()).requestId("REQ-1042").build();
    billing =
        AccessRequest.builder()
            .requestId("REQ-1042")
            .grantee("alice@example.com")
            .integration(PROD)
            .addResource(ResourceRef.schema("billing", "main"))
            .duration(Duration.ofMinutes(20))
            .build();
    assertThat(flows.evaluate(billing, alice("carol@example.com"), MONDAY))
        .isInstanceOf(FlowDecision.Denied.class);
  }

  static final String FLOW =
      "{\"name\":\"f\",\"integration\":\"orders-prod\",\"requesters\":[\"support\"],"
          + "\"resources\":[\"orders/*\"],\"maxLevel\":\"read-only\",\"maxDuration\":\"PT1H\","
          + "\"approval\":\"automatic\"";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // whole-file problems
        "`[]`| document | must be a JSON object",
        "`{\"flows\":[]} {}`| flows file | must be valid JSON",
        "`{\"flows\":[], \"flows\":[]}`| flows file | must be valid JSON",
        "`{}`| flows | is required",
        "`{\"flows\":[],\"version\":2}`| version | must be 1",
        "`{\"flows\":[],\"extra\":1}`| extra | is not a known key",
        "`{\"flows\":{}}`| flows | must be a JSON array",
        // a flow's fields
        "`{\"flows\":[" + "X" + "]}`| flows[0] | must be a JSON object",
      })
  void aBadFileIsRefusedNamingTheJsonPath(String json, String field, String rule) {
    assertRefused(json, field, rule);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "`,\"colour\":\"red\"` | flows[0].colour | is not a known key",
        "`,\"maxDuration\":\"4 hours\"` | flows[0].maxDuration | must be an ISO-8601 duration",
        "`,\"maxDuration\":\"PT30S\"` | flows[0].maxDuration | of at least one minute",
        "`,\"maxDuration\":4` | flows[0].maxDuration | must be a JSON string",
        "`,\"maxLevel\":\"root\"` | flows[0].maxLevel | must be one of read-only",
        "`,\"approval\":\"never\"` | flows[0].approval | must be \"automatic\"",
        "`,\"approval\":{\"anyOf\":[]}` | flows[0].approval.anyOf | must not be empty",
        "`,\"approval\":{\"anyOf\":[\"owner\"]}` | flows[0].approval.anyOf[0] | must be resource-owners",
        "`,\"approval\":{\"anyOf\":[\"group:a\"],\"allOf\":[\"group:b\"]}` | flows[0].approval | exactly one",
        "`,\"approval\":{\"anyOf\":[\"group:a\",\"group:a\"]}` | flows[0].approval.anyOf | must not repeat",
        "`,\"resources\":[\"orders/**\"]` | flows[0].resources[0] | may hold * only",
        "`,\"resources\":[]` | flows[0].resources | must not be empty",
        "`,\"requesters\":[\" \"]` | flows[0].requesters[0] | must not be blank",
        "`,\"name\":\"9lives\"` | flows[0].name | must be a letter",
        "`,\"justificationRequired\":\"yes\"` | flows[0].justificationRequired | must be true or false",
        "`,\"window\":{\"days\":[\"mon\"],\"start\":\"8:00\",\"end\":\"18:00\",\"zone\":\"UTC\"}` | flows[0].window.start | HH:MM",
        "`,\"window\":{\"days\":[\"moon\"],\"start\":\"08:00\",\"end\":\"18:00\",\"zone\":\"UTC\"}` | flows[0].window.days[0] | day of the week",
        "`,\"window\":{\"days\":[\"mon\"],\"start\":\"08:00\",\"end\":\"18:00\",\"zone\":\"Mars/Base\"}` | flows[0].window.zone | time zone",
        "`,\"window\":{\"days\":[\"mon\"],\"start\":\"08:00\",\"end\":\"08:00\",\"zone\":\"UTC\"}` | flows[0].window.end | must differ",
        "`,\"window\":{\"days\":[\"mon\"],\"start\":\"08:00\",\"end\":\"18:00\"}` | flows[0].window.zone | is required",
      })
  void aBadFlowIsRefusedNamingTheJsonPath(String extra, String field, String rule) {
    // Later keys replace nothing: a duplicate key is its own error, so each case sets a key the
    // base flow lacks, or the base flow is written without it.
    String base = FLOW;
    String key = extra.substring(2, extra.indexOf('"', 2));
    base = base.replaceAll(",?\"" + key + "\":(\"[^\"]*\"|\\[[^\\]]*\\])", "");
    if (base.startsWith("{,")) {
      base = "{" + base.substring(2);
    }
    assertRefused("{\"flows\":[" + base + extra + "}]}", field, rule);
  }

  @Test
  void groupsAndTagsAreCheckedToo() {
    assertRefused(
        "{\"flows\":[],\"groups\":{\"dba\":\"bob\"}}", "groups.dba", "must be a JSON array");
    assertRefused(
        "{\"flows\":[],\"resourceTags\":{\"orders/**\":{}}}",
        "resourceTags[\"orders/**\"]",
        "may hold * only");
    assertRefused(
        "{\"flows\":[],\"resourceTags\":{\"orders\":{\"owner\":7}}}",
        "resourceTags.orders.owner",
        "must be a JSON string");
  }

  @Test
  void flowNamesAreUniqueInAFile() {
    assertRefused("{\"flows\":[" + FLOW + "}," + FLOW + "}]}", "flows[1].name", "must be unique");
  }

  @Test
  void aFileThatIsNotUtf8OrTooLargeIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path latin1 = dir.resolve("latin1.json");
    Files.write(latin1, "{\"flows\":[], \"x\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> FlowsFile.read(latin1))
        .isInstanceOf(GrantsmithException.class)
        .hasMessageContaining("latin1.json is not UTF-8");
    Path big = dir.resolve("big.json");
    Files.write(big, new byte[FlowsFile.MAX_BYTES + 1]);
    assertThatThrownBy(() -> FlowsFile.read(big)).hasMessageContaining("is larger than");
    assertThatThrownBy(() -> FlowsFile.read(dir.resolve("missing.json")))
        .isInstanceOf(GrantsmithException.class)
        .hasMessageContaining("missing.json");
  }

  private static void assertRefused(String json, String field, String rule) {
    String realJson = json.replace("\"X\"", "\"x\"").replace("[X]", "[\"x\"]");
    assertThatThrownBy(() -> FlowsFile.parse(realJson))
        .isInstanceOf(InvalidValueException.class)
        .satisfies(
            e -> {
              assertThat(((InvalidValueException) e).field()).isEqualTo(field);
              if (rule != null) {
                assertThat(e.getMessage()).contains(rule);
              }
            });
  }
}
