package io.grantsmith.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A password or other secret. Its {@link #toString()} is {@code ****}, so it can travel through
 * values, logs and exceptions without leaking; only {@link #reveal()} gives the text.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret text.
   *
   * @param value the secret, not empty and without NUL
   * @return the secret
   * @throws InvalidValueException if empty or containing NUL (the message does not show it)
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty() || value.indexOf('\0') >= 0) {
      throw new InvalidValueException("Secret", "must be non-empty and without NUL", "****");
    }
    return new Secret(value);
  }

  /**
   * The secret text. Call it only where the secret must be used: a connection, a {@code PASSWORD}
   * literal, a secret store.
   *
   * @return the secret
   */
  public String reveal() {
    return value;
  }

  /** Compares in constant time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Secret
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8),
            ((Secret) o).value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0;
  }

  /** Always {@code ****}. */
  @Override
  public String toString() {
    return "****";
  }
}
