package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLevelTest {

  @ParameterizedTest
  @CsvSource({
    "read-only, READ_ONLY",
    "READ_ONLY, READ_ONLY",
    "Read-Only, READ_ONLY",
    "read_write, READ_WRITE",
    "read-write, READ_WRITE",
    "admin, ADMIN",
    "ADMIN, ADMIN",
    "' admin ', ADMIN"
  })
  void parseAcceptsHyphensUnderscoresAndAnyCase(String text, AccessLevel expected) {
    assertThat(AccessLevel.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(AccessLevel.class)
  void labelIsTheCliSpellingAndParsesBack(AccessLevel level) {
    assertThat(level.label()).isEqualTo(level.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    assertThat(AccessLevel.parse(level.label())).isEqualTo(level);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "readonly", "read only", "read", "write", "owner", "superuser"})
  void parseRejectsWordsThatNameNoLevel(String text) {
    assertRejects(() -> AccessLevel.parse(text), "level", text)
        .hasMessageContaining("must be one of read-only, read-write, admin");
  }
}
