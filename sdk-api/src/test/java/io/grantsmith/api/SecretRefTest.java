package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.SecretRef.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretRefTest {
  private static final String URL = "https://ops-vault.vault.azure.net/";

  private static SecretRef.Builder vault() {
    return SecretRef.builder()
        .kind(Kind.AZURE_KEY_VAULT)
        .location("ops-vault")
        .vaultUrl(URL)
        .secretName("pg-connector");
  }

  @Test
  void azureKeyVaultReferenceKeepsItsParts() {
    SecretRef ref = SecretRef.azureKeyVault("ops-vault", URL, "pg-connector");

    assertThat(ref.kind()).isEqualTo(Kind.AZURE_KEY_VAULT);
    assertThat(ref.location()).isEqualTo("ops-vault");
    assertThat(ref.vaultUrl()).hasValue(URL);
    assertThat(ref.secretName()).hasValue("pg-connector");
    assertThat(ref).hasToString("keyvault:ops-vault/pg-connector").isEqualTo(vault().build());
  }

  @Test
  void environmentAndFileReferencesHaveOnlyALocation() {
    SecretRef env = SecretRef.environment("GRANTSMITH_PASSWORD");
    SecretRef file = SecretRef.file("/etc/grantsmith/connector.pw");

    assertThat(env.kind()).isEqualTo(Kind.ENVIRONMENT);
    assertThat(env.vaultUrl()).isEmpty();
    assertThat(env.secretName()).isEmpty();
    assertThat(env).hasToString("env:GRANTSMITH_PASSWORD");
    assertThat(file.kind()).isEqualTo(Kind.FILE);
    assertThat(file).hasToString("file:/etc/grantsmith/connector.pw");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void blankLocationIsRejectedForEveryKind(Kind kind) {
    for (String blank : new String[] {"", "  "}) {
      assertRejects(() -> vault().kind(kind).location(blank).build(), "SecretRef.location", blank)
          .hasMessageContaining("must not be blank");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "ops-vault", "Vault1", "a23456789012345678901234"})
  void keyVaultNameOf3To24LettersDigitsAndHyphensIsAccepted(String name) {
    assertThat(vault().location(name).build().location()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ab",
        "1vault",
        "-vault",
        "vault-",
        "ops_vault",
        "ops vault",
        "a234567890123456789012345"
      })
  void keyVaultNameBreakingTheRulesIsRejected(String name) {
    assertRejects(() -> vault().location(name).build(), "SecretRef.location", name)
        .hasMessageContaining("Key Vault name");
  }

  @Test
  void keyVaultNeedsAnHttpsUrl() {
    assertRejects(
        () ->
            SecretRef.builder()
                .kind(Kind.AZURE_KEY_VAULT)
                .location("ops-vault")
                .secretName("pg-connector")
                .build(),
        "SecretRef.vaultUrl",
        null);
    assertRejects(
        () -> vault().vaultUrl("http://ops-vault.vault.azure.net/").build(),
        "SecretRef.vaultUrl",
        "http://ops-vault.vault.azure.net/");
    assertRejects(
        () -> vault().vaultUrl("ops-vault.vault.azure.net").build(),
        "SecretRef.vaultUrl",
        "ops-vault.vault.azure.net");
    assertThat(vault().vaultUrl("HTTPS://OPS-VAULT.VAULT.AZURE.NET").build().vaultUrl())
        .hasValue("HTTPS://OPS-VAULT.VAULT.AZURE.NET");
  }

  @Test
  void keyVaultNeedsASecretNameOfUpTo127LettersDigitsOrHyphens() {
    assertRejects(
        () ->
            SecretRef.builder()
                .kind(Kind.AZURE_KEY_VAULT)
                .location("ops-vault")
                .vaultUrl(URL)
                .build(),
        "SecretRef.secretName",
        null);
    for (String bad : new String[] {"", "pg_connector", "pg connector", repeat('s', 128)}) {
      assertRejects(() -> vault().secretName(bad).build(), "SecretRef.secretName", bad);
    }
    String longest = repeat('s', 127);
    assertThat(vault().secretName(longest).build().secretName()).hasValue(longest);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1PASSWORD", "MY-VAR", "MY VAR", "PASS.WORD", "$HOME", "ÄPFEL"})
  void environmentVariableNameBreakingTheRulesIsRejected(String name) {
    assertRejects(() -> SecretRef.environment(name), "SecretRef.location", name)
        .hasMessageContaining("environment variable name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"_", "_X", "x", "GRANTSMITH_PASSWORD_2"})
  void environmentVariableNameOfLettersDigitsAndUnderscoresIsAccepted(String name) {
    assertThat(SecretRef.environment(name).location()).isEqualTo(name);
  }

  @Test
  void filePathWithNulIsRejected() {
    assertRejects(() -> SecretRef.file("/etc/pw\0.txt"), "SecretRef.location", "/etc/pw\0.txt")
        .hasMessageContaining("must not contain NUL");
    assertThat(SecretRef.file("C:\\secrets\\pg pw.txt").location())
        .isEqualTo("C:\\secrets\\pg pw.txt");
  }

  @ParameterizedTest
  @EnumSource(
      value = Kind.class,
      names = {"ENVIRONMENT", "FILE"})
  void vaultUrlAndSecretNameAreRejectedUnlessTheKindIsAzureKeyVault(Kind kind) {
    assertRejects(
            () -> SecretRef.builder().kind(kind).location("PW").vaultUrl(URL).build(),
            "SecretRef.vaultUrl",
            URL)
        .hasMessageContaining("must be absent");
    assertRejects(
            () -> SecretRef.builder().kind(kind).location("PW").secretName("pw").build(),
            "SecretRef.secretName",
            "pw")
        .hasMessageContaining("must be absent");
  }
}
