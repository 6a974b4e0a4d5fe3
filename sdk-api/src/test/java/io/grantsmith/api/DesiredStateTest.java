package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredStateTest {

  @Test
  void desiredStateHoldsRolesGrantsAndMemberships() {
    DesiredState s =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name("gs_alice").build())
            .addRole(RoleSpec.builder().name("gs_bob").build())
            .addGrant(Fixtures.grant().build())
            .addMembership(Membership.of("auditors", "gs_alice"))
            .build();

    assertThat(s.roles()).extracting(RoleSpec::name).containsExactly("gs_alice", "gs_bob");
    assertThat(s.grants()).containsExactly(Fixtures.grant().build());
    assertThat(s.memberships()).containsExactly(Membership.of("auditors", "gs_alice"));
    assertThat(DesiredState.builder().from(s).build()).isEqualTo(s);
  }

  @Test
  void roleNamedTwiceIsRejectedEvenWithDifferentAttributes() {
    assertRejects(
            () ->
                DesiredState.builder()
                    .addRole(RoleSpec.builder().name("gs_alice").build())
                    .addRole(RoleSpec.builder().name("gs_alice").login(true).build())
                    .build(),
            "DesiredState.roles",
            List.of("gs_alice", "gs_alice"))
        .hasMessageContaining("must not name a role twice");
  }
}
