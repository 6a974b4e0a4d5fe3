package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class AccessPolicyProperties {

  @Property
  void theStandardPolicyNeverGivesAPrivilegeThatDoesNotApplyToTheKind(
      @ForAll AccessLevel level, @ForAll ResourceKind kind) {
    Set<Privilege> privileges = AccessPolicy.standard().privileges(level, kind);

    assertThat(privileges)
        .isNotNull()
        .allSatisfy(
            p -> assertThat(p.appliesTo(kind)).as("%s on %s at %s", p, kind, level).isTrue());
  }

  @Property
  void whatTheStandardPolicyGivesCanBeGranted(
      @ForAll AccessLevel level, @ForAll("grantable") ResourceRef resource) {
    Set<Privilege> privileges = AccessPolicy.standard().privileges(level, resource.kind());
    Assume.that(!privileges.isEmpty());

    Grant grant =
        Grant.builder().grantee("alice").resource(resource).addAllPrivileges(privileges).build();
    assertThat(grant.privileges()).isEqualTo(privileges);
  }

  @Property
  void readOnlyIsWithinReadWriteWhichIsWithinAdminOnEveryGrantableKind(@ForAll ResourceKind kind) {
    Assume.that(kind.isGrantable());
    AccessPolicy policy = AccessPolicy.standard();

    assertThat(policy.privileges(AccessLevel.READ_WRITE, kind))
        .containsAll(policy.privileges(AccessLevel.READ_ONLY, kind));
    assertThat(policy.privileges(AccessLevel.ADMIN, kind))
        .containsAll(policy.privileges(AccessLevel.READ_WRITE, kind));
  }

  @Property
  void aHigherLevelNeverGivesLessOnAnyKind(
      @ForAll AccessLevel lower, @ForAll AccessLevel higher, @ForAll ResourceKind kind) {
    Assume.that(lower.compareTo(higher) <= 0);

    assertThat(AccessPolicy.standard().privileges(higher, kind))
        .containsAll(AccessPolicy.standard().privileges(lower, kind));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<ResourceRef> grantable() {
    return ModelArbitraries.grantableResourceRefs();
  }
}
