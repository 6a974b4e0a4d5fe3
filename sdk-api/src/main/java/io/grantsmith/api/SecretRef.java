package io.grantsmith.api;

import java.util.Locale;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Where the connector's credentials are kept: a secret in an Azure Key Vault, an environment
 * variable, or a file. The reference names the place, never the secret itself; a {@link
 * SecretStore} reads and writes it.
 *
 * <pre>{@code
 * SecretRef ref = SecretRef.azureKeyVault("ops-vault", "https://ops-vault.vault.azure.net/",
 *     "pg-connector");
 * }</pre>
 */
@Value.Immutable
public abstract class SecretRef {

  /** The kinds of place a secret can be kept. */
  public enum Kind {
    /** A secret in an Azure Key Vault. */
    AZURE_KEY_VAULT,
    /** An environment variable. */
    ENVIRONMENT,
    /** A file on the local file system. */
    FILE
  }

  SecretRef() {}

  /** Builds a {@link SecretRef}; prefer the static factories. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a reference
     * @return this builder
     */
    Builder from(SecretRef instance);

    /**
     * Sets the kind.
     *
     * @param kind the kind
     * @return this builder
     */
    Builder kind(Kind kind);

    /**
     * Sets the location: the vault name, the variable's name or the file's path.
     *
     * @param location the location
     * @return this builder
     */
    Builder location(String location);

    /**
     * Sets the Key Vault's URL ({@link Kind#AZURE_KEY_VAULT} only).
     *
     * @param vaultUrl e.g. {@code https://ops-vault.vault.azure.net/}
     * @return this builder
     */
    Builder vaultUrl(String vaultUrl);

    /**
     * Sets the secret's name in the vault ({@link Kind#AZURE_KEY_VAULT} only).
     *
     * @param secretName the secret's name
     * @return this builder
     */
    Builder secretName(String secretName);

    /**
     * Builds and validates the reference.
     *
     * @return the reference
     * @throws InvalidValueException if a part is missing or malformed
     */
    SecretRef build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableSecretRef.builder();
  }

  /**
   * A secret in an Azure Key Vault.
   *
   * @param vaultName the vault's name
   * @param vaultUrl the vault's URL, {@code https://...}
   * @param secretName the secret's name in the vault
   * @return the reference
   */
  public static SecretRef azureKeyVault(String vaultName, String vaultUrl, String secretName) {
    return builder()
        .kind(Kind.AZURE_KEY_VAULT)
        .location(vaultName)
        .vaultUrl(vaultUrl)
        .secretName(secretName)
        .build();
  }

  /**
   * An environment variable.
   *
   * @param variable the variable's name, e.g. {@code GRANTSMITH_PASSWORD}
   * @return the reference
   */
  public static SecretRef environment(String variable) {
    return builder().kind(Kind.ENVIRONMENT).location(variable).build();
  }

  /**
   * A file.
   *
   * @param path the file's path
   * @return the reference
   */
  public static SecretRef file(String path) {
    return builder().kind(Kind.FILE).location(path).build();
  }

  /**
   * The kind of place.
   *
   * @return the kind
   */
  public abstract Kind kind();

  /**
   * The vault name, the environment variable's name or the file's path.
   *
   * @return the location
   */
  public abstract String location();

  /**
   * The Key Vault's URL, for {@link Kind#AZURE_KEY_VAULT}.
   *
   * @return the URL
   */
  public abstract Optional<String> vaultUrl();

  /**
   * The secret's name in the vault, for {@link Kind#AZURE_KEY_VAULT}.
   *
   * @return the name
   */
  public abstract Optional<String> secretName();

  @Value.Check
  void check() {
    InvalidValueException.check(
        !location().isBlank(), "SecretRef.location", "must not be blank", location());
    switch (kind()) {
      case AZURE_KEY_VAULT:
        InvalidValueException.check(
            location().matches("[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]"),
            "SecretRef.location",
            "must be a Key Vault name (3-24 letters, digits, '-')",
            location());
        InvalidValueException.check(
            vaultUrl().isPresent()
                && vaultUrl().get().toLowerCase(Locale.ROOT).startsWith("https://"),
            "SecretRef.vaultUrl",
            "must be an https:// URL for an Azure Key Vault",
            vaultUrl().orElse(null));
        InvalidValueException.check(
            secretName().isPresent() && secretName().get().matches("[A-Za-z0-9-]{1,127}"),
            "SecretRef.secretName",
            "must be 1-127 letters, digits or '-'",
            secretName().orElse(null));
        break;
      case ENVIRONMENT:
        InvalidValueException.check(
            location().matches("[A-Za-z_][A-Za-z0-9_]*"),
            "SecretRef.location",
            "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)",
            location());
        absentForNonVault();
        break;
      default:
        InvalidValueException.check(
            location().indexOf('\0') < 0, "SecretRef.location", "must not contain NUL", location());
        absentForNonVault();
    }
  }

  private void absentForNonVault() {
    InvalidValueException.check(
        vaultUrl().isEmpty(),
        "SecretRef.vaultUrl",
        "must be absent unless the kind is AZURE_KEY_VAULT",
        vaultUrl().orElse(null));
    InvalidValueException.check(
        secretName().isEmpty(),
        "SecretRef.secretName",
        "must be absent unless the kind is AZURE_KEY_VAULT",
        secretName().orElse(null));
  }

  @Override
  public String toString() {
    switch (kind()) {
      case AZURE_KEY_VAULT:
        return "keyvault:" + location() + "/" + secretName().get();
      case ENVIRONMENT:
        return "env:" + location();
      default:
        return "file:" + location();
    }
  }
}
