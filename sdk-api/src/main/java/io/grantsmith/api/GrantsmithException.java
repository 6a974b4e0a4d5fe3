package io.grantsmith.api;

/** The root of the exceptions Grantsmith throws when an operation fails (not for bad input). */
public class GrantsmithException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed; never contains a secret
   */
  public GrantsmithException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what failed; never contains a secret
   * @param cause the underlying failure
   */
  public GrantsmithException(String message, Throwable cause) {
    super(message, cause);
  }
}
