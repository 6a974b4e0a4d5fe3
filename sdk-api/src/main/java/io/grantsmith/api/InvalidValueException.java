package io.grantsmith.api;

import java.util.Objects;

/**
 * Thrown when a value fails validation: the message names the field, the rule it broke and the
 * offending value (secrets are never included).
 *
 * <pre>{@code
 * Integration.port must be between 1 and 65535, but was 70000
 * }</pre>
 */
public class InvalidValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The field whose value was refused. */
  private final String field;

  /** The rule the value broke. */
  private final String rule;

  /**
   * Creates the exception.
   *
   * @param field the qualified field name, e.g. {@code Integration.port}
   * @param rule what the value must satisfy, e.g. {@code must be between 1 and 65535}
   * @param value the offending value, rendered with {@link #describe(Object)}
   */
  public InvalidValueException(String field, String rule, Object value) {
    super(field + " " + rule + ", but was " + describe(value));
    this.field = Objects.requireNonNull(field, "field");
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  /**
   * The qualified name of the field that failed, e.g. {@code Integration.port}.
   *
   * @return the field name
   */
  public String field() {
    return field;
  }

  /**
   * The rule the value broke, e.g. {@code must be between 1 and 65535}.
   *
   * @return the rule
   */
  public String rule() {
    return rule;
  }

  /**
   * Renders a value for an error message: strings are quoted with non-printable characters escaped,
   * so that a NUL or a trailing space is visible.
   *
   * @param value any value, may be null
   * @return a printable rendering
   */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (!(value instanceof CharSequence)) {
      return String.valueOf(value);
    }
    CharSequence s = (CharSequence) value;
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    int limit = Math.min(s.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (s.length() > limit) {
      out.append("...(").append(s.length()).append(" chars)");
    }
    return out.append('"').toString();
  }

  /**
   * Throws an {@code InvalidValueException} unless {@code ok}.
   *
   * @param ok whether the value satisfies the rule
   * @param field the qualified field name
   * @param rule what the value must satisfy
   * @param value the value
   * @throws InvalidValueException if not {@code ok}
   */
  public static void check(boolean ok, String field, String rule, Object value) {
    if (!ok) {
      throw new InvalidValueException(field, rule, value);
    }
  }
}
