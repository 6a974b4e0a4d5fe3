package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RelationKindTest {

  @ParameterizedTest
  @EnumSource(RelationKind.class)
  void relkindLetterMapsBackToItsKind(RelationKind kind) {
    assertThat(RelationKind.fromRelkind(kind.relkind())).isEqualTo(kind);
  }

  @Test
  void relkindLettersArePostgresOnes() {
    assertThat(RelationKind.TABLE.relkind()).isEqualTo('r');
    assertThat(RelationKind.VIEW.relkind()).isEqualTo('v');
    assertThat(RelationKind.MATERIALIZED_VIEW.relkind()).isEqualTo('m');
    assertThat(RelationKind.FOREIGN_TABLE.relkind()).isEqualTo('f');
    assertThat(RelationKind.PARTITIONED_TABLE.relkind()).isEqualTo('p');
  }

  @Test
  void lettersOfOtherClassKindsAreRejected() {
    for (char c : new char[] {'S', 'i', 'I', 't', 'c', 'R'}) {
      assertRejects(() -> RelationKind.fromRelkind(c), "relkind", c);
    }
  }
}
