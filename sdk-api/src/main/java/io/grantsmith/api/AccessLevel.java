package io.grantsmith.api;

import java.util.Locale;

/**
 * How much access a request asks for. What each level means on each object kind is decided by an
 * {@link AccessPolicy}; {@link AccessPolicy#standard()} documents the default table.
 */
public enum AccessLevel {
  /** Read data. */
  READ_ONLY,
  /** Read and change data. */
  READ_WRITE,
  /** Every privilege, including creating objects. */
  ADMIN;

  /**
   * Parses {@code read-only}, {@code read_write}, {@code ADMIN} and similar spellings.
   *
   * @param text the level
   * @return the level
   * @throws InvalidValueException if it names no level
   */
  public static AccessLevel parse(String text) {
    if (text != null) {
      String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (AccessLevel l : values()) {
        if (l.name().equals(t)) {
          return l;
        }
      }
    }
    throw new InvalidValueException("level", "must be one of read-only, read-write, admin", text);
  }

  /**
   * The CLI spelling, e.g. {@code read-only}.
   *
   * @return the lower-case, hyphenated name
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
