package io.grantsmith.samples.cli;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.ResourceRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the {@code --resource} syntax of the CLI.
 *
 * <ul>
 *   <li>{@code DB}: a database;
 *   <li>{@code DB/SCHEMA}: a schema;
 *   <li>{@code DB/SCHEMA/TABLE}: a table, view or materialized view;
 *   <li>{@code role:NAME}: membership in an existing role.
 * </ul>
 *
 * <p>A backslash escapes the next character: {@code \/} is a {@code /} inside a name, {@code \\} a
 * backslash, and {@code role\:x} a database named {@code role:x}. Names are taken as written
 * (case-sensitive, no quotes).
 */
public final class Resources {
  private Resources() {}

  /**
   * Parses one resource.
   *
   * @param text e.g. {@code shop/sales}, {@code shop/a\/b/t} or {@code role:analysts}
   * @return the resource
   * @throws InvalidValueException naming {@code --resource} if the text is malformed
   */
  public static ResourceRef parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidValueException(
          "--resource", "must be DB, DB/SCHEMA, DB/SCHEMA/TABLE" + " or role:NAME", text);
    }
    if (text.startsWith("role:")) {
      List<String> parts = split(text.substring(5), text);
      if (parts.size() != 1) {
        throw new InvalidValueException(
            "--resource",
            "must name one role after role:" + " (escape a / inside it as \\/)",
            text);
      }
      return ResourceRef.role(parts.get(0));
    }
    List<String> parts = split(text, text);
    switch (parts.size()) {
      case 1:
        return ResourceRef.database(parts.get(0));
      case 2:
        return ResourceRef.schema(parts.get(0), parts.get(1));
      case 3:
        return ResourceRef.relation(parts.get(0), parts.get(1), parts.get(2));
      default:
        throw new InvalidValueException(
            "--resource",
            "must be DB, DB/SCHEMA, DB/SCHEMA/TABLE"
                + " or role:NAME (escape a / inside a name as \\/)",
            text);
    }
  }

  private static List<String> split(String s, String whole) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 == s.length()) {
          throw new InvalidValueException(
              "--resource", "must not end with a lone backslash", whole);
        }
        cur.append(s.charAt(++i));
      } else if (c == '/') {
        out.add(part(cur, whole));
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(part(cur, whole));
    return out;
  }

  private static String part(StringBuilder cur, String whole) {
    if (cur.length() == 0) {
      throw new InvalidValueException("--resource", "must not contain an empty name", whole);
    }
    return cur.toString();
  }

  /**
   * Writes a name so that {@link #parse} reads it back as one name.
   *
   * @param name a database, schema, table or role name
   * @return the name with {@code \}, {@code /} escaped
   */
  public static String escape(String name) {
    return name.replace("\\", "\\\\").replace("/", "\\/");
  }
}
