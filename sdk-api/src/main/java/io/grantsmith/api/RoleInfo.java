package io.grantsmith.api;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/** A role as the server has it, read from {@code pg_roles}. */
@Value.Immutable
public abstract class RoleInfo {
  RoleInfo() {}

  /** Builds a {@link RoleInfo}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a role
     * @return this builder
     */
    Builder from(RoleInfo instance);

    /**
     * Sets the name.
     *
     * @param name the name
     * @return this builder
     */
    Builder name(String name);

    /**
     * Sets {@code rolsuper}.
     *
     * @param superuser the flag
     * @return this builder
     */
    Builder superuser(boolean superuser);

    /**
     * Sets {@code rolcanlogin}.
     *
     * @param login the flag
     * @return this builder
     */
    Builder login(boolean login);

    /**
     * Sets {@code rolinherit}.
     *
     * @param inherit the flag
     * @return this builder
     */
    Builder inherit(boolean inherit);

    /**
     * Sets {@code rolcreaterole}.
     *
     * @param createRole the flag
     * @return this builder
     */
    Builder createRole(boolean createRole);

    /**
     * Sets {@code rolcreatedb}.
     *
     * @param createDb the flag
     * @return this builder
     */
    Builder createDb(boolean createDb);

    /**
     * Sets {@code rolvaliduntil}.
     *
     * @param validUntil the instant
     * @return this builder
     */
    Builder validUntil(Instant validUntil);

    /**
     * Sets {@code rolconnlimit}.
     *
     * @param connectionLimit the limit
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
     * Builds.
     *
     * @return the role
     */
    RoleInfo build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableRoleInfo.builder();
  }

  /**
   * The role's name.
   *
   * @return the name
   */
  public abstract String name();

  /**
   * Whether it is a superuser.
   *
   * @return the flag
   */
  @Value.Default
  public boolean superuser() {
    return false;
  }

  /**
   * Whether it may log in.
   *
   * @return the flag
   */
  @Value.Default
  public boolean login() {
    return false;
  }

  /**
   * Whether it inherits its memberships' privileges.
   *
   * @return the flag
   */
  @Value.Default
  public boolean inherit() {
    return true;
  }

  /**
   * Whether it may create roles.
   *
   * @return the flag
   */
  @Value.Default
  public boolean createRole() {
    return false;
  }

  /**
   * Whether it may create databases.
   *
   * @return the flag
   */
  @Value.Default
  public boolean createDb() {
    return false;
  }

  /**
   * When its password stops working.
   *
   * @return the instant, if any
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
   * @return the comment, if any
   */
  public abstract Optional<String> comment();
}
