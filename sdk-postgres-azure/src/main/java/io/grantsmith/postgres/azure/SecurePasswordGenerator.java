package io.grantsmith.postgres.azure;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.PasswordGenerator;
import io.grantsmith.api.Secret;
import java.security.SecureRandom;

/**
 * The default {@link PasswordGenerator}: passwords of letters and digits ({@code [A-Za-z0-9]}, safe
 * unquoted in connection strings, URLs and shells) drawn uniformly from {@link SecureRandom}. The
 * default length of 32 gives about 190 bits.
 *
 * <pre>{@code
 * Secret password = new SecurePasswordGenerator().generate();
 * }</pre>
 */
public final class SecurePasswordGenerator implements PasswordGenerator {
  /** The default length: 32 characters, about 190 bits. */
  public static final int DEFAULT_LENGTH = 32;

  /** The shortest length allowed: 22 characters, about 131 bits. */
  public static final int MIN_LENGTH = 22;

  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final SecureRandom random;
  private final int length;

  /** A generator of {@value #DEFAULT_LENGTH}-character passwords. */
  public SecurePasswordGenerator() {
    this(DEFAULT_LENGTH);
  }

  /**
   * A generator of passwords of the given length.
   *
   * @param length at least {@value #MIN_LENGTH}
   * @throws InvalidValueException if shorter
   */
  public SecurePasswordGenerator(int length) {
    InvalidValueException.check(
        length >= MIN_LENGTH,
        "SecurePasswordGenerator.length",
        "must be at least " + MIN_LENGTH + " (128 bits)",
        length);
    this.length = length;
    this.random = new SecureRandom();
  }

  /**
   * The entropy of one password.
   *
   * @return bits, e.g. about 190.5 for 32 characters
   */
  public double bits() {
    return length * (Math.log(ALPHABET.length) / Math.log(2));
  }

  @Override
  public Secret generate() {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[random.nextInt(ALPHABET.length)]; // nextInt(bound) is unbiased
    }
    return Secret.of(new String(out));
  }

  @Override
  public String toString() {
    return "SecurePasswordGenerator{length=" + length + "}";
  }
}
