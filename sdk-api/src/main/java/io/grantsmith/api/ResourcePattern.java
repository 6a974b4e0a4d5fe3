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
 * <p>Parts are compared exactly (PostgreSQL names are case-sensitive); a name holding {@code /} or
 * {@code *} cannot be named by a pattern, only by {@code *} or the pattern of its parent.
 *
 * <pre>{@code
 * ResourcePattern.parse("orders/sales/*").matches(ResourceRef.relation("orders", "sales", "items"))
 * // true
 * }</pre>
 */
public final class ResourcePattern {
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
    String[] split = text.split("/", -1);
    boolean below = split[split.length - 1].equals("*");
    int n = below ? split.length - 1 : split.length;
    InvalidValueException.check(
        n <= 3, field, "must have at most 3 parts (database/schema/name)", text);
    List<String> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String p = split[i];
      InvalidValueException.check(
          !p.isEmpty(), field, "must not have an empty part (as in a//b or a trailing /)", text);
      InvalidValueException.check(
          p.indexOf('*') < 0, field, "may hold * only as the whole pattern or its last part", text);
      parts.add(p);
    }
    return new ResourcePattern(text, List.copyOf(parts), below);
  }

  /**
   * The path of a resource, as patterns see it.
   *
   * @param resource a resource
   * @return e.g. {@code orders/sales/invoices}, {@code role:auditors} or {@code server}
   */
  public static String path(ResourceRef resource) {
    return String.join("/", parts(resource));
  }

  private static List<String> parts(ResourceRef r) {
    switch (r.kind()) {
      case SERVER:
        return List.of("server");
      case ROLE:
        return List.of("role:" + r.name().get());
      case DATABASE:
        return List.of(r.database().get());
      case SCHEMA:
        return List.of(r.database().get(), r.schema().get());
      case FUNCTION:
        return List.of(
            r.database().get(), r.schema().get(), r.name().get() + "(" + r.arguments().get() + ")");
      default:
        return List.of(r.database().get(), r.schema().get(), r.name().get());
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
