package io.grantsmith.samples.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny JSON writer for the CLI's {@code --output json}: one object, written by hand, with strings
 * escaped as RFC 8259 requires; and a small, strict reader ({@link #parse}) for the files the CLI
 * reads.
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
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '\b':
          b.append("\\b");
          break;
        case '\f':
          b.append("\\f");
          break;
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

  // ------------------------------------------------------------------ reader

  /** The deepest nesting of objects {@link #parse} accepts. */
  public static final int MAX_DEPTH = 32;

  /**
   * Parses a JSON text strictly (RFC 8259, without arrays): objects, strings (with every escape,
   * including {@code \u005cuXXXX}), numbers, {@code true}, {@code false} and {@code null}, with
   * white space between tokens. Anything else, a duplicate member name, or text after the value is
   * rejected. A leading byte order mark is ignored.
   *
   * @param text the JSON text
   * @return a {@code Map<String, Object>} (in file order) for an object, a {@link String}, a {@link
   *     BigDecimal}, a {@link Boolean}, or null for JSON {@code null}; members hold the same kinds
   * @throws SyntaxException naming the line and column of the first error
   */
  public static Object parse(String text) {
    return parse(text, false);
  }

  /**
   * As {@link #parse(String)}, optionally also reading arrays (as {@code List<Object>}); the tests
   * use this to check the CLI's own {@code --output json}, which has arrays.
   *
   * @param text the JSON text
   * @param arrays whether arrays are accepted
   * @return the value
   * @throws SyntaxException naming the line and column of the first error
   */
  static Object parse(String text, boolean arrays) {
    Reader r = new Reader(text, arrays);
    if (r.pos < text.length() && text.charAt(r.pos) == '\ufeff') {
      r.pos++;
    }
    r.skipSpace();
    Object value = r.value(0);
    r.skipSpace();
    if (r.pos < text.length()) {
      throw r.error("unexpected " + r.describeHere() + " after the value");
    }
    return value;
  }

  /** Malformed JSON text; the message names the line and column (both from 1). */
  public static final class SyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    /**
     * Creates the exception.
     *
     * @param problem what is wrong
     * @param line the line (from 1)
     * @param column the column (from 1, in UTF-16 units)
     */
    public SyntaxException(String problem, int line, int column) {
      super(problem + " at line " + line + ", column " + column);
      this.line = line;
      this.column = column;
    }

    /**
     * The line of the error.
     *
     * @return from 1
     */
    public int line() {
      return line;
    }

    /**
     * The column of the error.
     *
     * @return from 1
     */
    public int column() {
      return column;
    }
  }

  /** A recursive-descent reader over one text. */
  private static final class Reader {
    private final String s;
    private final boolean arrays;
    private int pos;

    Reader(String s, boolean arrays) {
      this.s = s;
      this.arrays = arrays;
    }

    SyntaxException error(String problem) {
      return errorAt(problem, pos);
    }

    SyntaxException errorAt(String problem, int at) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at && i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\n' || c == '\r' && (i + 1 >= s.length() || s.charAt(i + 1) != '\n')) {
          line++;
          lineStart = i + 1;
        }
      }
      return new SyntaxException(problem, line, at - lineStart + 1);
    }

    String describeHere() {
      if (pos >= s.length()) {
        return "end of input";
      }
      char c = s.charAt(pos);
      return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("character U+%04X", (int) c);
    }

    void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    Object value(int depth) {
      if (pos >= s.length()) {
        throw error("expected a value but found end of input");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth + 1);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        case '[':
          if (!arrays) {
            throw error("arrays are not supported");
          }
          return array(depth + 1);
        default:
          if (c == '-' || c >= '0' && c <= '9') {
            return number();
          }
          throw error("expected a value but found " + describeHere());
      }
    }

    private Object literal(String word, Object value) {
      if (!s.startsWith(word, pos)) {
        throw error("expected a value but found " + describeHere());
      }
      pos += word.length();
      return value;
    }

    private Map<String, Object> object(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("values nested deeper than " + MAX_DEPTH);
      }
      pos++; // '{'
      Map<String, Object> members = new LinkedHashMap<>();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return members;
      }
      while (true) {
        skipSpace();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a member name (a string) but found " + describeHere());
        }
        int nameAt = pos;
        String name = string();
        if (members.containsKey(name)) {
          throw errorAt("duplicate member " + quote(name), nameAt);
        }
        skipSpace();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw error("expected ':' but found " + describeHere());
        }
        pos++;
        skipSpace();
        members.put(name, value(depth));
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
        } else if (pos < s.length() && s.charAt(pos) == '}') {
          pos++;
          return members;
        } else {
          throw error("expected ',' or '}' but found " + describeHere());
        }
      }
    }

    private List<Object> array(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("values nested deeper than " + MAX_DEPTH);
      }
      pos++; // '['
      List<Object> items = new ArrayList<>();
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return items;
      }
      while (true) {
        skipSpace();
        items.add(value(depth));
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
        } else if (pos < s.length() && s.charAt(pos) == ']') {
          pos++;
          return items;
        } else {
          throw error("expected ',' or ']' but found " + describeHere());
        }
      }
    }

    private String string() {
      pos++; // opening quote
      StringBuilder b = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          pos++;
          return b.toString();
        }
        if (c < 0x20) {
          throw error(
              "unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
        }
        if (c != '\\') {
          b.append(c);
          pos++;
          continue;
        }
        if (pos + 1 >= s.length()) {
          throw error("unterminated string");
        }
        char e = s.charAt(pos + 1);
        switch (e) {
          case '"':
            b.append('"');
            break;
          case '\\':
            b.append('\\');
            break;
          case '/':
            b.append('/');
            break;
          case 'b':
            b.append('\b');
            break;
          case 'f':
            b.append('\f');
            break;
          case 'n':
            b.append('\n');
            break;
          case 'r':
            b.append('\r');
            break;
          case 't':
            b.append('\t');
            break;
          case 'u':
            int code = 0;
            for (int i = 0; i < 4; i++) {
              int at = pos + 2 + i;
              int d = at < s.length() ? Character.digit(s.charAt(at), 16) : -1;
              if (d < 0) {
                throw error("\\u must be followed by four hex digits");
              }
              code = code * 16 + d;
            }
            b.append((char) code);
            pos += 4;
            break;
          default:
            throw error(
                "invalid escape \\"
                    + (e >= 0x20 && e < 0x7f ? String.valueOf(e) : String.format("U+%04X", (int) e))
                    + " in a string");
        }
        pos += 2;
      }
    }

    private BigDecimal number() {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos < s.length() && s.charAt(pos) == '0') {
        pos++;
      } else if (!digits()) {
        throw error("expected a digit but found " + describeHere());
      }
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        if (!digits()) {
          throw error("expected a digit after '.' but found " + describeHere());
        }
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (!digits()) {
          throw error("expected a digit in the exponent but found " + describeHere());
        }
      }
      try {
        return new BigDecimal(s.substring(start, pos));
      } catch (NumberFormatException e) {
        throw errorAt("number out of range", start);
      }
    }

    private boolean digits() {
      int start = pos;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        pos++;
      }
      return pos > start;
    }
  }
}
