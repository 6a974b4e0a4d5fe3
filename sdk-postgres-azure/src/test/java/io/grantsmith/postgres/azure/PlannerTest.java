package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Membership;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleInfo;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final ResourceRef T1 = ResourceRef.relation("shop", "s", "t1");
  private static final ResourceRef T2 = ResourceRef.relation("shop", "s", "t2");
  private static final ResourceRef SCHEMA = ResourceRef.schema("shop", "s");

  private static CatalogSnapshot.Builder shop(int version) {
    return CatalogSnapshot.builder()
        .database("shop")
        .serverVersionNum(version)
        .addObject(ResourceRef.database("shop"))
        .addObject(SCHEMA)
        .addObject(T1)
        .addObject(T2);
  }

  private static Grant grant(String who, ResourceRef on, Privilege... p) {
    return Grant.builder().grantee(who).resource(on).addPrivileges(p).build();
  }

  private static List<String> sql(Plan plan) {
    return plan.statements().stream().map(Statement::redacted).collect(Collectors.toList());
  }

  @Test
  void newRoleIsCreatedFirstGrantedInItsDatabaseAndGivenLoginLast() {
    DesiredState desired =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name("alice").login(true).addMemberOf("auditors").build())
            .addGrant(grant("alice", ResourceRef.database("shop"), Privilege.CONNECT))
            .addGrant(grant("alice", SCHEMA, Privilege.USAGE))
            .addGrant(grant("alice", T1, Privilege.SELECT))
            .addGrant(grant("alice", T2, Privilege.SELECT))
            .build();
    Plan plan = Planner.builder().build().plan(desired, List.of(shop(170000).build()));

    assertThat(plan.steps())
        .extracting(s -> s.database() + ": " + s.description())
        .containsExactly(
            "postgres: roles, memberships and database privileges",
            "shop: privileges in database shop",
            "postgres: enable login");
    assertThat(sql(plan))
        .containsExactly(
            "CREATE ROLE alice WITH NOLOGIN INHERIT CONNECTION LIMIT -1",
            "GRANT auditors TO alice",
            "GRANT CONNECT ON DATABASE shop TO alice",
            "GRANT USAGE ON SCHEMA s TO alice",
            "GRANT SELECT ON TABLE s.t1, s.t2 TO alice",
            "ALTER ROLE alice WITH LOGIN");
  }

  @Test
  void whatIsAlreadyHeldIsNotGrantedAgainAndWhatIsNoLongerWantedIsRevoked() {
    CatalogSnapshot snap =
        shop(160000)
            .addAllRoles(List.of(RoleInfo.builder().name("alice").login(true).build()))
            .addAllMemberships(List.of(Membership.of("auditors", "alice")))
            .addGrant(grant("alice", T1, Privilege.SELECT, Privilege.INSERT))
            .addGrant(
                Grant.builder()
                    .grantee("alice")
                    .resource(T2)
                    .addPrivilege(Privilege.SELECT)
                    .withGrantOption(true)
                    .build())
            .build();
    DesiredState desired =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name("alice").login(true).build())
            .addGrant(grant("alice", T1, Privilege.SELECT))
            .addGrant(grant("alice", T2, Privilege.SELECT))
            .build();
    assertThat(sql(Planner.builder().sharedDatabase("shop").build().plan(desired, List.of(snap))))
        .containsExactly(
            "REVOKE auditors FROM alice",
            "REVOKE INSERT ON TABLE s.t1 FROM alice",
            "REVOKE GRANT OPTION FOR SELECT ON TABLE s.t2 FROM alice");
  }

  @Test
  void grantsToRolesThatAreNotAuthoritativeAreOnlyAdded() {
    CatalogSnapshot snap = shop(170000).addGrant(grant("bob", T1, Privilege.DELETE)).build();
    DesiredState desired =
        DesiredState.builder().addGrant(grant("bob", T2, Privilege.SELECT)).build();
    assertThat(sql(Planner.builder().build().plan(desired, List.of(snap))))
        .containsExactly("GRANT SELECT ON TABLE s.t2 TO bob");
  }

  @Test
  void maintainIsLeftOutBeforeSeventeen() {
    DesiredState desired =
        DesiredState.builder()
            .addGrant(grant("bob", T1, Privilege.SELECT, Privilege.MAINTAIN))
            .build();
    assertThat(sql(Planner.builder().build().plan(desired, List.of(shop(160004).build()))))
        .containsExactly("GRANT SELECT ON TABLE s.t1 TO bob");
    assertThat(sql(Planner.builder().build().plan(desired, List.of(shop(170000).build()))))
        .containsExactly("GRANT SELECT, MAINTAIN ON TABLE s.t1 TO bob");
  }

  @Test
  void largeObjectListsAreSplitIntoChunks() {
    DesiredState desired =
        DesiredState.builder()
            .addGrant(grant("bob", T1, Privilege.SELECT))
            .addGrant(grant("bob", T2, Privilege.SELECT))
            .build();
    assertThat(
            sql(
                Planner.builder()
                    .maxObjectsPerStatement(1)
                    .build()
                    .plan(desired, List.of(shop(170000).build()))))
        .containsExactly("GRANT SELECT ON TABLE s.t1 TO bob", "GRANT SELECT ON TABLE s.t2 TO bob");
  }

  @Test
  void grantsOnObjectsThatDoNotExistAreRefusedBeforeAnySql() {
    DesiredState desired =
        DesiredState.builder()
            .addGrant(grant("bob", ResourceRef.relation("shop", "s", "gone"), Privilege.SELECT))
            .build();
    assertThatThrownBy(() -> Planner.builder().build().plan(desired, List.of(shop(170000).build())))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("shop/s.gone");
    DesiredState elsewhere =
        DesiredState.builder()
            .addGrant(grant("bob", ResourceRef.relation("other", "s", "t"), Privilege.SELECT))
            .build();
    assertThatThrownBy(
            () -> Planner.builder().build().plan(elsewhere, List.of(shop(170000).build())))
        .hasMessageContaining("\"other\"");
  }
}
