package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SslModeTest {

  @ParameterizedTest
  @CsvSource({
    "disable, DISABLE",
    "allow, ALLOW",
    "prefer, PREFER",
    "require, REQUIRE",
    "verify-ca, VERIFY_CA",
    "verify-full, VERIFY_FULL",
    "VERIFY-FULL, VERIFY_FULL",
    "VERIFY_FULL, VERIFY_FULL",
    "verify_ca, VERIFY_CA",
    "Require, REQUIRE",
    "'  verify-full ', VERIFY_FULL"
  })
  void parseAcceptsLibpqSpellingsAndEnumNamesIgnoringCase(String text, SslMode expected) {
    assertThat(SslMode.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(SslMode.class)
  void libpqNameAndToStringParseBackToTheSameMode(SslMode mode) {
    assertThat(SslMode.parse(mode.libpqName())).isEqualTo(mode);
    assertThat(SslMode.parse(mode.name())).isEqualTo(mode);
    assertThat(mode).hasToString(mode.libpqName());
  }

  @Test
  void libpqNamesAreTheOnesPgjdbcTakes() {
    assertThat(SslMode.VERIFY_FULL.libpqName()).isEqualTo("verify-full");
    assertThat(SslMode.VERIFY_CA.libpqName()).isEqualTo("verify-ca");
    assertThat(SslMode.REQUIRE.libpqName()).isEqualTo("require");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        " ",
        "verify full",
        "verifyfull",
        "verify-",
        "ssl",
        "true",
        "required",
        "verify-full;"
      })
  void parseRejectsWordsThatNameNoMode(String text) {
    assertRejects(() -> SslMode.parse(text), "sslMode", text)
        .hasMessageContaining(
            "must be one of disable, allow, prefer, require, verify-ca, " + "verify-full");
  }
}
