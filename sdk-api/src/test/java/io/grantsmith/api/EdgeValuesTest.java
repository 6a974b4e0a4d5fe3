package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.integration;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The values at the edge of each rule: the first character, the last accepted length, a group count
 * one over. Found by mutation testing (PIT), where a rule shifted by one went unnoticed.
 */
class EdgeValuesTest {

  @Test
  void aNulIsRefusedEvenAsTheFirstCharacter() {
    assertThatThrownBy(() -> Secret.of("\0secret")).isInstanceOf(InvalidValueException.class);
    assertRejects(
        () -> RoleSpec.builder().name("r").comment("\0c").build(), "RoleSpec.comment", "\0c");
    assertRejects(
        () -> ResourceRef.function("db", "s", "f", "\0int"), "ResourceRef.arguments", "\0int");
    assertRejects(
        () -> integration().sslRootCert("\0/ca.pem").build(),
        "Integration.sslRootCert",
        "\0/ca.pem");
  }

  @Test
  void sslRootCertMustBeAPath() {
    assertRejects(() -> integration().sslRootCert(" ").build(), "Integration.sslRootCert", " ");
    assertThat(integration().sslRootCert("/etc/ssl/ca.pem").build().sslRootCert())
        .contains("/etc/ssl/ca.pem");
  }

  @Test
  void ipv6AddressesHaveExactlyEightGroupsOfSixteenBits() {
    assertThat(integration().hostname("1:2:3:4:5:6:7:8").build().hostname())
        .isEqualTo("1:2:3:4:5:6:7:8");
    assertThat(integration().hostname("1:2:3:4:5:6:10.0.0.1").build().hostname())
        .isEqualTo("1:2:3:4:5:6:10.0.0.1");
    assertThat(integration().hostname("::ffff:10.0.0.1").build().hostname())
        .isEqualTo("::ffff:10.0.0.1");
    assertRejects(
        () -> integration().hostname("1:2:3:4:5:6:7:10.0.0.1").build(),
        "Integration.hostname",
        "1:2:3:4:5:6:7:10.0.0.1");
    assertRejects(
        () -> integration().hostname("1:2:3:4:5:6:7:8:9").build(),
        "Integration.hostname",
        "1:2:3:4:5:6:7:8:9");
  }

  @Test
  void aPlanWithAStepIsNotEmptyAndStepsAreStrictByDefault() {
    Step step =
        Step.builder()
            .database("db")
            .description("d")
            .addStatement(Statement.of("db", "SELECT 1", "one"))
            .build();
    assertThat(step.strict()).isTrue();
    assertThat(Plan.builder().addStep(step).build().isEmpty()).isFalse();
    assertThat(Plan.empty().isEmpty()).isTrue();
  }

  @Test
  void failureMessagesKeepTheFirstLineAndThreeHundredCharacters() {
    String sql = "x".repeat(300);
    ApplyException exact = new ApplyException("42000", "db", null, sql, List.of(), null);
    assertThat(exact.getMessage()).contains("statement: " + sql + ";").doesNotContain("...");
    ApplyException cause =
        new ApplyException("42000", "db", null, null, List.of(), new SQLException("\nsecond line"));
    assertThat(cause.getMessage()).doesNotContain("second line");
  }
}
