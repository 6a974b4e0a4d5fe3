package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static io.grantsmith.api.ResourceKind.DATABASE;
import static io.grantsmith.api.ResourceKind.FUNCTION;
import static io.grantsmith.api.ResourceKind.RELATION;
import static io.grantsmith.api.ResourceKind.ROLE;
import static io.grantsmith.api.ResourceKind.SCHEMA;
import static io.grantsmith.api.ResourceKind.SEQUENCE;
import static io.grantsmith.api.ResourceKind.SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrivilegeTest {

  static Stream<Arguments> documentedTable() {
    return Stream.of(
        Arguments.of(Privilege.CONNECT, EnumSet.of(DATABASE), 'c'),
        Arguments.of(Privilege.CREATE, EnumSet.of(DATABASE, SCHEMA), 'C'),
        Arguments.of(Privilege.TEMPORARY, EnumSet.of(DATABASE), 'T'),
        Arguments.of(Privilege.USAGE, EnumSet.of(SCHEMA, SEQUENCE), 'U'),
        Arguments.of(Privilege.SELECT, EnumSet.of(RELATION, SEQUENCE), 'r'),
        Arguments.of(Privilege.INSERT, EnumSet.of(RELATION), 'a'),
        Arguments.of(Privilege.UPDATE, EnumSet.of(RELATION, SEQUENCE), 'w'),
        Arguments.of(Privilege.DELETE, EnumSet.of(RELATION), 'd'),
        Arguments.of(Privilege.TRUNCATE, EnumSet.of(RELATION), 'D'),
        Arguments.of(Privilege.REFERENCES, EnumSet.of(RELATION), 'x'),
        Arguments.of(Privilege.TRIGGER, EnumSet.of(RELATION), 't'),
        Arguments.of(Privilege.MAINTAIN, EnumSet.of(RELATION), 'm'),
        Arguments.of(Privilege.EXECUTE, EnumSet.of(FUNCTION), 'X'));
  }

  @ParameterizedTest
  @MethodSource("documentedTable")
  void eachPrivilegeAppliesToTheKindsInTheTableAndHasPostgresAclLetter(
      Privilege privilege, Set<ResourceKind> kinds, char aclChar) {
    assertThat(privilege.appliesTo()).containsExactlyInAnyOrderElementsOf(kinds);
    for (ResourceKind kind : ResourceKind.values()) {
      assertThat(privilege.appliesTo(kind))
          .as("%s on %s", privilege, kind)
          .isEqualTo(kinds.contains(kind));
    }
    assertThat(privilege.aclChar()).isEqualTo(aclChar);
    assertThat(privilege.keyword()).isEqualTo(privilege.name());
  }

  @Test
  void documentedTableListsEveryPrivilege() {
    assertThat(documentedTable().map(a -> (Privilege) a.get()[0]))
        .containsExactlyInAnyOrder(Privilege.values());
  }

  @Test
  void applicableToListsThePrivilegesOfEachKind() {
    assertThat(Privilege.applicableTo(DATABASE))
        .containsExactly(Privilege.CONNECT, Privilege.CREATE, Privilege.TEMPORARY);
    assertThat(Privilege.applicableTo(SCHEMA)).containsExactly(Privilege.CREATE, Privilege.USAGE);
    assertThat(Privilege.applicableTo(RELATION))
        .containsExactly(
            Privilege.SELECT,
            Privilege.INSERT,
            Privilege.UPDATE,
            Privilege.DELETE,
            Privilege.TRUNCATE,
            Privilege.REFERENCES,
            Privilege.TRIGGER,
            Privilege.MAINTAIN);
    assertThat(Privilege.applicableTo(SEQUENCE))
        .containsExactly(Privilege.USAGE, Privilege.SELECT, Privilege.UPDATE);
    assertThat(Privilege.applicableTo(FUNCTION)).containsExactly(Privilege.EXECUTE);
    assertThat(Privilege.applicableTo(SERVER)).isEmpty();
    assertThat(Privilege.applicableTo(ROLE)).isEmpty();
  }

  @Test
  void appliesToIsUnmodifiable() {
    assertThatThrownBy(() -> Privilege.SELECT.appliesTo().add(FUNCTION))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void maintainIsSupportedOnlyFromPostgres17() {
    assertThat(Privilege.MAINTAIN.isSupportedOn(16)).isFalse();
    assertThat(Privilege.MAINTAIN.isSupportedOn(12)).isFalse();
    assertThat(Privilege.MAINTAIN.isSupportedOn(17)).isTrue();
    assertThat(Privilege.MAINTAIN.isSupportedOn(18)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(value = Privilege.class, names = "MAINTAIN", mode = EnumSource.Mode.EXCLUDE)
  void everyOtherPrivilegeIsSupportedOnEveryVersion(Privilege privilege) {
    assertThat(privilege.isSupportedOn(11)).isTrue();
    assertThat(privilege.isSupportedOn(17)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Privilege.class)
  void fromKeywordReadsTheKeywordInAnyCase(Privilege privilege) {
    assertThat(Privilege.fromKeyword(privilege.keyword())).isEqualTo(privilege);
    assertThat(Privilege.fromKeyword(privilege.keyword().toLowerCase(Locale.ROOT)))
        .isEqualTo(privilege);
  }

  @Test
  void fromKeywordAcceptsTempForTemporary() {
    assertThat(Privilege.fromKeyword("TEMP")).isEqualTo(Privilege.TEMPORARY);
    assertThat(Privilege.fromKeyword("temp")).isEqualTo(Privilege.TEMPORARY);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {"", "ALL", "ALL PRIVILEGES", "READ", "SELECT ", "SET", "ALTER SYSTEM", "r"})
  void fromKeywordRejectsUnknownKeywords(String keyword) {
    assertRejects(() -> Privilege.fromKeyword(keyword), "privilege", keyword)
        .hasMessageContaining("must be a PostgreSQL privilege keyword");
  }
}
