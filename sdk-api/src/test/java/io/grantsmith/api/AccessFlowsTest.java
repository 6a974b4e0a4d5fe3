package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessFlowsTest {
  /** A Monday, 10:00 in Berlin. */
  static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

  static final Integration PROD =
      Integration.builder()
          .name("orders-prod")
          .hostname("orders-prod.postgres.database.azure.com")
          .addIntegrationOwner(IntegrationOwner.of("okta group", "dba-team"))
          .addResourceOwner(ResourceOwner.of("owner", "okta user"))
          .build();

  static final IdentityDirectory DIRECTORY =
      IdentityDirectory.of(
          Map.of(
              "support", Set.of("alice@example.com", "dave@example.com"),
              "dba-team", Set.of("bob@example.com"),
              "sales-leads", Set.of("carol@example.com")));

  static final ResourceTags TAGS =
      ResourceTags.of(Map.of("orders/sales/*", Map.of("owner", "sales-leads")));

  static AccessFlow.Builder flow() {
    return AccessFlow.builder()
        .name("orders-read")
        .addRequester("support")
        .integration("orders-prod")
        .addResource("orders/*")
        .maxLevel(AccessLevel.READ_ONLY)
        .maxDuration(Duration.ofHours(4))
        .approval(ApprovalRule.anyOf(Approver.resourceOwners()));
  }

  static AccessRequest.Builder request() {
    return request(ResourceRef.relation("orders", "sales", "items"));
  }

  static AccessRequest.Builder request(ResourceRef resource) {
    return AccessRequest.builder()
        .requestId("REQ-7")
        .grantee("alice@example.com")
        .integration(PROD)
        .addResource(resource)
        .duration(Duration.ofHours(2));
  }

  static AccessFlows flows(AccessFlow... flows) {
    return AccessFlows.builder().addFlows(flows).directory(DIRECTORY).resourceTags(TAGS).build();
  }

  static Authorization alice(Approval... approvals) {
    return Authorization.builder().requester("alice@example.com").addApprovals(approvals).build();
  }

  static Approval by(String who) {
    return Approval.of(who, NOW.minusSeconds(60), "REQ-7");
  }

  @Test
  void anAutomaticFlowApprovesWithoutApprovals() {
    FlowDecision d =
        flows(flow().approval(ApprovalRule.automatic()).build())
            .evaluate(request().build(), alice(), NOW);

    assertThat(d).isEqualTo(new FlowDecision.Approved("orders-read", List.of()));
    assertThat(d.isApproved()).isTrue();
    assertThat(d.describe()).isEqualTo("approved automatically by flow orders-read");
  }

  @Test
  void withoutApprovalsTheDecisionNamesTheResourceOwnersFromTheTag() {
    FlowDecision d = flows(flow().build()).evaluate(request().build(), alice(), NOW);

    assertThat(d)
        .isEqualTo(
            new FlowDecision.NeedsApproval(
                List.of(
                    new FlowDecision.Pending(
                        "orders-read",
                        ApprovalRule.anyOf(Approver.resourceOwners()),
                        List.of("sales-leads"),
                        List.of(Approver.resourceOwners())))));
    assertThat(d.describe())
        .isEqualTo(
            "needs approval: flow orders-read (any-of[resource-owners]) still needs one of"
                + " [resource-owners], eligible: [sales-leads]");
  }

  @Test
  void aMemberOfTheOwningGroupApproves() {
    Approval carol = by("carol@example.com");

    FlowDecision d = flows(flow().build()).evaluate(request().build(), alice(carol), NOW);

    assertThat(d).isEqualTo(new FlowDecision.Approved("orders-read", List.of(carol)));
    assertThat(d.describe())
        .isEqualTo("approved by flow orders-read with the approval of carol@example.com");
  }

  @Test
  void anIntegrationOwnerDoesNotApproveAResourceThatHasAnOwner() {
    FlowDecision d =
        flows(flow().build()).evaluate(request().build(), alice(by("bob@example.com")), NOW);

    assertThat(d).isInstanceOf(FlowDecision.NeedsApproval.class);
  }

  @Test
  void integrationOwnersApproveAResourceWithoutAnOwnerTag() {
    AccessRequest ops = request(ResourceRef.schema("orders", "ops")).build();

    assertThat(flows(flow().build()).evaluate(ops, alice(by("carol@example.com")), NOW))
        .isInstanceOf(FlowDecision.NeedsApproval.class);
    assertThat(flows(flow().build()).evaluate(ops, alice(by("bob@example.com")), NOW).isApproved())
        .isTrue();
  }

  @Test
  void everyRequestedResourceNeedsOneOfItsOwnOwners() {
    AccessRequest both = request().addResource(ResourceRef.schema("orders", "ops")).build();
    AccessFlows flows = flows(flow().build());

    assertThat(flows.evaluate(both, alice(by("carol@example.com")), NOW).isApproved()).isFalse();
    assertThat(flows.evaluate(both, alice(by("bob@example.com")), NOW).isApproved()).isFalse();
    assertThat(
            flows
                .evaluate(both, alice(by("carol@example.com"), by("bob@example.com")), NOW)
                .isApproved())
        .isTrue();
  }

  @Test
  void withoutResourceOwnersOnTheIntegrationTheIntegrationOwnersApprove() {
    Integration noTags =
        Integration.builder()
            .name("orders-prod")
            .hostname("orders-prod.postgres.database.azure.com")
            .addIntegrationOwner(IntegrationOwner.of("okta group", "dba-team"))
            .build();
    AccessRequest r = request().integration(noTags).build();

    FlowDecision d = flows(flow().build()).evaluate(r, alice(by("bob@example.com")), NOW);

    assertThat(d.isApproved()).isTrue();
  }

  @Test
  void tagValuesMayNameSeveralOwnersAndTheMostSpecificPatternWins() {
    ResourceTags tags =
        ResourceTags.of(
            Map.of(
                "*", Map.of("owner", "nobody@example.com", "cost-center", "42"),
                "orders/*", Map.of("owner", "erin@example.com, frank@example.com"),
                "orders/sales/items", Map.of("owner", "carol@example.com")));

    assertThat(tags.tags(PROD, ResourceRef.relation("orders", "sales", "items")))
        .isEqualTo(Map.of("owner", "carol@example.com", "cost-center", "42"));
    assertThat(tags.tags(PROD, ResourceRef.schema("orders", "ops")))
        .isEqualTo(Map.of("owner", "erin@example.com, frank@example.com", "cost-center", "42"));
    assertThat(tags.tags(PROD, ResourceRef.server()))
        .isEqualTo(Map.of("owner", "nobody@example.com", "cost-center", "42"));
    AccessFlows flows =
        AccessFlows.builder()
            .addFlow(flow().build())
            .directory(DIRECTORY)
            .resourceTags(tags)
            .build();
    AccessRequest ops = request(ResourceRef.schema("orders", "ops")).build();
    assertThat(flows.evaluate(ops, alice(by("frank@example.com")), NOW).isApproved()).isTrue();
  }

  @Test
  void allOfNeedsEveryApproverAndOneApprovalCountsForEveryApproverItSatisfies() {
    AccessFlow fourEyes =
        flow()
            .approval(
                ApprovalRule.allOf(
                    Approver.identity("erin@example.com"), Approver.group("dba-team")))
            .build();

    FlowDecision one =
        flows(fourEyes).evaluate(request().build(), alice(by("erin@example.com")), NOW);
    assertThat(one).isInstanceOf(FlowDecision.NeedsApproval.class);
    assertThat(((FlowDecision.NeedsApproval) one).pending().get(0).missing())
        .containsExactly(Approver.group("dba-team"));

    FlowDecision two =
        flows(fourEyes)
            .evaluate(request().build(), alice(by("erin@example.com"), by("bob@example.com")), NOW);
    assertThat(two.isApproved()).isTrue();
    assertThat(((FlowDecision.Approved) two).approvals()).hasSize(2);
  }

  @Test
  void theRequesterCannotApproveEvenAsAnOwner() {
    AccessFlow flow = flow().approval(ApprovalRule.anyOf(Approver.group("support"))).build();
    Authorization self =
        Authorization.builder()
            .requester("dave@example.com")
            .addApproval(by("dave@example.com"))
            .build();
    AccessRequest forAlice = request().build();

    assertThat(flows(flow).evaluate(forAlice, self, NOW).isApproved()).isFalse();
    // The grantee cannot approve their own access either.
    assertThat(flows(flow).evaluate(forAlice, alice(by("alice@example.com")), NOW).isApproved())
        .isFalse();
    // Another member of the group can.
    Authorization daveAsks =
        Authorization.builder()
            .requester("dave@example.com")
            .addApproval(by("alice@example.com"))
            .build();
    AccessRequest forDave = request().grantee("dave@example.com").build();
    assertThat(flows(flow).evaluate(forDave, daveAsks, NOW).isApproved()).isTrue();
  }

  @Test
  void anApprovalForAnotherRequestOrFromTheFutureCountsForNothing() {
    AccessFlows flows = flows(flow().build());
    Approval other = Approval.of("carol@example.com", NOW.minusSeconds(5), "REQ-8");
    Approval later = Approval.of("carol@example.com", NOW.plusSeconds(5), "REQ-7");

    assertThat(flows.evaluate(request().build(), alice(other, later), NOW).isApproved()).isFalse();
  }

  @Test
  void eachRefusalNamesTheFlowAndTheField() {
    AccessFlows flows = flows(flow().justificationRequired(true).build());

    assertThat(denial(flows, request().level(AccessLevel.ADMIN).build(), alice()))
        .isEqualTo("denied: flow orders-read, maxLevel: admin is higher than read-only");
    assertThat(denial(flows, request().duration(Duration.ofHours(5)).build(), alice()))
        .isEqualTo("denied: flow orders-read, maxDuration: PT5H is longer than PT4H");
    assertThat(
            denial(flows, request().addResource(ResourceRef.database("billing")).build(), alice()))
        .isEqualTo("denied: flow orders-read, resources: billing matches none of [orders/*]");
    assertThat(denial(flows, request().build(), Authorization.of("mallory@example.com")))
        .isEqualTo(
            "denied: flow orders-read, requesters: mallory@example.com may not request this flow");
    assertThat(denial(flows, request().grantee("mallory@example.com").build(), alice()))
        .isEqualTo(
            "denied: flow orders-read, requesters: mallory@example.com may not be granted this"
                + " flow");
    assertThat(denial(flows, request().build(), alice()))
        .isEqualTo("denied: flow orders-read, justificationRequired: a justification is required");
    assertThat(
            denial(
                flows,
                request().build(),
                Authorization.builder().from(alice()).justification(" ").build()))
        .endsWith("justificationRequired: a justification is required");
  }

  @Test
  void theJustificationMayComeFromTheAuthorizationOrTheRequest() {
    AccessFlows flows =
        flows(flow().justificationRequired(true).approval(ApprovalRule.automatic()).build());

    assertThat(
            flows
                .evaluate(
                    request().build(),
                    Authorization.builder().from(alice()).justification("INC-311").build(),
                    NOW)
                .isApproved())
        .isTrue();
    assertThat(
            flows.evaluate(request().justification("INC-311").build(), alice(), NOW).isApproved())
        .isTrue();
  }

  @Test
  void aFlowWithATimeWindowAppliesOnlyInsideIt() {
    TimeWindow office =
        TimeWindow.builder()
            .addDays(DayOfWeek.MONDAY, DayOfWeek.TUESDAY)
            .start(LocalTime.of(8, 0))
            .end(LocalTime.of(18, 0))
            .zone(ZoneId.of("Europe/Berlin"))
            .build();
    AccessFlows flows = flows(flow().approval(ApprovalRule.automatic()).window(office).build());

    assertThat(flows.evaluate(request().build(), alice(), NOW).isApproved()).isTrue();
    FlowDecision evening =
        flows.evaluate(request().build(), alice(), Instant.parse("2026-03-02T17:30:00Z"));
    assertThat(evening.describe())
        .isEqualTo(
            "denied: flow orders-read, window: 2026-03-02T17:30:00Z is outside [MONDAY, TUESDAY]"
                + " 08:00-18:00 Europe/Berlin");
  }

  @Test
  void anyMatchingFlowMayApproveAndAPendingFlowBeatsARefusal() {
    AccessFlow needsOwner = flow().build();
    AccessFlow shortAutomatic =
        flow()
            .name("orders-peek")
            .maxDuration(Duration.ofMinutes(30))
            .approval(ApprovalRule.automatic())
            .build();
    AccessFlows both = flows(needsOwner, shortAutomatic);

    FlowDecision quick =
        both.evaluate(request().duration(Duration.ofMinutes(20)).build(), alice(), NOW);
    assertThat(quick).isEqualTo(new FlowDecision.Approved("orders-peek", List.of()));

    FlowDecision longer = both.evaluate(request().build(), alice(), NOW);
    assertThat(longer).isInstanceOf(FlowDecision.NeedsApproval.class);
    assertThat(((FlowDecision.NeedsApproval) longer).pending())
        .extracting(FlowDecision.Pending::flow)
        .containsExactly("orders-read");

    FlowDecision tooLong =
        both.evaluate(request().duration(Duration.ofHours(6)).build(), alice(), NOW);
    assertThat(((FlowDecision.Denied) tooLong).reasons())
        .extracting(r -> r.flow().get() + "." + r.field())
        .containsExactly("orders-read.maxDuration", "orders-peek.maxDuration");
  }

  @Test
  void flowsOfOtherIntegrationsAreIgnored() {
    AccessFlows flows = flows(flow().integration("billing-prod").build());

    assertThat(flows.evaluate(request().build(), alice(), NOW).describe())
        .isEqualTo("denied: integration: no access flow is defined for integration orders-prod");
  }

  @Test
  void anyoneMayRequestAFlowThatNamesStar() {
    AccessFlows flows =
        flows(flow().requesters(List.of("*")).approval(ApprovalRule.automatic()).build());

    assertThat(
            flows
                .evaluate(
                    request().grantee("zed@example.com").build(),
                    Authorization.of("zed@example.com"),
                    NOW)
                .isApproved())
        .isTrue();
  }

  @Test
  void flowNamesAreUnique() {
    assertRejects(
        () -> AccessFlows.builder().addFlows(flow().build(), flow().build()).build(),
        "AccessFlows.flows",
        "orders-read");
  }

  @Test
  void aNotApprovedExceptionCarriesTheDecision() {
    FlowDecision d = flows(flow().build()).evaluate(request().build(), alice(), NOW);

    AccessNotApprovedException e = new AccessNotApprovedException("REQ-7", d);

    assertThat(e.decision()).isSameAs(d);
    assertThat(e).hasMessage("access request REQ-7 is not approved: " + d.describe());
    assertThat(e).isInstanceOf(GrantsmithException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new AccessNotApprovedException(new FlowDecision.Approved("orders-read", List.of())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String denial(AccessFlows flows, AccessRequest r, Authorization a) {
    FlowDecision d = flows.evaluate(r, a, NOW);
    assertThat(d).isInstanceOf(FlowDecision.Denied.class);
    return d.describe();
  }
}
