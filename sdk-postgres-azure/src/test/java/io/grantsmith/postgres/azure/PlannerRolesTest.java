package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleInfo;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.api.Statement;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How the planner changes an existing role: only what differs, LOGIN off before the rest. */
class PlannerRolesTest {
  private static final Instant T = Instant.parse("2030-01-02T03:04:05.123456Z");

  private static CatalogSnapshot with(RoleInfo role) {
    return CatalogSnapshot.builder()
        .database("postgres")
        .serverVersionNum(170000)
        .addObject(ResourceRef.database("postgres"))
        .addAllRoles(List.of(role))
        .build();
  }

  private static List<String> sql(DesiredState desired, CatalogSnapshot snap) {
    Plan plan = Planner.builder().build().plan(desired, List.of(snap));
    return plan.statements().stream().map(Statement::redacted).collect(Collectors.toList());
  }

  @Test
  void anUnchangedRoleNeedsNothing() {
    RoleInfo existing = RoleInfo.builder().name("u").login(true).validUntil(T).comment("c").build();
    assertThat(
            sql(
                DesiredState.builder()
                    .addRole(
                        RoleSpec.builder().name("u").login(true).validUntil(T).comment("c").build())
                    .build(),
                with(existing)))
        .isEmpty();
  }

  @Test
  void onlyWhatDiffersIsChangedAndLoginGoesOffFirst() {
    RoleInfo existing =
        RoleInfo.builder().name("u").login(true).validUntil(T).comment("old").build();
    List<String> sql =
        sql(
            DesiredState.builder()
                .addRole(
                    RoleSpec.builder()
                        .name("u")
                        .login(false)
                        .validUntil(T.plusSeconds(60))
                        .comment("new")
                        .password(Secret.of("Pw-1234567890"))
                        .build())
                .build(),
            with(existing));
    assertThat(sql).hasSize(4);
    assertThat(sql.get(0)).isEqualTo("ALTER ROLE u WITH NOLOGIN");
    assertThat(sql.subList(1, 4))
        .anySatisfy(
            s ->
                assertThat(s)
                    .isEqualTo("ALTER ROLE u WITH VALID UNTIL '2030-01-02 03:05:05.123456+00'"))
        .anySatisfy(s -> assertThat(s).contains("PASSWORD '****'"))
        .anySatisfy(s -> assertThat(s).isEqualTo("COMMENT ON ROLE u IS 'new'"));
  }

  @Test
  void theBuilderAndThePlanRefuseWhatCannotWork() {
    assertThatThrownBy(() -> Planner.builder().maxObjectsPerStatement(0))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("Planner.maxObjectsPerStatement");
    assertThatThrownBy(
            () -> Planner.builder().build().plan(DesiredState.builder().build(), List.of()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("snapshots");
  }
}
