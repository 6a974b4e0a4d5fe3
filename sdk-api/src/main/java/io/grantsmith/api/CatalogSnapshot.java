package io.grantsmith.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * What one database holds, read in one go by a {@link CatalogReader}: its objects, every privilege
 * granted on them (built-in defaults included), default privileges, and the server's roles and
 * memberships. The planner compares it with the desired state.
 *
 * <p>Privileges granted to {@code PUBLIC} are not part of {@link #grants()}; roles and memberships
 * are server-wide and appear in every database's snapshot.
 */
@Value.Immutable
public abstract class CatalogSnapshot {
  CatalogSnapshot() {}

  /** Builds a {@link CatalogSnapshot}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a snapshot
     * @return this builder
     */
    Builder from(CatalogSnapshot instance);

    /**
     * Sets the database.
     *
     * @param database its name
     * @return this builder
     */
    Builder database(String database);

    /**
     * Sets the server's {@code server_version_num}, e.g. 170006.
     *
     * @param serverVersionNum the number
     * @return this builder
     */
    Builder serverVersionNum(int serverVersionNum);

    /**
     * Adds objects.
     *
     * @param objects the database itself, its schemas, relations, sequences and functions
     * @return this builder
     */
    Builder addAllObjects(Iterable<? extends ResourceRef> objects);

    /**
     * Adds an object.
     *
     * @param object an object
     * @return this builder
     */
    Builder addObject(ResourceRef object);

    /**
     * Adds grants.
     *
     * @param grants the grants
     * @return this builder
     */
    Builder addAllGrants(Iterable<? extends Grant> grants);

    /**
     * Adds a grant.
     *
     * @param grant a grant
     * @return this builder
     */
    Builder addGrant(Grant grant);

    /**
     * Adds default privileges.
     *
     * @param defaultPrivileges the default privileges
     * @return this builder
     */
    Builder addAllDefaultPrivileges(Iterable<? extends DefaultPrivilege> defaultPrivileges);

    /**
     * Adds roles.
     *
     * @param roles the roles
     * @return this builder
     */
    Builder addAllRoles(Iterable<? extends RoleInfo> roles);

    /**
     * Adds memberships.
     *
     * @param memberships the memberships
     * @return this builder
     */
    Builder addAllMemberships(Iterable<? extends Membership> memberships);

    /**
     * Builds.
     *
     * @return the snapshot
     */
    CatalogSnapshot build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableCatalogSnapshot.builder();
  }

  /**
   * The database this snapshot describes.
   *
   * @return its name
   */
  public abstract String database();

  /**
   * The server's {@code server_version_num}, e.g. 170006.
   *
   * @return the number
   */
  public abstract int serverVersionNum();

  /**
   * The server's major version, e.g. 17.
   *
   * @return the major version
   */
  public int majorVersion() {
    return serverVersionNum() / 10000;
  }

  /**
   * The database itself, its schemas, relations, sequences and functions, sorted.
   *
   * @return the objects
   */
  @Value.NaturalOrder
  public abstract SortedSet<ResourceRef> objects();

  /**
   * Every privilege on those objects, one grant per grantee, object and grant option.
   *
   * @return the grants
   */
  public abstract Set<Grant> grants();

  /**
   * The default privileges defined in this database.
   *
   * @return the default privileges
   */
  public abstract Set<DefaultPrivilege> defaultPrivileges();

  /**
   * The server's roles.
   *
   * @return the roles
   */
  public abstract List<RoleInfo> roles();

  /**
   * The server's role memberships.
   *
   * @return the memberships
   */
  @Value.NaturalOrder
  public abstract SortedSet<Membership> memberships();

  /**
   * Whether this snapshot holds {@code object}: a hash look-up, where {@link #objects()} is a
   * sorted set.
   *
   * @param object an object
   * @return true if it exists in the snapshot
   */
  public boolean contains(ResourceRef object) {
    return objectIndex().contains(object);
  }

  @Value.Lazy
  @Value.Auxiliary
  Set<ResourceRef> objectIndex() {
    return new java.util.HashSet<>(objects());
  }

  /**
   * The role of this name.
   *
   * @param name a role name
   * @return the role, if it exists
   */
  public Optional<RoleInfo> role(String name) {
    return roles().stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /**
   * The grants to one role.
   *
   * @param grantee a role name
   * @return its grants in this database
   */
  public Set<Grant> grantsTo(String grantee) {
    return grants().stream()
        .filter(g -> g.grantee().equals(grantee))
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The memberships of one role in others.
   *
   * @param member a role name
   * @return its memberships
   */
  public Set<Membership> membershipsOf(String member) {
    return memberships().stream()
        .filter(m -> m.member().equals(member))
        .collect(Collectors.toUnmodifiableSet());
  }
}
