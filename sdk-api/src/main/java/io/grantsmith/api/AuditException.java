package io.grantsmith.api;

/** Thrown when an {@link AuditSink} cannot record an event. */
public class AuditException extends GrantsmithException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed; never contains a secret
   */
  public AuditException(String message) {
    super(message);
  }

  /**
   * Creates the exception.
   *
   * @param message what failed; never contains a secret
   * @param cause the underlying failure
   */
  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }
}
