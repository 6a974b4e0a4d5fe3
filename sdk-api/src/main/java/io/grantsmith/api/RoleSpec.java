package io.grantsmith.api;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A role as Grantsmith wants it to be: name, attributes, password, expiry, comment and the roles it
 * is a member of. Its name must not be reserved ({@link Identifiers#checkCreatableRole}).
 *
 * <pre>{@code
 * RoleSpec alice = RoleSpec.builder()
 *     .name("gs_alice_3f9a")
 *     .login(true)
 *     .validUntil(Instant.parse("2026-12-01T12:00:00Z"))
 *     .addMemberOf("grantsmith_managed")
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class RoleSpec {
  RoleSpec() {}

  /** Builds a {@link RoleSpec}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a role spec
     * @return this builder
     */
    Builder from(RoleSpec instance);

    /**
     * Sets the name.
     *
     * @param name the role's name
     * @return this builder
     */
    Builder name(String name);

    /**
     * Sets whether the role may log in (default false).
     *
     * @param login true for {@code LOGIN}
     * @return this builder
     */
    Builder login(boolean login);

    /**
     * Sets whether the role inherits its memberships' privileges (default true).
     *
     * @param inherit true for {@code INHERIT}
     * @return this builder
     */
    Builder inherit(boolean inherit);

    /**
     * Sets when the password stops working.
     *
     * @param validUntil the instant for {@code VALID UNTIL}
     * @return this builder
     */
    Builder validUntil(Instant validUntil);

    /**
     * Sets the connection limit (default -1, no limit).
     *
     * @param connectionLimit -1 or more
     * @return this builder
     */
    Builder connectionLimit(int connectionLimit);

    /**
     * Sets the role's comment.
     *
     * @param comment the comment
     * @return this builder
     */
    Builder comment(String comment);

    /**
     * Sets the password to give the role.
     *
     * @param password the password
     * @return this builder
     */
    Builder password(Secret password);

    /**
     * Adds a role this role is a member of.
     *
     * @param role the role's name
     * @return this builder
     */
    Builder addMemberOf(String role);

    /**
     * Adds roles this role is a member of.
     *
     * @param roles the roles' names
     * @return this builder
     */
    Builder addMemberOf(String... roles);

    /**
     * Builds and validates.
     *
     * @return the role spec
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    RoleSpec build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableRoleSpec.builder();
  }

  /**
   * The role's name.
   *
   * @return the name
   */
  public abstract String name();

  /**
   * Whether it may log in.
   *
   * @return false unless set
   */
  @Value.Default
  public boolean login() {
    return false;
  }

  /**
   * Whether it inherits its memberships' privileges.
   *
   * @return true unless set
   */
  @Value.Default
  public boolean inherit() {
    return true;
  }

  /**
   * When its password stops working.
   *
   * @return the instant, if set
   */
  public abstract Optional<Instant> validUntil();

  /**
   * Its connection limit; -1 means none.
   *
   * @return the limit
   */
  @Value.Default
  public int connectionLimit() {
    return -1;
  }

  /**
   * Its comment.
   *
   * @return the comment, if set
   */
  public abstract Optional<String> comment();

  /**
   * The password to set; shown as {@code ****} in {@link #toString()}.
   *
   * @return the password, if one is to be set
   */
  @Value.Redacted
  public abstract Optional<Secret> password();

  /**
   * The roles it is a member of.
   *
   * @return role names
   */
  public abstract Set<String> memberOf();

  @Value.Check
  void check() {
    Identifiers.checkCreatableRole("RoleSpec.name", name());
    InvalidValueException.check(
        connectionLimit() >= -1,
        "RoleSpec.connectionLimit",
        "must be -1 (no limit) or more",
        connectionLimit());
    comment()
        .ifPresent(
            c ->
                InvalidValueException.check(
                    c.indexOf('\0') < 0, "RoleSpec.comment", "must not contain NUL", c));
    for (String r : memberOf()) {
      Identifiers.check("RoleSpec.memberOf", r);
      InvalidValueException.check(
          !r.equals(name()), "RoleSpec.memberOf", "must not name the role itself", r);
    }
  }
}
