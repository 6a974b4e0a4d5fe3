package io.grantsmith.azure.identity;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.AzureException;
import com.azure.core.http.HttpClient;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SecretStore;
import io.grantsmith.azure.identity.internal.AzureCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Azure Key Vault as the {@link SecretStore} of the connector's credentials
 * (azure-security-keyvault-secrets). A secret holds the password as its value and the user name in
 * its tag {@value #USERNAME_TAG}; {@link #store} writes a new version of the secret, so earlier
 * passwords stay in the vault's history. With {@code AccessManager.rotateConnectorPassword(store,
 * ref)} a failed write puts the old password back on the server.
 *
 * <pre>{@code
 * KeyVaultSecretStore store = KeyVaultSecretStore.of(EntraAuth.managedIdentity());
 * SecretRef ref = KeyVaultSecretStore.ref("ops-vault", "pg-connector");
 * Credentials connector = store.load(ref);
 * }</pre>
 *
 * <p>The store authenticates with the same azure-identity credential an {@link EntraAuth}
 * describes. Passwords never appear in messages or logs.
 */
public final class KeyVaultSecretStore implements SecretStore {
  /** The secret's tag that holds the user name. */
  public static final String USERNAME_TAG = "username";

  private final TokenCredential credential;
  private final HttpClient httpClient;
  private final Map<String, SecretClient> clients = new ConcurrentHashMap<>();

  private KeyVaultSecretStore(TokenCredential credential, HttpClient httpClient) {
    this.credential = credential;
    this.httpClient = httpClient;
  }

  /**
   * A store that authenticates to Key Vault with the credential {@code auth} describes.
   *
   * @param auth the credential
   * @return the store
   */
  public static KeyVaultSecretStore of(EntraAuth auth) {
    return of(AzureCredentials.of(Objects.requireNonNull(auth, "auth")));
  }

  /**
   * A store that authenticates to Key Vault with an azure-identity credential.
   *
   * @param credential the credential
   * @return the store
   */
  public static KeyVaultSecretStore of(TokenCredential credential) {
    return new KeyVaultSecretStore(Objects.requireNonNull(credential, "credential"), null);
  }

  /**
   * A store that sends its requests through the given HTTP client, e.g. one with a proxy or a
   * private CA trusted.
   *
   * @param credential the credential
   * @param httpClient the azure-core HTTP client
   * @return the store
   */
  public static KeyVaultSecretStore of(TokenCredential credential, HttpClient httpClient) {
    return new KeyVaultSecretStore(
        Objects.requireNonNull(credential, "credential"),
        Objects.requireNonNull(httpClient, "httpClient"));
  }

  /**
   * A reference to a secret in a vault of the public cloud.
   *
   * @param vaultName the vault's name
   * @param secretName the secret's name
   * @return the reference ({@code keyvault:VAULT/SECRET})
   * @throws InvalidValueException if a name is malformed
   */
  public static SecretRef ref(String vaultName, String secretName) {
    return ref(vaultName, secretName, AzureCloud.PUBLIC);
  }

  /**
   * A reference to a secret in a vault of the given cloud.
   *
   * @param vaultName the vault's name
   * @param secretName the secret's name
   * @param cloud the cloud
   * @return the reference
   * @throws InvalidValueException if a name is malformed
   */
  public static SecretRef ref(String vaultName, String secretName, AzureCloud cloud) {
    InvalidValueException.check(
        vaultName != null && vaultName.matches("[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]"),
        "SecretRef.location",
        "must be a Key Vault name (3-24 letters, digits, '-')",
        vaultName);
    return SecretRef.azureKeyVault(vaultName, cloud.keyVaultUrl(vaultName), secretName);
  }

