package io.grantsmith.samples.cli;

import java.util.Collection;
import java.util.Map;

/**
 * A tiny JSON writer for the CLI's {@code --output json}: one object, written by hand, with
 * strings escaped as RFC 8259 requires.
 */
public final class Json {
  private final StringBuilder out = new StringBuilder("{");
  private boolean first = true;

  /** Starts an object. */
  public Json() {}

  /**
   * Adds a string member (null becomes JSON null).
   *
   * @param name the member name
   * @param value the value
   * @return this
   */
  public Json put(String name, String value) {
    return raw(name, value == null ? "null" : quote(value));
  }

  /**
   * Adds a number member.
   *
   * @param name the member name
   * @param value the value
   * @return this
   */
  public Json put(String name, long value) {
    return raw(name, Long.toString(value));
  }

  /**
   * Adds a boolean member.
   *
   * @param name the member name
   * @param value the value
   * @return this
   */
  public Json put(String name, boolean value) {
    return raw(name, Boolean.toString(value));
  }

  /**
   * Adds an array of strings.
   *
   * @param name the member name
   * @param values the strings
   * @return this
   */
  public Json putAll(String name, Collection<String> values) {
    StringBuilder b = new StringBuilder("[");
    for (String v : values) {
      if (b.length() > 1) {
        b.append(',');
      }
      b.append(quote(v));
    }
    return raw(name, b.append(']').toString());
  }

  /**
   * Adds an object of string members.
   *
   * @param name the member name
   * @param values the members
   * @return this
   */
  public Json putMap(String name, Map<String, String> values) {
    Json inner = new Json();
    values.forEach(inner::put);
    return raw(name, inner.toString());
  }

  /**
   * Adds an already-rendered JSON value.
   *
   * @param name the member name
   * @param json valid JSON
   * @return this
   */
  public Json raw(String name, String json) {
    if (!first) {
      out.append(',');
    }
    first = false;
    out.append(quote(name)).append(':').append(json);
    return this;
  }

  /**
   * A JSON string literal.
   *
   * @param s any string
   * @return it quoted, with {@code "}, {@code \} and control characters escaped
   */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        case '\b': b.append("\\b"); break;
        case '\f': b.append("\\f"); break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }

  /**
   * The object.
   *
   * @return the JSON text
   */
  @Override
  public String toString() {
    return out + "}";
  }
}
