package io.grantsmith.postgres.azure.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Quoting of identifiers and literals exactly as PostgreSQL's {@code quote_ident} and {@code
 * quote_literal} do it. Every name and every literal in SQL that Grantsmith renders goes through
 * here.
 */
public final class Sql {
  /** Keywords that {@code quote_ident} quotes, with the first major version that has each. */
  private static final Map<String, Integer> QUOTED_KEYWORDS = loadKeywords();

  private Sql() {}

  /**
   * Quotes {@code name} as {@code quote_ident} does: unchanged if it is a lower-case word ({@code
   * [a-z_][a-z0-9_]*}) that is not a reserved, column-name or type-function-name keyword; otherwise
   * in double quotes with embedded double quotes doubled.
   *
   * <p>This form quotes the keywords of the newest supported version, a superset of older versions'
   * keywords, so its output is valid on every version.
   *
   * @param name an identifier
   * @return the quoted identifier
   */
  public static String ident(String name) {
    return ident(name, Integer.MAX_VALUE);
  }

  /**
   * Quotes {@code name} exactly as {@code quote_ident} of a server of {@code majorVersion} does
   * (newer versions know more keywords).
   *
   * @param name an identifier
   * @param majorVersion the server's major version, e.g. 16
   * @return the quoted identifier
   */
  public static String ident(String name, int majorVersion) {
    if (isSafe(name, majorVersion)) {
      return name;
    }
    StringBuilder out = new StringBuilder(name.length() + 2).append('"');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"') {
        out.append('"');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  private static boolean isSafe(String name, int majorVersion) {
    if (name.isEmpty()) {
      return false;
    }
    char first = name.charAt(0);
    if (!((first >= 'a' && first <= 'z') || first == '_')) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    Integer since = QUOTED_KEYWORDS.get(name);
    return since == null || since > majorVersion;
  }

  /**
   * Quotes {@code text} as {@code quote_literal} does: in single quotes with single quotes doubled;
   * if it holds a backslash, backslashes are doubled and the literal is prefixed with {@code E}.
   *
   * @param text a string
   * @return the literal
   */
  public static String literal(String text) {
    boolean backslash = text.indexOf('\\') >= 0;
    StringBuilder out = new StringBuilder(text.length() + 3);
    if (backslash) {
      out.append('E');
    }
    out.append('\'');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '\\') {
        out.append(c);
      }
      out.append(c);
    }
    return out.append('\'').toString();
  }

  /**
   * A schema-qualified name, each part quoted.
   *
   * @param schema the schema
   * @param name the object
   * @return {@code schema.name}, quoted
   */
  public static String qualified(String schema, String name) {
    return ident(schema) + "." + ident(name);
  }

  private static Map<String, Integer> loadKeywords() {
    Map<String, Integer> words = new HashMap<>();
    try (InputStream in = Sql.class.getResourceAsStream("quoted-keywords.txt")) {
      if (in == null) {
        throw new IllegalStateException("quoted-keywords.txt is missing from the classpath");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String w = line.trim();
        if (!w.isEmpty() && !w.startsWith("#")) {
          String[] parts = w.split(" ");
          words.put(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(words);
  }
}
