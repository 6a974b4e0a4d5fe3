package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidValueExceptionTest {

  @Test
  void messageIsFieldRuleAndValue() {
    InvalidValueException e =
        new InvalidValueException("Integration.port", "must be between 1 and 65535", 70000);

    assertThat(e)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Integration.port must be between 1 and 65535, but was 70000");
    assertThat(e.field()).isEqualTo("Integration.port");
    assertThat(e.rule()).isEqualTo("must be between 1 and 65535");
  }

  @Test
  void describeQuotesStringsAndEscapesWhatCannotBeSeen() {
    assertThat(InvalidValueException.describe(null)).isEqualTo("null");
    assertThat(InvalidValueException.describe(42)).isEqualTo("42");
    assertThat(InvalidValueException.describe(List.of("a"))).isEqualTo("[a]");
    assertThat(InvalidValueException.describe("")).isEqualTo("\"\"");
    assertThat(InvalidValueException.describe("trailing ")).isEqualTo("\"trailing \"");
    assertThat(InvalidValueException.describe("a\0b\n\u007f"))
        .isEqualTo("\"a\\u0000b\\u000a\\u007f\"");
    assertThat(InvalidValueException.describe("say \"hi\" \\o/"))
        .isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
    assertThat(InvalidValueException.describe("é😀")).isEqualTo("\"é😀\"");
  }

  @Test
  void describeCutsLongStringsAt200Characters() {
    String longText = "x".repeat(500);

    assertThat(InvalidValueException.describe(longText))
        .isEqualTo("\"" + "x".repeat(200) + "...(500 chars)\"");
    assertThat(InvalidValueException.describe("y".repeat(200)))
        .isEqualTo("\"" + "y".repeat(200) + "\"");
  }
}
