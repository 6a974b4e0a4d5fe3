package io.grantsmith.api;

import org.immutables.value.Value;

/** A user name and its password, as a {@link SecretStore} keeps them. */
@Value.Immutable
public abstract class Credentials {
  Credentials() {}

  /** Builds {@link Credentials}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance credentials
     * @return this builder
     */
    Builder from(Credentials instance);

    /**
     * Sets the user name.
     *
     * @param username the role to log in as
     * @return this builder
     */
    Builder username(String username);

    /**
     * Sets the password.
     *
     * @param password the password
     * @return this builder
     */
    Builder password(Secret password);

    /**
     * Builds and validates.
     *
     * @return the credentials
     * @throws InvalidValueException if the user name is not a valid identifier
     */
    Credentials build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableCredentials.builder();
  }

  /**
   * Credentials from a user name and a password.
   *
   * @param username the role to log in as
   * @param password the password
   * @return the credentials
   */
  public static Credentials of(String username, Secret password) {
    return builder().username(username).password(password).build();
  }

  /**
   * The role to log in as.
   *
   * @return the user name
   */
  public abstract String username();

  /**
   * The password; {@link #toString()} shows it as {@code ****}.
   *
   * @return the password
   */
  @Value.Redacted
  public abstract Secret password();

  @Value.Check
  void check() {
    Identifiers.check("Credentials.username", username());
  }
}
