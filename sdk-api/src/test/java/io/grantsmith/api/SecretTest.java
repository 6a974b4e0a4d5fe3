package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void secretRevealsItsTextOnlyThroughReveal() {
    Secret s = Secret.of("hunter2-s3cret");

    assertThat(s.reveal()).isEqualTo("hunter2-s3cret");
    assertThat(s).hasToString("****");
    assertThat(String.valueOf(s)).doesNotContain("hunter2");
  }

  @Test
  void secretsAreEqualByText() {
    assertThat(Secret.of("a"))
        .isEqualTo(Secret.of("a"))
        .hasSameHashCodeAs(Secret.of("b"))
        .isNotEqualTo(Secret.of("b"))
        .isNotEqualTo("a");
  }

  @Test
  void emptySecretIsRejectedWithoutShowingIt() {
    assertRejects(() -> Secret.of(""), "Secret", "****")
        .hasMessage("Secret must be non-empty and without NUL, but was \"****\"");
  }

  @Test
  void secretWithNulIsRejectedWithoutShowingIt() {
    assertRejects(() -> Secret.of("hunter2\0s3cret"), "Secret", "****")
        .message()
        .doesNotContain("hunter2")
        .doesNotContain("s3cret");
  }

  @Test
  void nullSecretIsRejected() {
    assertThatNullPointerException().isThrownBy(() -> Secret.of(null));
  }
}
