package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IntegrationOwnerTest {

  @Test
  void ownerKeepsItsAttributeTypeAndValuesInOrder() {
    IntegrationOwner owner = IntegrationOwner.of("okta group", "dba-team", "sre");

    assertThat(owner.attributeType()).isEqualTo("okta group");
    assertThat(owner.values()).containsExactly("dba-team", "sre");
    assertThat(
            IntegrationOwner.builder()
                .attributeType("okta group")
                .addValue("dba-team")
                .addValue("sre")
                .build())
        .isEqualTo(owner);
  }

  @Test
  void blankAttributeTypeIsRejected() {
    assertRejects(() -> IntegrationOwner.of(" ", "dba"), "IntegrationOwner.attributeType", " ");
    assertRejects(() -> IntegrationOwner.of("", "dba"), "IntegrationOwner.attributeType", "");
  }

  @Test
  void ownerWithoutValuesIsRejected() {
    assertRejects(() -> IntegrationOwner.of("okta user"), "IntegrationOwner.values", List.of())
        .hasMessageContaining("must hold at least one value");
  }

  @Test
  void blankValueIsRejected() {
    assertRejects(
            () -> IntegrationOwner.of("okta user", "alice", "\t"), "IntegrationOwner.values", "\t")
        .hasMessageContaining("must not hold a blank value");
  }
}
