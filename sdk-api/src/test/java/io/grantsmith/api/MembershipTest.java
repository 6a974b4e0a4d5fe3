package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipTest {

  @Test
  void membershipReadsAsMemberInRole() {
    Membership m = Membership.of("auditors", "alice");

    assertThat(m.role()).isEqualTo("auditors");
    assertThat(m.member()).isEqualTo("alice");
    assertThat(m.adminOption()).isFalse();
    assertThat(m).hasToString("alice in auditors");
    assertThat(Membership.builder().role("auditors").member("alice").adminOption(true).build())
        .hasToString("alice in auditors with admin option")
        .isNotEqualTo(m);
  }

  @Test
  void roleAndMemberMustBeValidIdentifiers() {
    String tooLong = repeat('r', 64);
    assertRejects(() -> Membership.of(tooLong, "alice"), "Membership.role", tooLong);
    assertRejects(() -> Membership.of("auditors", ""), "Membership.member", "");
    assertRejects(() -> Membership.of("auditors", "al\0ice"), "Membership.member", "al\0ice");
  }

  @Test
  void roleCannotBeAMemberOfItself() {
    assertRejects(() -> Membership.of("alice", "alice"), "Membership.member", "alice")
        .hasMessageContaining("must differ from the role");
    assertThat(Membership.of("alice", "Alice").member()).isEqualTo("Alice");
  }

  @Test
  void membershipsSortByRoleThenMemberThenAdminOption() {
    Membership withAdmin =
        Membership.builder().role("auditors").member("alice").adminOption(true).build();
    List<Membership> expected =
        List.of(
            Membership.of("admins", "zoe"),
            Membership.of("auditors", "alice"),
            withAdmin,
            Membership.of("auditors", "bob"));
    List<Membership> sorted = new ArrayList<>(expected);
    Collections.reverse(sorted);
    Collections.sort(sorted);

    assertThat(sorted).containsExactlyElementsOf(expected);
    assertThat(Membership.of("auditors", "alice"))
        .isEqualByComparingTo(Membership.of("auditors", "alice"));
  }
}
