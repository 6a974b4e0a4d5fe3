package io.grantsmith.postgres.azure;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What {@link Discovery#discover()} found on a server: its databases with their objects, its roles,
 * and the databases it skipped because the connector could not connect to them.
 */
@Value.Immutable
public abstract class DiscoveredServer {
  DiscoveredServer() {}

  /** Builds a {@link DiscoveredServer}. */
  public interface Builder {
    /**
     * Sets the server's major version.
     *
     * @param majorVersion e.g. 16
     * @return this builder
     */
    Builder majorVersion(int majorVersion);

    /**
     * Adds a database.
     *
     * @param database the database
     * @return this builder
     */
    Builder addDatabase(DiscoveredDatabase database);

    /**
     * Adds a role.
     *
     * @param role the role
     * @return this builder
     */
    Builder addRole(DiscoveredRole role);

    /**
     * Adds a database that was skipped.
     *
     * @param database its name
     * @return this builder
     */
    Builder addSkippedDatabase(String database);

    /**
     * Builds.
     *
     * @return the result
     */
    DiscoveredServer build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableDiscoveredServer.builder();
  }

  /**
   * The server's major version.
   *
   * @return e.g. 16
   */
  public abstract int majorVersion();

  /**
   * The databases, by name; empty when no database-level resource type was asked for.
   *
   * @return the databases
   */
  public abstract List<DiscoveredDatabase> databases();

  /**
   * The roles, by name; empty when roles were not asked for.
   *
   * @return the roles
   */
  public abstract List<DiscoveredRole> roles();

  /**
   * Databases listed on the server that the connector could not connect to.
   *
   * @return their names
   */
  public abstract List<String> skippedDatabases();

  /**
   * The database of that name.
   *
   * @param name a database name
   * @return the database, if discovered
   */
  public Optional<DiscoveredDatabase> database(String name) {
    return databases().stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /**
   * The role of that name.
   *
   * @param name a role name
   * @return the role, if discovered
   */
  public Optional<DiscoveredRole> role(String name) {
    return roles().stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