  /**
   * Parses {@code keyvault://VAULT/SECRET}.
   *
   * @param uri the reference, as the CLI's {@code --password-secret} takes it
   * @param cloud the cloud the vault is in
   * @return the reference
   * @throws InvalidValueException naming {@code --password-secret} if it is malformed
   */
  public static SecretRef parse(String uri, AzureCloud cloud) {
    String prefix = "keyvault://";
    InvalidValueException.check(
        uri != null && uri.startsWith(prefix) && uri.indexOf('/', prefix.length()) > 0,
        "SecretRef",
        "must be keyvault://VAULT/SECRET",
        uri);
    String rest = uri.substring(prefix.length());
    int slash = rest.indexOf('/');
    return ref(rest.substring(0, slash), rest.substring(slash + 1), cloud);
  }

  /**
   * Reads the latest version of the secret.
   *
   * @param ref a Key Vault reference
   * @return the user name (tag {@value #USERNAME_TAG}) and the password (the value)
   * @throws GrantsmithException if the secret cannot be read or has no user name tag
   * @throws InvalidValueException if {@code ref} is not a Key Vault reference
   */
  @Override
  public Credentials load(SecretRef ref) {
    String name = secretName(ref);
    KeyVaultSecret secret;
    try {
      secret = client(ref).getSecret(name);
    } catch (AzureException e) {
      throw new GrantsmithException("Cannot read the secret " + ref + ": " + reason(e), e);
    }
    Map<String, String> tags = secret.getProperties().getTags();
    String user = tags == null ? null : tags.get(USERNAME_TAG);
    if (user == null || user.isEmpty()) {
      throw new GrantsmithException(
          "The secret " + ref + " has no tag " + USERNAME_TAG + " with the connector's user name");
    }
    if (secret.getValue() == null || secret.getValue().isEmpty()) {
      throw new GrantsmithException("The secret " + ref + " has no value");
    }
    return Credentials.of(user, Secret.of(secret.getValue()));
  }

  /**
   * Writes the credentials as a new version of the secret: the password as the value, the user name
   * as the tag {@value #USERNAME_TAG}.
   *
   * @param ref a Key Vault reference
   * @param credentials the new credentials
   * @throws GrantsmithException if the vault refuses or cannot be reached
   */
  @Override
  public void store(SecretRef ref, Credentials credentials) {
    String name = secretName(ref);
    Objects.requireNonNull(credentials, "credentials");
    KeyVaultSecret secret =
        new KeyVaultSecret(name, credentials.password().reveal())
            .setProperties(
                new SecretProperties()
                    .setContentType("text/plain")
                    .setTags(Map.of(USERNAME_TAG, credentials.username())));
    try {
      client(ref).setSecret(secret);
    } catch (AzureException e) {
      throw new GrantsmithException("Cannot store the secret " + ref + ": " + reason(e), e);
    }
  }

  /**
   * The versions of the secret, as Key Vault lists them.
   *
   * @param ref a Key Vault reference
   * @return the version ids
   * @throws GrantsmithException if the vault refuses or cannot be reached
   */
  public List<String> versions(SecretRef ref) {
    String name = secretName(ref);
    List<String> out = new ArrayList<>();
    try {
      client(ref).listPropertiesOfSecretVersions(name).forEach(p -> out.add(p.getVersion()));
    } catch (AzureException e) {
      throw new GrantsmithException("Cannot list the versions of " + ref + ": " + reason(e), e);
    }
    return List.copyOf(out);
  }

  private SecretClient client(SecretRef ref) {
    String url = ref.vaultUrl().orElseThrow();
    return clients.computeIfAbsent(
        url,
        u -> {
          SecretClientBuilder b = new SecretClientBuilder().vaultUrl(u).credential(credential);
          if (httpClient != null) {
            b.httpClient(httpClient);
          }
          return b.buildClient();
        });
  }

  private static String secretName(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    InvalidValueException.check(
        ref.kind() == SecretRef.Kind.AZURE_KEY_VAULT,
        "SecretRef.kind",
        "must be AZURE_KEY_VAULT for a KeyVaultSecretStore",
        ref.kind());
    return ref.secretName().orElseThrow();
  }

  /** The first line of an Azure failure; Key Vault's messages carry no secret values. */
  private static String reason(AzureException e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
  }

  @Override
  public String toString() {
    return "KeyVaultSecretStore";
  }
}
