package io.grantsmith.api;

import java.util.Locale;

/**
 * How the connection to the server is secured, with libpq's (and pgjdbc's) meaning of each mode.
 * The SDK's default is {@link #REQUIRE}, because Azure enforces TLS.
 */
public enum SslMode {
  /** An unencrypted connection is used. */
  DISABLE("disable"),
  /** Unencrypted first; TLS if the server insists. */
  ALLOW("allow"),
  /** TLS first; unencrypted if the server does not offer it. */
  PREFER("prefer"),
  /** TLS must be used; the certificate is not verified. */
  REQUIRE("require"),
  /** TLS must be used and the certificate must be signed by a trusted CA. */
  VERIFY_CA("verify-ca"),
  /** As {@link #VERIFY_CA}, and the host name must match the certificate. */
  VERIFY_FULL("verify-full");

  private final String libpqName;

  SslMode(String libpqName) {
    this.libpqName = libpqName;
  }

  /**
   * The libpq spelling of this mode, e.g. {@code verify-full}; pgjdbc's {@code sslmode} takes the
   * same words.
   *
   * @return the libpq name
   */
  public String libpqName() {
    return libpqName;
  }

  /**
   * Parses the libpq spelling ({@code verify-full}) or the enum name ({@code VERIFY_FULL}),
   * ignoring case.
   *
   * @param text the mode
   * @return the mode
   * @throws InvalidValueException if it names no mode
   */
  public static SslMode parse(String text) {
    if (text != null) {
      String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (SslMode m : values()) {
        if (m.libpqName.equals(t)) {
          return m;
        }
      }
    }
    throw new InvalidValueException(
        "sslMode", "must be one of disable, allow, prefer, require, verify-ca, verify-full", text);
  }

  @Override
  public String toString() {
    return libpqName;
  }
}
