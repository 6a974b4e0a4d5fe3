package io.grantsmith.azure.identity.internal;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import io.grantsmith.azure.identity.EntraAuth;
import io.grantsmith.azure.identity.EntraCredentialException;

/** Recognizes azure-identity's failures to get a token among the causes of a failed login. */
public final class TokenFailures {
  private TokenFailures() {}

  /**
   * An {@link EntraCredentialException} for a login that failed because no token could be had.
   *
   * @param failure the login's failure
   * @param auth the configured credential
   * @return the exception, or null if the failure has another cause
   */
  public static EntraCredentialException unavailable(Throwable failure, EntraAuth auth) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CredentialUnavailableException
          || t instanceof ClientAuthenticationException) {
        return new EntraCredentialException(
            "No Microsoft Entra token for "
                + auth.describe()
                + " (scope "
                + auth.scope()
                + "): "
                + t.getMessage(),
            failure);
      }
    }
    return null;
  }
}
