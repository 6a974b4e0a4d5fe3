package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static io.grantsmith.api.ModelArbitraries.utf8Length;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class IdentifierProperties {
  private static final String FIELD = "ResourceRef.database";

  @Provide
  Arbitrary<String> identifiers() {
    return ModelArbitraries.identifiers();
  }

  @Provide
  Arbitrary<String> tooLong() {
    return ModelArbitraries.tooLongIdentifiers();
  }

  @Provide
  Arbitrary<String> withNul() {
    return ModelArbitraries.identifiersWithNul();
  }

  @Property
  void anyIdentifierOf1To63Utf8BytesWithoutNulIsAccepted(@ForAll("identifiers") String name) {
    assertThat(utf8Length(name)).isBetween(1, Identifiers.MAX_BYTES);
    assertThat(name).doesNotContain("\0");

    assertThat(Identifiers.isValid(name)).isTrue();
    assertThat(Identifiers.check(FIELD, name)).isEqualTo(name);
    assertThat(ResourceRef.database(name).database()).hasValue(name);
    Statistics.label("bytes per char")
        .collect(utf8Length(name) == name.length() ? "1" : "more than 1");
    Statistics.label("at the limit").collect(utf8Length(name) == Identifiers.MAX_BYTES);
  }

  @Property
  void anyNameLongerThan63Utf8BytesIsRejectedWhateverItsCharacterCount(
      @ForAll("tooLong") String name) {
    assertThat(utf8Length(name)).isGreaterThan(Identifiers.MAX_BYTES);

    assertThat(Identifiers.isValid(name)).isFalse();
    assertRejects(() -> ResourceRef.database(name), FIELD, name)
        .hasMessageContaining("(is " + utf8Length(name) + ")");
    Statistics.label("fewer than 64 chars").collect(name.length() <= Identifiers.MAX_BYTES);
  }

  @Property
  void anyNameContainingNulIsRejected(@ForAll("withNul") String name) {
    assertThat(Identifiers.isValid(name)).isFalse();
    assertRejects(() -> ResourceRef.database(name), FIELD, name)
        .hasMessageContaining("must not contain NUL");
  }

  @Property
  void aValidNameCanBeCreatedAsARoleExactlyWhenItIsNotReserved(@ForAll("identifiers") String name) {
    if (Identifiers.isReservedRoleName(name)) {
      assertRejects(
          () -> Identifiers.checkCreatableRole("RoleSpec.name", name), "RoleSpec.name", name);
    } else {
      assertThat(RoleSpec.builder().name(name).build().name()).isEqualTo(name);
    }
  }
}
