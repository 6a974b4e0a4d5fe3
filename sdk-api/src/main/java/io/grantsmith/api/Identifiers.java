package io.grantsmith.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Rules for PostgreSQL identifiers (names of databases, schemas, relations, roles...).
 *
 * <p>A PostgreSQL identifier is 1 to 63 bytes of UTF-8 without NUL; any other character is allowed,
 * because Grantsmith always quotes names when it renders SQL. Role names that Grantsmith
 * <em>creates</em> must in addition not be reserved: {@code pg_*}, {@code azure_*}, {@code public},
 * {@code current_user}, {@code current_role}, {@code session_user}, {@code none}, {@code
 * replication} and {@code azuresu}.
 */
public final class Identifiers {
  /** The longest identifier PostgreSQL keeps, in bytes of UTF-8 ({@code NAMEDATALEN - 1}). */
  public static final int MAX_BYTES = 63;

  private static final Set<String> RESERVED_ROLE_NAMES =
      Set.of(
          "public",
          "current_user",
          "current_role",
          "session_user",
          "none",
          "replication",
          "azuresu");

  private Identifiers() {}

  /**
   * Whether {@code name} is a valid PostgreSQL identifier: 1 to 63 bytes of UTF-8, no NUL.
   *
   * @param name a candidate name, may be null
   * @return true if valid
   */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
      return false;
    }
    return name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
  }

  /**
   * Checks that {@code name} is a valid identifier.
   *
   * @param field the qualified field name for the error message
   * @param name the value
   * @return {@code name}
   * @throws InvalidValueException if it is null, empty, longer than 63 bytes or contains NUL
   */
  public static String check(String field, String name) {
    InvalidValueException.check(name != null, field, "must be set", null);
    InvalidValueException.check(!name.isEmpty(), field, "must not be empty", name);
    InvalidValueException.check(name.indexOf('\0') < 0, field, "must not contain NUL", name);
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new InvalidValueException(
          field, "must be at most " + MAX_BYTES + " bytes of UTF-8 (is " + bytes + ")", name);
    }
    return name;
  }

  /**
   * Whether Grantsmith refuses to create a role of this name, because PostgreSQL or Azure reserves
   * it.
   *
   * @param name a role name
   * @return true if reserved
   */
  public static boolean isReservedRoleName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.startsWith("pg_")
        || lower.startsWith("azure_")
        || RESERVED_ROLE_NAMES.contains(lower);
  }

  /**
   * Checks that {@code name} is a valid identifier that Grantsmith may create as a role.
   *
   * @param field the qualified field name for the error message
   * @param name the value
   * @return {@code name}
   * @throws InvalidValueException if invalid or reserved
   */
  public static String checkCreatableRole(String field, String name) {
    check(field, name);
    InvalidValueException.check(
        !isReservedRoleName(name),
        field,
        "must not be a reserved role name (pg_*, azure_*, public, current_user, current_role, "
            + "session_user, none, replication, azuresu)",
        name);
    return name;
  }
}
