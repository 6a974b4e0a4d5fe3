package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {
  private static final String FIELD = "Test.name";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "orders",
        "Orders Prod",
        "Robert'); DROP TABLE students;--",
        "\"quoted\"",
        "back\\slash",
        "tab\there",
        "line\nbreak",
        "日本語",
        "😀",
        " "
      })
  void anyNonEmptyNameWithoutNulOfAtMost63BytesIsValid(String name) {
    assertThat(Identifiers.isValid(name)).isTrue();
    assertThat(Identifiers.check(FIELD, name)).isSameAs(name);
  }

  @Test
  void sixtyThreeBytesOfUtf8AreTheLimitWhateverTheCharacterCount() {
    String ascii63 = repeat('a', 63);
    String twoByte63 = repeat('é', 31) + "a";
    String threeByte63 = repeat('€', 21);
    String fourByte63 = "😀".repeat(15) + "abc";
    for (String ok : new String[] {ascii63, twoByte63, threeByte63, fourByte63}) {
      assertThat(ok.getBytes(StandardCharsets.UTF_8)).hasSize(Identifiers.MAX_BYTES);
      assertThat(Identifiers.isValid(ok)).as(ok).isTrue();
      assertThat(Identifiers.check(FIELD, ok)).isEqualTo(ok);
    }
  }

  @Test
  void sixtyFourBytesOfUtf8AreRejectedEvenWhenFewerCharacters() {
    String ascii64 = repeat('a', 64);
    String twoByte64 = repeat('é', 32);
    String threeByte66 = repeat('€', 22);
    String fourByte64 = "😀".repeat(16);
    assertThat(twoByte64).hasSize(32);
    assertThat(fourByte64).hasSize(32);
    assertRejects(() -> Identifiers.check(FIELD, ascii64), FIELD, ascii64)
        .hasMessageContaining("at most 63 bytes of UTF-8 (is 64)");
    assertRejects(() -> Identifiers.check(FIELD, twoByte64), FIELD, twoByte64)
        .hasMessageContaining("(is 64)");
    assertRejects(() -> Identifiers.check(FIELD, threeByte66), FIELD, threeByte66)
        .hasMessageContaining("(is 66)");
    assertRejects(() -> Identifiers.check(FIELD, fourByte64), FIELD, fourByte64)
        .hasMessageContaining("(is 64)");
    for (String s : new String[] {ascii64, twoByte64, threeByte66, fourByte64}) {
      assertThat(Identifiers.isValid(s)).isFalse();
    }
  }

  @Test
  void emptyNameIsRejected() {
    assertThat(Identifiers.isValid("")).isFalse();
    assertRejects(() -> Identifiers.check(FIELD, ""), FIELD, "")
        .hasMessage("Test.name must not be empty, but was \"\"");
  }

  @Test
  void nullNameIsRejected() {
    assertThat(Identifiers.isValid(null)).isFalse();
    assertRejects(() -> Identifiers.check(FIELD, null), FIELD, null)
        .hasMessage("Test.name must be set, but was null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\0", "a\0", "\0a", "ord\0ers"})
  void nameWithNulIsRejectedAndTheNulIsShownEscaped(String name) {
    assertThat(Identifiers.isValid(name)).isFalse();
    assertRejects(() -> Identifiers.check(FIELD, name), FIELD, name)
        .hasMessageContaining("must not contain NUL")
        .hasMessageContaining("\\u0000");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pg_",
        "pg_monitor",
        "pg_read_all_data",
        "PG_Signal_Backend",
        "azure_",
        "azure_pg_admin",
        "azure_superuser",
        "AZURE_X",
        "public",
        "PUBLIC",
        "Public",
        "current_user",
        "current_role",
        "session_user",
        "none",
        "None",
        "replication",
        "azuresu",
        "AzureSU"
      })
  void reservedRoleNamesCannotBeCreated(String name) {
    assertThat(Identifiers.isReservedRoleName(name)).isTrue();
    assertThat(Identifiers.isValid(name)).isTrue();
    assertRejects(() -> Identifiers.checkCreatableRole(FIELD, name), FIELD, name)
        .hasMessageContaining("must not be a reserved role name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alice",
        "gs_alice_3f9a",
        "pg",
        "pgadmin",
        "pg-admin",
        "azure",
        "azureuser",
        "azure-x",
        "publicity",
        "my_public",
        "nobody",
        "none_",
        "replicator",
        "user",
        "postgres"
      })
  void namesThatOnlyResembleReservedOnesCanBeCreated(String name) {
    assertThat(Identifiers.isReservedRoleName(name)).isFalse();
    assertThat(Identifiers.checkCreatableRole(FIELD, name)).isEqualTo(name);
  }

  @Test
  void creatableRoleMustFirstBeAValidIdentifier() {
    String tooLong = repeat('r', 64);
    assertRejects(() -> Identifiers.checkCreatableRole(FIELD, tooLong), FIELD, tooLong)
        .hasMessageContaining("at most 63 bytes");
    assertThatThrownBy(() -> Identifiers.checkCreatableRole(FIELD, ""))
        .isInstanceOf(InvalidValueException.class);
  }
}
