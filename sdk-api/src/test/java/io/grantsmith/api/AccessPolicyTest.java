package io.grantsmith.api;

import static io.grantsmith.api.AccessLevel.ADMIN;
import static io.grantsmith.api.AccessLevel.READ_ONLY;
import static io.grantsmith.api.AccessLevel.READ_WRITE;
import static io.grantsmith.api.Privilege.CONNECT;
import static io.grantsmith.api.Privilege.CREATE;
import static io.grantsmith.api.Privilege.DELETE;
import static io.grantsmith.api.Privilege.EXECUTE;
import static io.grantsmith.api.Privilege.INSERT;
import static io.grantsmith.api.Privilege.MAINTAIN;
import static io.grantsmith.api.Privilege.REFERENCES;
import static io.grantsmith.api.Privilege.SELECT;
import static io.grantsmith.api.Privilege.TEMPORARY;
import static io.grantsmith.api.Privilege.TRIGGER;
import static io.grantsmith.api.Privilege.TRUNCATE;
import static io.grantsmith.api.Privilege.UPDATE;
import static io.grantsmith.api.Privilege.USAGE;
import static io.grantsmith.api.ResourceKind.DATABASE;
import static io.grantsmith.api.ResourceKind.FUNCTION;
import static io.grantsmith.api.ResourceKind.RELATION;
import static io.grantsmith.api.ResourceKind.SCHEMA;
import static io.grantsmith.api.ResourceKind.SEQUENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AccessPolicyTest {

  /** The table in {@link AccessPolicy}'s javadoc, row by row. */
  static Stream<Arguments> documentedTable() {
    return Stream.of(
        Arguments.of(DATABASE, READ_ONLY, EnumSet.of(CONNECT)),
        Arguments.of(DATABASE, READ_WRITE, EnumSet.of(CONNECT)),
        Arguments.of(DATABASE, ADMIN, EnumSet.of(CONNECT, CREATE, TEMPORARY)),
        Arguments.of(SCHEMA, READ_ONLY, EnumSet.of(USAGE)),
        Arguments.of(SCHEMA, READ_WRITE, EnumSet.of(USAGE)),
        Arguments.of(SCHEMA, ADMIN, EnumSet.of(USAGE, CREATE)),
        Arguments.of(RELATION, READ_ONLY, EnumSet.of(SELECT)),
        Arguments.of(RELATION, READ_WRITE, EnumSet.of(SELECT, INSERT, UPDATE, DELETE, TRUNCATE)),
        Arguments.of(
            RELATION,
            ADMIN,
            EnumSet.of(SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, MAINTAIN)),
        Arguments.of(SEQUENCE, READ_ONLY, EnumSet.of(SELECT)),
        Arguments.of(SEQUENCE, READ_WRITE, EnumSet.of(SELECT, USAGE, UPDATE)),
        Arguments.of(SEQUENCE, ADMIN, EnumSet.of(SELECT, USAGE, UPDATE)),
        Arguments.of(FUNCTION, READ_ONLY, EnumSet.noneOf(Privilege.class)),
        Arguments.of(FUNCTION, READ_WRITE, EnumSet.of(EXECUTE)),
        Arguments.of(FUNCTION, ADMIN, EnumSet.of(EXECUTE)));
  }

  @ParameterizedTest(name = "{1} on {0} is {2}")
  @MethodSource("documentedTable")
  void standardPolicyIsTheDocumentedTable(
      ResourceKind kind, AccessLevel level, Set<Privilege> expected) {
    assertThat(AccessPolicy.standard().privileges(level, kind))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest
  @EnumSource(AccessLevel.class)
  void standardPolicyGivesNoPrivilegeOnTheServerOrARole(AccessLevel level) {
    assertThat(AccessPolicy.standard().privileges(level, ResourceKind.SERVER)).isEmpty();
    assertThat(AccessPolicy.standard().privileges(level, ResourceKind.ROLE)).isEmpty();
  }

  @Test
  void standardPolicyIsSharedAndItsSetsCannotBeChanged() {
    assertThat(AccessPolicy.standard())
        .isSameAs(AccessPolicy.standard())
        .hasToString("AccessPolicy.standard()");
    assertThatThrownBy(() -> AccessPolicy.standard().privileges(READ_ONLY, RELATION).add(DELETE))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(AccessPolicy.standard().privileges(READ_ONLY, RELATION)).containsExactly(SELECT);
  }

  @Test
  void integratorsCanSupplyTheirOwnPolicyAsALambda() {
    AccessPolicy selectOnly = (level, kind) -> kind == RELATION ? Set.of(SELECT) : Set.of();
    assertThat(selectOnly.privileges(ADMIN, RELATION)).containsExactly(SELECT);
  }
}
