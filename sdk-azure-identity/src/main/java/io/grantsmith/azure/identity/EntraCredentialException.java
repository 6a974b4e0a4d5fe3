package io.grantsmith.azure.identity;

import io.grantsmith.api.GrantsmithException;

/**
 * azure-identity could not get a Microsoft Entra token: no credential was found, or the one
 * configured was refused. The message names the credential configured and, for azure-identity's
 * default chain, each credential it tried and why it was unavailable.
 */
public class EntraCredentialException extends GrantsmithException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was tried, without secrets
   * @param cause azure-identity's exception
   */
  public EntraCredentialException(String message, Throwable cause) {
    super(message, cause);
  }
}
