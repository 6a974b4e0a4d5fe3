package io.grantsmith.postgres.azure;

import java.util.List;
import org.immutables.value.Value;

/**
 * What {@link ConnectorSetup#verify(ConnectionSource)} found: the databases it checked and, in
 * plain words, everything the connector is missing, such as
 * {@code "grantsmith_connector is not a member of azure_pg_admin"} or
 * {@code "cannot grant SELECT on table sales.orders in database shop"}.
 *
 * <pre>{@code
 * SetupVerification check = setup.verify(connectorConnections);
 * if (!check.isOk()) {
 *     check.missing().forEach(System.err::println);
 * }
 * }</pre>
 */
@Value.Immutable
public abstract class SetupVerification {
  SetupVerification() {}

  /** Builds a {@link SetupVerification}. */
  public interface Builder {
    /**
     * Sets the role that was checked.
     *
     * @param connector the connector's role name
     * @return this builder
     */
    Builder connector(String connector);

    /**
     * Adds a database that was checked.
     *
     * @param database a database name
     * @return this builder
     */
    Builder addCheckedDatabase(String database);

    /**
     * Adds a missing item, in plain words.
     *
     * @param missing e.g. {@code "cannot grant SELECT on table s.t in database d"}
     * @return this builder
     */
    Builder addMissing(String missing);

    /**
     * Adds missing items.
     *
     * @param missing the items
     * @return this builder
     */
    Builder addAllMissing(Iterable<String> missing);

    /**
     * Builds.
     *
     * @return the result
     */
    SetupVerification build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableSetupVerification.builder();
  }

  /**
   * The role that was checked (the role the connection logged in as, or the configured connector
   * name if the login failed).
   *
   * @return a role name
   */
  public abstract String connector();

  /**
   * The databases that were checked, in order.
   *
   * @return database names
   */
  public abstract List<String> checkedDatabases();

  /**
   * What is missing, in plain words, in the order found; empty when the setup is complete.
   *
   * @return the missing items
   */
  public abstract List<String> missing();

  /**
   * Whether nothing is missing.
   *
   * @return true if the connector can do its job
   */
  public boolean isOk() {
    return missing().isEmpty();
  }

  @Override
  public String toString() {
    return isOk() ? "SetupVerification{" + connector() + ": ok, " + checkedDatabases().size()
        + " databases}" : "SetupVerification{" + connector() + ": missing " + missing() + "}";
  }
}
