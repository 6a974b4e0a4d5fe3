package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.grant;
import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GrantTest {
  private static final Map<ResourceKind, ResourceRef> SAMPLE =
      Map.of(
          ResourceKind.DATABASE, ResourceRef.database("orders"),
          ResourceKind.SCHEMA, ResourceRef.schema("orders", "sales"),
          ResourceKind.RELATION, ResourceRef.relation("orders", "sales", "invoices"),
          ResourceKind.SEQUENCE, ResourceRef.sequence("orders", "sales", "invoice_seq"),
          ResourceKind.FUNCTION, ResourceRef.function("orders", "sales", "total", "integer"));

  static Stream<Arguments> privilegesAndGrantableKinds(boolean applying) {
    return Stream.of(Privilege.values())
        .flatMap(
            p ->
                SAMPLE.keySet().stream()
                    .filter(k -> p.appliesTo(k) == applying)
                    .map(k -> Arguments.of(p, SAMPLE.get(k))));
  }

  static Stream<Arguments> applying() {
    return privilegesAndGrantableKinds(true);
  }

  static Stream<Arguments> notApplying() {
    return privilegesAndGrantableKinds(false);
  }

  @Test
  void grantKeepsItsPartsAndReadsLikeSql() {
    Grant g = grant().addPrivilege(Privilege.INSERT).build();

    assertThat(g.grantee()).isEqualTo("alice");
    assertThat(g.resource()).isEqualTo(ResourceRef.relation("orders", "sales", "invoices"));
    assertThat(g.privileges()).containsExactlyInAnyOrder(Privilege.SELECT, Privilege.INSERT);
    assertThat(g.withGrantOption()).isFalse();
    assertThat(g).hasToString("INSERT,SELECT on orders/sales.invoices to alice");
    assertThat(grant().withGrantOption(true).build())
        .hasToString("SELECT on orders/sales.invoices to alice with grant option");
  }

  @ParameterizedTest
  @MethodSource("applying")
  void privilegeThatAppliesToTheKindBuilds(Privilege privilege, ResourceRef resource) {
    Grant g = Grant.builder().grantee("alice").resource(resource).addPrivilege(privilege).build();
    assertThat(g.privileges()).containsExactly(privilege);
  }

  @ParameterizedTest
  @MethodSource("notApplying")
  void privilegeThatDoesNotApplyToTheKindFailsToBuild(Privilege privilege, ResourceRef resource) {
    assertRejects(
            () ->
                Grant.builder().grantee("alice").resource(resource).addPrivilege(privilege).build(),
            "Grant.privileges",
            privilege)
        .hasMessageContaining("must apply to a " + resource.kind().name().toLowerCase(Locale.ROOT));
  }

  @Test
  void oneBadPrivilegeAmongGoodOnesFailsTheGrant() {
    assertRejects(
            () -> grant().addPrivileges(Privilege.INSERT, Privilege.EXECUTE).build(),
            "Grant.privileges",
            Privilege.EXECUTE)
        .hasMessageContaining("EXECUTE applies to [FUNCTION]");
  }

  @Test
  void serverAndRoleResourcesAreRejected() {
    for (ResourceRef notGrantable : List.of(ResourceRef.server(), ResourceRef.role("auditors"))) {
      assertRejects(() -> grant().resource(notGrantable).build(), "Grant.resource", notGrantable)
          .hasMessageContaining("must be a database, schema, relation, sequence or function");
    }
  }

  @Test
  void emptyPrivilegesAreRejected() {
    assertRejects(
            () -> Grant.builder().grantee("alice").resource(ResourceRef.database("orders")).build(),
            "Grant.privileges",
            Set.of())
        .hasMessage("Grant.privileges must hold at least one privilege, but was []");
  }

  @Test
  void granteeMustBeAValidIdentifier() {
    assertRejects(() -> grant().grantee("").build(), "Grant.grantee", "");
    String tooLong = repeat('g', 64);
    assertRejects(() -> grant().grantee(tooLong).build(), "Grant.grantee", tooLong);
    assertThat(grant().grantee("PUBLIC").build().grantee()).isEqualTo("PUBLIC");
  }

  @Test
  void grantsAreEqualWhenAllPartsAre() {
    assertThat(grant().build())
        .isEqualTo(grant().build())
        .isNotEqualTo(grant().withGrantOption(true).build())
        .isNotEqualTo(grant().grantee("bob").build());
  }
}
