package io.grantsmith.api;

import java.util.List;
import java.util.Set;
import org.immutables.value.Value;

/**
 * What the server should hold, for a planner to compare with {@link CatalogSnapshot}s.
 *
 * <p>The {@linkplain #roles() roles} listed here are <em>authoritative</em>: each is created or
 * altered to match its spec, and its privileges and memberships in the planned databases are made
 * exactly those of {@link #grants()} and {@link RoleSpec#memberOf()}: anything else it holds there
 * is revoked. Grants and memberships for roles not listed are only added, never revoked.
 */
@Value.Immutable
public abstract class DesiredState {
  DesiredState() {}

  /** Builds a {@link DesiredState}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a desired state
     * @return this builder
     */
    Builder from(DesiredState instance);

    /**
     * Adds an authoritative role.
     *
     * @param role the role
     * @return this builder
     */
    Builder addRole(RoleSpec role);

    /**
     * Adds authoritative roles.
     *
     * @param roles the roles
     * @return this builder
     */
    Builder addAllRoles(Iterable<? extends RoleSpec> roles);

    /**
     * Adds a grant.
     *
     * @param grant the grant
     * @return this builder
     */
    Builder addGrant(Grant grant);

    /**
     * Adds grants.
     *
     * @param grants the grants
     * @return this builder
     */
    Builder addAllGrants(Iterable<? extends Grant> grants);

    /**
     * Adds a membership (additive: never revoked because it is missing here).
     *
     * @param membership the membership
     * @return this builder
     */
    Builder addMembership(Membership membership);

    /**
     * Adds memberships.
     *
     * @param memberships the memberships
     * @return this builder
     */
    Builder addAllMemberships(Iterable<? extends Membership> memberships);

    /**
     * Builds and validates.
     *
     * @return the desired state
     * @throws InvalidValueException if two specs name the same role
     */
    DesiredState build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableDesiredState.builder();
  }

  /**
   * The authoritative roles.
   *
   * @return the role specs
   */
  public abstract List<RoleSpec> roles();

  /**
   * The wanted privileges.
   *
   * @return the grants
   */
  public abstract Set<Grant> grants();

  /**
   * Memberships to add (besides each role's {@link RoleSpec#memberOf()}).
   *
   * @return the memberships
   */
  public abstract Set<Membership> memberships();

  @Value.Check
  void check() {
    long distinct = roles().stream().map(RoleSpec::name).distinct().count();
    InvalidValueException.check(
        distinct == roles().size(),
        "DesiredState.roles",
        "must not name a role twice",
        roles().stream().map(RoleSpec::name).toList());
  }
}
