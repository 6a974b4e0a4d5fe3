package io.grantsmith.azure.identity.internal;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.extensions.implementation.credential.TokenCredentialProviderOptions;
import com.azure.identity.extensions.implementation.credential.provider.TokenCredentialProvider;
import io.grantsmith.azure.identity.EntraAuth;
import java.util.Properties;

/**
 * The azure-identity credential an {@link EntraAuth} describes, for clients other than the database
 * (Key Vault): built by azure-identity-extensions from the same properties the pgjdbc plugin gets,
 * so both use the same credential.
 */
public final class AzureCredentials {
  private AzureCredentials() {}

  /**
   * Builds the credential.
   *
   * @param auth the configuration
   * @return the credential
   */
  public static TokenCredential of(EntraAuth auth) {
    Properties p = PluginProperties.apply(new Properties(), auth);
    return TokenCredentialProvider.createDefault(new TokenCredentialProviderOptions(p)).get();
  }
}
