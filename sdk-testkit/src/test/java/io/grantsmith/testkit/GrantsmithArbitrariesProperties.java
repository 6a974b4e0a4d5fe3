package io.grantsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Grant;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.testkit.internal.Identifiers;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class GrantsmithArbitrariesProperties {

  @Property
  void identifiersAreOneToSixtyThreeBytesWithoutSpecialCharacters(
      @ForAll("identifiers") String name) {
    assertThat(Identifiers.utf8Length(name)).isBetween(1, 63);
    assertThat(name).matches("[\\p{L}_][\\p{L}\\p{Nd}_]*");
  }

  @Property
  void hostileIdentifiersAreOneToSixtyThreeBytesWithoutNul(@ForAll("hostile") String name) {
    assertThat(Identifiers.utf8Length(name)).isBetween(1, 63);
    assertThat(name).doesNotContain("\0");
  }

  @Property
  void anyQuotedNameReadsBackAsItself(
      @ForAll("hostile") String schema, @ForAll("identifiers") String table) {
    assertThat(Identifiers.parseQualified(Identifiers.qualified(schema, table)))
        .containsExactly(schema, table);
  }

  @Property(tries = 200)
  void resourceRefsGrantsRoleSpecsAndAccessRequestsAreValid(
      @ForAll("refs") ResourceRef ref,
      @ForAll("grants") Grant grant,
      @ForAll("roles") RoleSpec role,
      @ForAll("requests") AccessRequest request) {
    // Building them ran the model's checks; rebuilding from a copy must pass them again.
    assertThat(ResourceRef.builder().from(ref).build()).isEqualTo(ref);
    assertThat(grant.privileges()).isNotEmpty().allMatch(p -> p.appliesTo(grant.resource().kind()));
    assertThat(io.grantsmith.api.Identifiers.isReservedRoleName(role.name())).isFalse();
    assertThat(request.duration()).isLessThanOrEqualTo(request.integration().maxAccessDuration());
    assertThat(request.resources()).isNotEmpty();
  }

  @Provide
  Arbitrary<String> identifiers() {
    return GrantsmithArbitraries.identifiers();
  }

  @Provide
  Arbitrary<String> hostile() {
    return GrantsmithArbitraries.hostileIdentifiers();
  }

  @Provide
  Arbitrary<ResourceRef> refs() {
    return GrantsmithArbitraries.resourceRefs();
  }

  @Provide
  Arbitrary<Grant> grants() {
    return GrantsmithArbitraries.grants();
  }

  @Provide
  Arbitrary<RoleSpec> roles() {
    return GrantsmithArbitraries.roleSpecs();
  }

  @Provide
  Arbitrary<AccessRequest> requests() {
    return GrantsmithArbitraries.accessRequests();
  }
}
