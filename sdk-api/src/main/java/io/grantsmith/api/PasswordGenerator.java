package io.grantsmith.api;

/** Makes new passwords for managed users and for the connector's rotation. */
@FunctionalInterface
public interface PasswordGenerator {
  /**
   * A new, strong password.
   *
   * @return the password
   */
  Secret generate();
}
