package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceOwnerTest {

  @Test
  void ownerKeepsItsTagKeyAndAttributeType() {
    ResourceOwner owner = ResourceOwner.of("owner", "okta user");

    assertThat(owner.tagKey()).isEqualTo("owner");
    assertThat(owner.attributeType()).isEqualTo("okta user");
    assertThat(owner)
        .isEqualTo(ResourceOwner.builder().tagKey("owner").attributeType("okta user").build());
  }

  @Test
  void blankTagKeyIsRejected() {
    assertRejects(() -> ResourceOwner.of("  ", "okta user"), "ResourceOwner.tagKey", "  ");
  }

  @Test
  void blankAttributeTypeIsRejected() {
    assertRejects(() -> ResourceOwner.of("owner", ""), "ResourceOwner.attributeType", "");
  }
}
