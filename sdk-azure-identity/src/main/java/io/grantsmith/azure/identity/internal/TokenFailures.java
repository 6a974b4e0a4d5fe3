package io.grantsmith.azure.identity.internal;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import io.grantsmith.azure.identity.EntraAuth;
import io.grantsmith.azure.identity.EntraCredentialException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Recognizes azure-identity's failures to get a token among the causes of a failed login. */
public final class TokenFailures {
  private TokenFailures() {}

  /**
   * An {@link EntraCredentialException} for a login that failed because no token could be had: it
   * names the credential configured, what azure-identity tries for it, and every reason
   * azure-identity gave (its exception and their causes, each once).
   *
   * @param failure the login's failure
   * @param auth the configured credential
   * @return the exception, or null if the failure has another cause
   */
  public static EntraCredentialException unavailable(Throwable failure, EntraAuth auth) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CredentialUnavailableException
          || t instanceof ClientAuthenticationException) {
        Set<String> reasons = new LinkedHashSet<>();
        for (Throwable r = t; r != null; r = r.getCause() == r ? null : r.getCause()) {
          String m = String.valueOf(r.getMessage()).strip();
          if (!m.isEmpty() && !"null".equals(m)) {
            reasons.add(m);
          }
        }
        return new EntraCredentialException(
            "No Microsoft Entra token for "
                + auth.describe()
                + " (scope "
                + auth.scope()
                + "); azure-identity tried "
                + tried(auth)
                + ": "
                + String.join(" / ", reasons),
            failure);
      }
    }
    return null;
  }

  private static String tried(EntraAuth auth) {
    switch (auth.kind()) {
      case MANAGED_IDENTITY:
        return "ManagedIdentityCredential";
      case SERVICE_PRINCIPAL:
        return auth.clientSecret().isPresent()
            ? "ClientSecretCredential"
            : "ClientCertificateCredential";
      case TOKEN_CREDENTIAL_PROVIDER:
        return "the credential of " + auth.tokenCredentialProviderClassName().orElse("?");
      default:
        return "DefaultAzureCredential (EnvironmentCredential, WorkloadIdentityCredential,"
            + " ManagedIdentityCredential, then the Azure CLI, Azure PowerShell and Azure"
            + " Developer CLI sign-ins, stopping at the first that answers)";
    }
  }
}
