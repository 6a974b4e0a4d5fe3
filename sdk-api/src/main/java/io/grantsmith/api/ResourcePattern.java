package io.grantsmith.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pattern that names resources: the resources of an {@link AccessFlow}, or the keys of {@link
 * ResourceTags#of(java.util.Map)}.
 *
 * <p>A resource's <em>path</em> is its parts joined by {@code /}: {@code orders} (a database),
 * {@code orders/sales} (a schema), {@code orders/sales/invoices} (a relation or sequence), {@code
 * orders/sales/total(integer)} (a function with its argument types, as in {@link
 * ResourceRef#toString()}), {@code role:auditors} (a role) and {@code server} (the server). A
 * pattern is one of:
 *
 * <ul>
 *   <li>{@code *}: every resource, the server and roles included;
 *   <li>a path followed by {@code /*}, e.g. {@code orders/*} or {@code orders/sales/*}: every
 *       resource strictly inside that path, at any depth ({@code orders/*} covers {@code
 *       orders/sales} and {@code orders/sales/invoices}, but not the database {@code orders}
 *       itself);
 *   <li>an exact path, e.g. {@code orders}, {@code orders/sales/items}, {@code role:auditors} or
 *       {@code server}: that resource only.
 * </ul>
 *
 * <p>Parts are compared exactly (PostgreSQL names are case-sensitive). As in the CLI's {@code
 * --resource}, a backslash makes the next character literal: {@code a\/b} is one part {@code a/b},
 * {@code \*} a name {@code *}, {@code \server} a database named {@code server} and {@code role\:x}
 * a database named {@code role:x}.
 *
 * <pre>{@code
 * ResourcePattern.parse("orders/sales/*").matches(ResourceRef.relation("orders", "sales", "items"))
 * // true
 * }</pre>
 */
public final class ResourcePattern {
  /** Tags of the first part: identifiers hold no NUL, so these never collide with a name. */
  private static final String SERVER = "\0server";

  private static final String ROLE = "\0role:";
  private static final String DATABASE = "\0db:";

  /** An unescaped {@code *} part. */
  private static final String STAR = "\0*";

  private final String text;
  private final List<String> parts;
  private final boolean below;

  private ResourcePattern(String text, List<String> parts, boolean below) {
    this.text = text;
    this.parts = parts;
    this.below = below;
  }

  /**
   * Parses a pattern.
   *
   * @param text e.g. {@code orders/*}
   * @return the pattern
   * @throws InvalidValueException if it is blank, has an empty part or a {@code *} anywhere but as
   *     the whole last part
   */
  public static ResourcePattern parse(String text) {
    return parse("ResourcePattern", text);
  }

  /**
   * Parses a pattern, naming {@code field} in the error.
   *
   * @param field the qualified field name for the error message, e.g. {@code AccessFlow.resources}
   * @param text e.g. {@code orders/*}
   * @return the pattern
   * @throws InvalidValueException if it is not a valid pattern
   */
  public static ResourcePattern parse(String field, String text) {
    InvalidValueException.check(text != null, field, "must be set", null);
    InvalidValueException.check(
        !text.isBlank() && text.strip().equals(text),
        field,
        "must be a non-blank pattern without surrounding spaces",
        text);
    InvalidValueException.check(
        text.chars().noneMatch(Character::isISOControl),
        field,
        "must not hold control characters",
        text);
    if (text.equals("*")) {
      return new ResourcePattern(text, List.of(), true);
    }
    if (text.equals("server")) {
      return new ResourcePattern(text, List.of(SERVER), false);
    }
    if (text.startsWith("role:")) {
      List<String> role = split(field, text, text.substring(5));
      InvalidValueException.check(
          role.size() == 1 && !role.get(0).equals(STAR),
          field,
          "must name one role after role: (escape a / inside it as \\/)",
          text);
      return new ResourcePattern(text, List.of(ROLE + role.get(0)), false);
    }
    List<String> split = split(field, text, text);
    boolean below = split.get(split.size() - 1).equals(STAR);
    int n = below ? split.size() - 1 : split.size();
    InvalidValueException.check(
        n <= 3, field, "must have at most 3 parts (database/schema/name)", text);
    List<String> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String p = split.get(i);
      InvalidValueException.check(
          !p.isEmpty(), field, "must not have an empty part (as in a//b or a trailing /)", text);
      InvalidValueException.check(
          !p.equals(STAR), field, "may hold * only as the whole pattern or its last part", text);
      parts.add(i == 0 ? DATABASE + p : p);
    }
    return new ResourcePattern(text, List.copyOf(parts), below);
  }

  /**
   * Splits at unescaped {@code /}; a backslash makes the next character literal. An unescaped
   * {@code *} is allowed only as a whole part, which becomes {@link #STAR}.
   */
  private static List<String> split(String field, String text, String s) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean star = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        InvalidValueException.check(
            i + 1 < s.length(), field, "must not end with a lone backslash", text);
        part.append(s.charAt(++i));
      } else if (c == '/') {
        parts.add(star ? STAR : part.toString());
        part.setLength(0);
        star = false;
      } else if (c == '*') {
        InvalidValueException.check(
            part.length() == 0 && !star && (i + 1 == s.length() || s.charAt(i + 1) == '/'),
            field,
            "may hold * only as a whole part (escape a * inside a name as \\*)",
            text);
        star = true;
      } else {
        InvalidValueException.check(
            !star,
            field,
            "may hold * only as a whole part (escape a * inside a name as \\*)",
            text);
        part.append(c);
      }
    }
    parts.add(star ? STAR : part.toString());
    return parts;
  }

  /**
   * The path of a resource, as patterns write it: {@code orders}, {@code orders/sales}, {@code
   * orders/sales/invoices}, {@code orders/sales/total(integer)}, {@code role:auditors}, {@code
   * server}. A {@code /}, {@code *} or backslash inside a name is escaped with a backslash, as is a
   * database named {@code server} or starting with {@code role:}, so that the path, read as an
   * exact pattern, names this resource and no other.
   *
   * @param resource a resource
   * @return the path
   */
  public static String path(ResourceRef resource) {
    List<String> parts = parts(resource);
    String first = parts.get(0);
    if (first.equals(SERVER)) {
      return "server";
    }
    if (first.startsWith(ROLE)) {
      return "role:" + escape(first.substring(ROLE.length()));
    }
    StringBuilder out = new StringBuilder();
    String db = escape(first.substring(DATABASE.length()));
    if (db.equals("server") || db.startsWith("role:")) {
      db = "\\" + db;
    }
    out.append(db);
    for (String p : parts.subList(1, parts.size())) {
      out.append('/').append(escape(p));
    }
    return out.toString();
  }

  private static String escape(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '*' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** The parts a resource is matched by, the first tagged with the kind of its root. */
  private static List<String> parts(ResourceRef r) {
    switch (r.kind()) {
      case SERVER:
        return List.of(SERVER);
      case ROLE:
        return List.of(ROLE + r.name().get());
      case DATABASE:
        return List.of(DATABASE + r.database().get());
      case SCHEMA:
        return List.of(DATABASE + r.database().get(), r.schema().get());
      case FUNCTION:
        return List.of(
            DATABASE + r.database().get(),
            r.schema().get(),
            r.name().get() + "(" + r.arguments().get() + ")");
      default:
        return List.of(DATABASE + r.database().get(), r.schema().get(), r.name().get());
    }
  }

  /**
   * Whether this pattern names {@code resource}.
   *
   * @param resource a resource
   * @return true if it matches
   */
  public boolean matches(ResourceRef resource) {
    List<String> path = parts(resource);
    if (below) {
      return path.size() > parts.size() && path.subList(0, parts.size()).equals(parts);
    }
    return path.equals(parts);
  }

  /**
   * How specific the pattern is, to choose among several that match: an exact path beats any {@code
   * /*} pattern, a longer {@code /*} pattern beats a shorter one, and {@code *} is the least
   * specific.
   *
   * @return a rank; higher is more specific
   */
  public int specificity() {
    return below ? parts.size() : 100 + parts.size();
  }

  /**
   * Whether this is the pattern {@code *}.
   *
   * @return true for {@code *}
   */
  public boolean isEverything() {
    return below && parts.isEmpty();
  }

  /**
   * Equal when the text is equal.
   *
   * @param o another object
   * @return whether it is the same pattern
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ResourcePattern && ((ResourcePattern) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text);
  }

  /**
   * The pattern as written.
   *
   * @return e.g. {@code orders/*}
   */
  @Override
  public String toString() {
    return text;
  }
}
