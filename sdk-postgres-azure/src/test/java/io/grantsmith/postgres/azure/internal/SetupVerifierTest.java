package io.grantsmith.postgres.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SetupVerifierTest {

  @Test
  void createroleSelfGrantCountsOnlyWithBothSetAndInheritAsPostgresReadsTheList() {
    assertThat(SetupVerifier.setAndInherit("set, inherit")).isTrue();
    assertThat(SetupVerifier.setAndInherit("INHERIT,Set")).isTrue();
    assertThat(SetupVerifier.setAndInherit(" \"set\" , \"inherit\" ")).isTrue();
    assertThat(SetupVerifier.setAndInherit("set")).isFalse();
    assertThat(SetupVerifier.setAndInherit("inherit")).isFalse();
    assertThat(SetupVerifier.setAndInherit("setinherit")).isFalse();
    assertThat(SetupVerifier.setAndInherit("")).isFalse();
    assertThat(SetupVerifier.setAndInherit(null)).isFalse();
  }
}
