package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Validation and rendering of the governance values. */
class GovernanceValuesTest {
  static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void aFlowRefusesEachBadFieldByName() {
    assertRejects(() -> AccessFlowsTest.flow().name("9lives").build(), "AccessFlow.name", "9lives");
    assertRejects(
        () -> AccessFlowsTest.flow().requesters(List.of()).build(),
        "AccessFlow.requesters",
        Set.of());
    assertRejects(
        () -> AccessFlowsTest.flow().addRequester(" ").build(), "AccessFlow.requesters", " ");
    assertRejects(
        () -> AccessFlowsTest.flow().integration("").build(), "AccessFlow.integration", "");
    assertRejects(
        () -> AccessFlowsTest.flow().resources(List.of()).build(),
        "AccessFlow.resources",
        List.of());
    assertRejects(
        () -> AccessFlowsTest.flow().addResource("orders/**").build(),
        "AccessFlow.resources",
        "orders/**");
    assertRejects(
        () -> AccessFlowsTest.flow().maxDuration(Duration.ofSeconds(59)).build(),
        "AccessFlow.maxDuration",
        Duration.ofSeconds(59));
  }

  @Test
  void aFlowDefaultsToNoJustificationAndNoWindow() {
    AccessFlow f = AccessFlowsTest.flow().build();

    assertThat(f.justificationRequired()).isFalse();
    assertThat(f.window()).isEmpty();
    assertThat(f.resourcePatterns()).containsExactly(ResourcePattern.parse("orders/*"));
  }

  @Test
  void approversAndRulesReadWell() {
    assertThat(Approver.identity("bob@example.com")).hasToString("identity:bob@example.com");
    assertThat(Approver.group("dba")).hasToString("group:dba");
    assertThat(ApprovalRule.automatic()).hasToString("automatic");
    assertThat(ApprovalRule.anyOf(Approver.resourceOwners(), Approver.integrationOwners()))
        .hasToString("any-of[resource-owners, integration-owners]");
    assertThat(ApprovalRule.allOf(Approver.group("dba")).mode())
        .isEqualTo(ApprovalRule.Mode.ALL_OF);
    assertThat(Approver.group("dba")).isEqualTo(Approver.group("dba"));
  }

  @Test
  void rulesAndApproversRefuseNonsense() {
    assertRejects(() -> ApprovalRule.anyOf(), "ApprovalRule.approvers", List.of());
    assertRejects(
        () -> ApprovalRule.allOf(Approver.group("a"), Approver.group("a")),
        "ApprovalRule.approvers",
        List.of(Approver.group("a"), Approver.group("a")));
    assertRejects(() -> Approver.identity(" "), "Approver.name", " ");
    assertRejects(() -> Approver.group("a\nb"), "Approver.name", "a\nb");
  }

  @Test
  void approvalsAndAuthorizationsRefuseBlankIdentities() {
    assertRejects(() -> Approval.of("", T, "REQ-1"), "Approval.approver", "");
    assertRejects(() -> Approval.of("bob", T, " "), "Approval.requestId", " ");
    assertRejects(() -> Authorization.of("\t"), "Authorization.requester", "\t");
    String tooLong = "x".repeat(1001);
    assertRejects(
        () -> Authorization.builder().requester("a").justification(tooLong).build(),
        "Authorization.justification",
        tooLong);
  }

  @Test
  void directoriesAnswerMembership() {
    IdentityDirectory d = IdentityDirectory.of(Map.of("dba", Set.of("bob")));

    assertThat(d.isMember("bob", "dba")).isTrue();
    assertThat(d.isMember("bob", "sales")).isFalse();
    assertThat(d.isMember("carol", "dba")).isFalse();
    assertThat(IdentityDirectory.none().isMember("bob", "dba")).isFalse();
    assertThat(ResourceTags.none().tags(AccessFlowsTest.PROD, ResourceRef.server())).isEmpty();
  }

  static AuditEvent.Builder event() {
    return AuditEvent.builder()
        .type(AuditEvent.Type.GRANTED)
        .time(T)
        .integration("orders-prod")
        .requestId("REQ-1")
        .outcome(AuditEvent.Outcome.SUCCESS);
  }

  @Test
  void anEventGetsAFreshIdAndTheCurrentSchemaVersion() {
    AuditEvent a = event().build();
    AuditEvent b = event().build();

    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.schemaVersion()).isEqualTo(AuditEvent.SCHEMA_VERSION).isEqualTo(1);
    UUID id = UUID.randomUUID();
    assertThat(AuditEvent.builder().from(a).id(id).build().id()).isEqualTo(id);
  }

  @Test
  void anEventRefusesBadFields() {
    assertRejects(
        () -> event().reason(AuditEvent.Reason.MANUAL).build(),
        "AuditEvent.reason",
        AuditEvent.Reason.MANUAL);
    assertRejects(() -> event().integration(" ").build(), "AuditEvent.integration", " ");
    assertRejects(() -> event().user("a\0b").build(), "AuditEvent.user", "a\0b");
    assertRejects(() -> event().schemaVersion(0).build(), "AuditEvent.schemaVersion", 0);
    assertThat(
            event()
                .type(AuditEvent.Type.REVOKED)
                .reason(AuditEvent.Reason.EXPIRED)
                .build()
                .reason())
        .contains(AuditEvent.Reason.EXPIRED);
  }

  @Test
  void allPublishesToEverySinkAndThrowsTheFirstFailureWithTheOthersSuppressed() {
    List<String> seen = new ArrayList<>();
    AuditSink first = e -> seen.add("first");
    AuditSink broken =
        e -> {
          throw new AuditException("disk full");
        };
    AuditSink alsoBroken =
        e -> {
          throw new IllegalStateException("closed");
        };
    AuditSink last = e -> seen.add("last");

    assertThatThrownBy(
            () -> AuditSink.all(first, broken, alsoBroken, last).publish(event().build()))
        .isInstanceOf(AuditException.class)
        .hasMessage("disk full")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .satisfies(s -> assertThat(s).hasMessageContaining("closed")));
    assertThat(seen).containsExactly("first", "last");
    AuditSink.none().publish(event().build());
  }
}
