package io.grantsmith.samples.cli;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.SecretRef;
import io.grantsmith.azure.identity.AzureCloud;
import io.grantsmith.azure.identity.EntraAuth;
import io.grantsmith.azure.identity.EntraConnections;
import io.grantsmith.azure.identity.KeyVaultSecretStore;
import io.grantsmith.postgres.azure.ConnectionSource;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * How the connector logs in: {@code --auth password} (the default; the password from {@code
 * GRANTSMITH_PASSWORD} or from a Key Vault secret, {@code --password-secret}) or {@code --auth
 * entra} (Microsoft Entra tokens through azure-identity, no password). {@code --entra-client-id}
 * picks a user-assigned managed identity, for tokens and for Key Vault; without it azure-identity's
 * default chain is used (workload identity, a system-assigned managed identity, a developer's Azure
 * CLI sign-in, ...).
 */
final class AuthOptions {
  /** How the connector authenticates. */
  enum Mode {
    /** A password. */
    PASSWORD,
    /** Microsoft Entra tokens. */
    ENTRA
  }

  /** {@code password} or {@code entra}. */
  static final class ModeConverter implements ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "password":
          return Mode.PASSWORD;
        case "entra":
          return Mode.ENTRA;
        default:
          throw new TypeConversionException("must be password or entra, not '" + value + "'");
      }
    }
  }

  @Option(
      names = "--auth",
      paramLabel = "password|entra",
      converter = ModeConverter.class,
      description =
          "How the connector logs in: password (default; GRANTSMITH_PASSWORD or"
              + " --password-secret) or entra (Microsoft Entra tokens; the connector is an Entra"
              + " administrator of the server). Env: GRANTSMITH_AUTH.")
  Mode mode;

  @Option(
      names = "--entra-client-id",
      paramLabel = "UUID",
      description =
          "Client id of a user-assigned managed identity, for Entra tokens and Key Vault"
              + " (default: azure-identity's default chain). Env: GRANTSMITH_ENTRA_CLIENT_ID.")
  String clientId;

  @Option(
      names = "--entra-token-provider",
      paramLabel = "CLASS",
      description =
          "A TokenCredentialProvider class of yours (azure-identity-extensions; on the class"
              + " path) that gives the Entra credential, instead of a managed identity or the"
              + " default chain.")
  String tokenProvider;

  @Option(
      names = "--password-secret",
      paramLabel = "keyvault://VAULT/SECRET",
      description =
          "Read the connector's password (its value) and user name (its tag username) from an"
              + " Azure Key Vault secret instead of GRANTSMITH_PASSWORD; rotate-connector-password"
              + " writes the new one there as a new version. Env: GRANTSMITH_PASSWORD_SECRET.")
  String passwordSecret;

  Mode mode() {
    return mode == null ? Mode.PASSWORD : mode;
  }

  boolean entra() {
    return mode() == Mode.ENTRA;
  }

  /** The azure-identity credential: the user-assigned identity if given, else the default chain. */
  EntraAuth entraAuth() {
    if (tokenProvider != null) {
      if (clientId != null) {
        throw new GrantsmithCli.UsageException(
            "--entra-client-id and --entra-token-provider exclude each other");
      }
      return EntraAuth.tokenCredentialProvider(tokenProvider);
    }
    return clientId != null ? EntraAuth.managedIdentity(clientId) : EntraAuth.developer();
  }

  /** The Key Vault secret of {@code --password-secret}, if given. */
  SecretRef secretRef() {
    return passwordSecret == null
        ? null
        : KeyVaultSecretStore.parse(passwordSecret, AzureCloud.PUBLIC);
  }

  KeyVaultSecretStore store() {
    return KeyVaultSecretStore.of(entraAuth());
  }

  /**
   * Checks that the options go together.
   *
   * @throws GrantsmithCli.UsageException if they do not
   */
  void check() {
    if (entra() && passwordSecret != null) {
      throw new GrantsmithCli.UsageException(
          "--password-secret and --auth entra exclude each other: an Entra connector has no"
              + " password");
    }
    if (clientId != null || tokenProvider != null) {
      entraAuth(); // checks the client id or class name
    }
    secretRef();
  }

  /**
   * Connections as the connector with Entra tokens.
   *
   * @param integration the server
   * @param user the connector's role name
   * @return the connections
   */
  ConnectionSource entraConnections(Integration integration, String user) {
    return EntraConnections.of(integration, user, entraAuth());
  }

  /**
   * The connector's credentials from {@code --password-secret}.
   *
   * @param user the expected user name ({@code --user})
   * @return the credentials
   * @throws GrantsmithCli.UsageException if the secret is for another user
   */
  Credentials loadFromVault(String user) {
    Credentials c = store().load(secretRef());
    if (!c.username().equals(user)) {
      throw new GrantsmithCli.UsageException(
          "the secret "
              + secretRef()
              + " holds the password of "
              + c.username()
              + ", not of --user "
              + user);
    }
    return c;
  }
}
