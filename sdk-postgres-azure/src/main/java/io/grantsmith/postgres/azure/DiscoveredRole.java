package io.grantsmith.postgres.azure;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A role found by {@link Discovery}: one that people use, neither reserved by PostgreSQL or Azure,
 * nor the connector, nor a user the connector manages.
 */
@Value.Immutable
public abstract class DiscoveredRole {
  DiscoveredRole() {}

  /** Builds a {@link DiscoveredRole}. */
  public interface Builder {
    /**
     * Sets the name.
     *
     * @param name the role name
     * @return this builder
     */
    Builder name(String name);

    /**
     * Sets whether it may log in.
     *
     * @param login the LOGIN attribute
     * @return this builder
     */
    Builder login(boolean login);

    /**
     * Sets whether it inherits the privileges of its roles.
     *
     * @param inherit the INHERIT attribute
     * @return this builder
     */
    Builder inherit(boolean inherit);

    /**
     * Sets whether it may create roles.
     *
     * @param createRole the CREATEROLE attribute
     * @return this builder
     */
    Builder createRole(boolean createRole);

    /**
     * Sets whether it may create databases.
     *
     * @param createDb the CREATEDB attribute
     * @return this builder
     */
    Builder createDb(boolean createDb);

    /**
     * Sets when its password expires.
     *
     * @param validUntil the instant
     * @return this builder
     */
    Builder validUntil(Instant validUntil);

    /**
     * Sets its comment.
     *
     * @param comment the text
     * @return this builder
     */
    Builder comment(String comment);

    /**
     * Adds a role it is a direct member of.
     *
     * @param role a role name
     * @return this builder
     */
    Builder addMemberOf(String role);

    /**
     * Builds.
     *
     * @return the role
     */
    DiscoveredRole build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableDiscoveredRole.builder();
  }

  /**
   * The role's name.
   *
   * @return the name
   */
  public abstract String name();

  /**
   * Whether it may log in (a user rather than a group).
   *
   * @return the LOGIN attribute
   */
  public abstract boolean login();

  /**
   * Whether it inherits the privileges of the roles it is a member of.
   *
   * @return the INHERIT attribute
   */
  public abstract boolean inherit();

  /**
   * Whether it may create roles.
   *
   * @return the CREATEROLE attribute
   */
  public abstract boolean createRole();

  /**
   * Whether it may create databases.
   *
   * @return the CREATEDB attribute
   */
  public abstract boolean createDb();

  /**
   * When its password expires.
   *
   * @return the instant, if any
   */
  public abstract Optional<Instant> validUntil();

  /**
   * Its comment.
   *
   * @return the comment, if any
   */
  public abstract Optional<String> comment();

  /**
   * The roles it is a direct member of, sorted.
   *
   * @return role names
   */
  public abstract List<String> memberOf();
}
