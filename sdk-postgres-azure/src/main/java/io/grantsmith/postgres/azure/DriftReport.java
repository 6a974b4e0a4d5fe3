package io.grantsmith.postgres.azure;

import java.time.Instant;
import java.util.List;
import org.immutables.value.Value;

/**
 * What {@link AccessManager#drift()} found: every difference between the managed users' leases and
 * what the server says they hold, whoever granted it.
 */
@Value.Immutable
public abstract class DriftReport {
  DriftReport() {}

  /** Builds a {@link DriftReport}. */
  public interface Builder {
    /**
     * Sets when the server was read.
     *
     * @param checkedAt the instant
     * @return this builder
     */
    Builder checkedAt(Instant checkedAt);

    /**
     * Adds a managed user that was checked.
     *
     * @param role the role name
     * @return this builder
     */
    Builder addRole(String role);

    /**
     * Adds a difference.
     *
     * @param drift the difference
     * @return this builder
     */
    Builder addDrift(Drift drift);

    /**
     * Adds a database that was read.
     *
     * @param database the database
     * @return this builder
     */
    Builder addDatabase(String database);

    /**
     * Builds the value.
     *
     * @return the report
     */
    DriftReport build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableDriftReport.builder();
  }

  /**
   * When the server was read.
   *
   * @return the instant
   */
  public abstract Instant checkedAt();

  /**
   * The managed users of this integration that were checked.
   *
   * @return role names
   */
  public abstract List<String> roles();

  /**
   * The databases whose catalogs were read.
   *
   * @return database names
   */
  public abstract List<String> databases();

  /**
   * Every difference found, by role.
   *
   * @return the differences; empty when clean
   */
  public abstract List<Drift> drift();

  /**
   * Whether no difference was found.
   *
   * @return true when clean
   */
  public boolean isClean() {
    return drift().isEmpty();
  }
}
