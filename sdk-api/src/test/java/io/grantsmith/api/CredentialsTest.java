package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void credentialsKeepUserNameAndPassword() {
    Credentials c = Credentials.of("grantsmith_connector", Secret.of("hunter2-s3cret"));

    assertThat(c.username()).isEqualTo("grantsmith_connector");
    assertThat(c.password().reveal()).isEqualTo("hunter2-s3cret");
    assertThat(c)
        .isEqualTo(
            Credentials.builder()
                .username("grantsmith_connector")
                .password(Secret.of("hunter2-s3cret"))
                .build())
        .isNotEqualTo(Credentials.of("grantsmith_connector", Secret.of("other")));
  }

  @Test
  void toStringNeverRevealsThePassword() {
    Credentials c = Credentials.of("grantsmith_connector", Secret.of("hunter2-s3cret"));

    assertThat(c.toString())
        .contains("grantsmith_connector")
        .contains("****")
        .doesNotContain("hunter2");
  }

  @Test
  void userNameMustBeAValidIdentifier() {
    assertRejects(() -> Credentials.of("", Secret.of("pw")), "Credentials.username", "");
    assertRejects(() -> Credentials.of("a\0", Secret.of("pw")), "Credentials.username", "a\0");
  }
}
