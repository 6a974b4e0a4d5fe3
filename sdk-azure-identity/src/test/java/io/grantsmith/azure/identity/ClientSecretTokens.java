package io.grantsmith.azure.identity;

import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientSecretCredentialBuilder;
import io.grantsmith.testkit.EntraTokenSource;

/**
 * Real Entra tokens for the testkit's {@code EntraDirectory} on an external Azure server:
 * azure-identity's {@code ClientSecretCredential}, a new one per request so that each call asks
 * Entra for a token of its own (the emulation never calls it).
 */
final class ClientSecretTokens implements EntraTokenSource {

  @Override
  public String token(String tenantId, String clientId, String clientSecret, String scope) {
    return new ClientSecretCredentialBuilder()
        .tenantId(tenantId)
        .clientId(clientId)
        .clientSecret(clientSecret)
        .build()
        .getTokenSync(new TokenRequestContext().addScopes(scope))
        .getToken();
  }
}
