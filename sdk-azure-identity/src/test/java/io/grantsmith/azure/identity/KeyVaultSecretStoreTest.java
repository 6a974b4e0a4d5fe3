package io.grantsmith.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store with the real Key Vault client against a local HTTPS server of the secrets API. */
class KeyVaultSecretStoreTest {

  @Test
  void loadsStoresNewVersionsAndNeverLogsThePassword() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (FakeKeyVault vault = new FakeKeyVault("ops-vault")) {
      vault.seed("pg-connector", "first-Password-1", "grantsmith_connector");
      TestTokens.next();
      KeyVaultSecretStore store =
          KeyVaultSecretStore.of(TestTokens.credential(), vault.httpClient());
      SecretRef ref =
          KeyVaultSecretStore.parse("keyvault://ops-vault/pg-connector", AzureCloud.PUBLIC);
      assertThat(ref.vaultUrl()).contains(vault.vaultUrl());

      Credentials loaded = store.load(ref);
      assertThat(loaded.username()).isEqualTo("grantsmith_connector");
      assertThat(loaded.password().reveal()).isEqualTo("first-Password-1");
      // The bearer challenge: first without a token, then with one for the vault's scope.
      List<FakeKeyVault.Request> requests = vault.requests();
      assertThat(requests.get(0).authorization()).isNull();
      assertThat(requests.get(1).authorization()).startsWith("Bearer test-token-");
      assertThat(TestTokens.requests())
          .anyMatch(r -> r.startsWith("https://vault.azure.net/.default -> "));

      store.store(ref, Credentials.of("grantsmith_connector", Secret.of("second-Password-2")));
      assertThat(vault.writes()).hasSize(1);
      assertThat(vault.writes().get(0).get("value").asText()).isEqualTo("second-Password-2");
      assertThat(vault.writes().get(0).get("tags").get("username").asText())
          .isEqualTo("grantsmith_connector");
      assertThat(vault.versionCount("pg-connector")).isEqualTo(2);
      assertThat(store.versions(ref)).hasSize(2);
      assertThat(store.load(ref).password().reveal()).isEqualTo("second-Password-2");

      vault.refuseWrites(true);
      assertThatThrownBy(
              () ->
                  store.store(ref, Credentials.of("grantsmith_connector", Secret.of("third-Pw-3"))))
          .isInstanceOf(GrantsmithException.class)
          .hasMessageContaining("Cannot store the secret keyvault:ops-vault/pg-connector")
          .hasMessageNotContaining("third-Pw-3");
      assertThat(vault.versionCount("pg-connector")).isEqualTo(2);
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    err.print(log);
    assertThat(log)
        .doesNotContain("first-Password-1")
        .doesNotContain("second-Password-2")
        .doesNotContain("third-Pw-3");
  }

  @Test
  void aSecretWithoutTheUserNameTagIsRefusedNamingTheTag() throws Exception {
    try (FakeKeyVault vault = new FakeKeyVault("ops-vault")) {
      vault.seed("no-user", "pw-Value-1", "");
      KeyVaultSecretStore store =
          KeyVaultSecretStore.of(TestTokens.credential(), vault.httpClient());
      assertThatThrownBy(() -> store.load(KeyVaultSecretStore.ref("ops-vault", "no-user")))
          .isInstanceOf(GrantsmithException.class)
          .hasMessageContaining("has no tag username")
          .hasMessageNotContaining("pw-Value-1");
      assertThatThrownBy(() -> store.load(KeyVaultSecretStore.ref("ops-vault", "missing")))
          .isInstanceOf(GrantsmithException.class)
          .hasMessageContaining("Cannot read the secret keyvault:ops-vault/missing");
    }
  }

  @Test
  void badReferencesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> KeyVaultSecretStore.parse("vault://x/y", AzureCloud.PUBLIC))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("keyvault://VAULT/SECRET");
    assertThatThrownBy(() -> KeyVaultSecretStore.parse("keyvault://a/b", AzureCloud.PUBLIC))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("SecretRef.location");
    assertThatThrownBy(
            () -> KeyVaultSecretStore.parse("keyvault://ops-vault/bad_name", AzureCloud.PUBLIC))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("SecretRef.secretName");
    assertThat(KeyVaultSecretStore.ref("ops-vault", "s", AzureCloud.CHINA).vaultUrl())
        .contains("https://ops-vault.vault.azure.cn/");
    assertThatThrownBy(
            () ->
                KeyVaultSecretStore.of(TestTokens.credential())
                    .load(SecretRef.environment("GRANTSMITH_PASSWORD")))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("SecretRef.kind");
  }
}
