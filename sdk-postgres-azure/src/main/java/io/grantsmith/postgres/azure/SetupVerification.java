package io.grantsmith.postgres.azure;

import io.grantsmith.api.Plan;
import io.grantsmith.api.Step;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.immutables.value.Value;

/**
 * What {@link ConnectorSetup#verify(ConnectionSource)} found: the databases it checked, in plain
 * words everything the connector is missing, such as {@code "grantsmith_connector is not a member
 * of azure_pg_admin"} or {@code "cannot grant SELECT on table sales.orders in database shop"}, and
 * for each missing item it knows how to close, how to close it: SQL to run as the server admin
 * ({@link #fixScript()}), SQL the connector runs itself ({@link #connectorFixScript()}), or a step
 * an Azure administrator takes in the portal.
 *
 * <pre>{@code
 * SetupVerification check = setup.verify(connectorConnections);
 * if (!check.isOk()) {
 *     check.missing().forEach(System.err::println);
 *     System.out.print(check.fixScript()); // a psql script for the server admin
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
     * Adds fixes.
     *
     * @param fixes the fixes
     * @return this builder
     */
    Builder addFixes(Fix... fixes);

    /**
     * Adds fixes.
     *
     * @param fixes the fixes
     * @return this builder
     */
    Builder addAllFixes(Iterable<? extends Fix> fixes);

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
   * For each missing item with a known fix, in the order of {@link #missing()}: the item and the
   * statements that close it. Items such as a failed login have none.
   *
   * @return the fixes
   */
  public abstract List<Fix> fixes();

  /**
   * Every {@linkplain #fixes() fix} the server admin runs ({@link Fix.RunAs#SERVER_ADMIN}) as one
   * plan for an executor that logs in as the server admin, each step once (the three database
   * privileges of a database created after the setup share one fix).
   *
   * @return the plan; empty when the server admin has nothing to fix
   */
  public Plan fixPlan() {
    return planOf(Fix.RunAs.SERVER_ADMIN);
  }

  /**
   * {@link #fixPlan()} as a psql script for the server admin: {@code psql "host=... user=<admin>
   * dbname=postgres" -f fix.sql}.
   *
   * @return the script; empty when the server admin has nothing to fix
   */
  public String fixScript() {
    return scriptOf(fixPlan());
  }

  /**
   * Every {@linkplain #fixes() fix} the connector runs itself ({@link Fix.RunAs#CONNECTOR}) as one
   * plan for an executor that logs in as the connector, e.g. on PostgreSQL 16 and later {@code
   * ALTER ROLE <connector> SET createrole_self_grant = 'set, inherit'}, which the server admin
   * cannot run for an Entra administrator's role.
   *
   * @return the plan; empty when the connector has nothing to fix
   */
  public Plan connectorFixPlan() {
    return planOf(Fix.RunAs.CONNECTOR);
  }

  /**
   * {@link #connectorFixPlan()} as a psql script to run logged in as the connector (an Entra
   * connector with its token as the password).
   *
   * @return the script; empty when the connector has nothing to fix
   */
  public String connectorFixScript() {
    return scriptOf(connectorFixPlan());
  }

  private Plan planOf(Fix.RunAs runAs) {
    Set<Step> steps = new LinkedHashSet<>();
    for (Fix f : fixes()) {
      if (f.runAs() == runAs) {
        steps.addAll(f.plan().steps());
      }
    }
    return Plan.builder().addAllSteps(steps).build();
  }

  private static String scriptOf(Plan plan) {
    return plan.isEmpty() ? "" : "\\set ON_ERROR_STOP on\n" + plan.toSql();
  }

  /**
   * A missing item and how to close it.
   *
   * @param missing the item, as in {@link #missing()}
   * @param description what the fix does, in plain words, e.g. {@code "the setup of database late
   *     (grantsmith setup-sql --database late)"}
   * @param plan the statements, each in its database, to run as {@code runAs} says; empty for a fix
   *     outside the server ({@link RunAs#AZURE_ADMINISTRATOR}), which the description names
   * @param runAs who closes the gap: the server admin (for an object the admin cannot grant on, its
   *     owner), the connector itself, or an Azure administrator in the portal or the Azure CLI
   */
  public record Fix(String missing, String description, Plan plan, RunAs runAs) {
    /** Who closes a gap. */
    public enum RunAs {
      /** The server admin, with psql or an executor that logs in as the admin. */
      SERVER_ADMIN("as the server admin"),
      /** The connector itself, logged in as the connector (with its token, for Entra). */
      CONNECTOR("as the connector"),
      /**
       * An Azure administrator, outside the server: in the Azure portal or with the Azure CLI; the
       * fix has no SQL.
       */
      AZURE_ADMINISTRATOR("as an Azure administrator");

      private final String label;

      RunAs(String label) {
        this.label = label;
      }

      /**
       * Who runs it, in words.
       *
       * @return e.g. {@code "as the connector"}
       */
      public String label() {
        return label;
      }
    }

    /**
     * Creates a fix.
     *
     * @param missing the item
     * @param description what the fix does
     * @param plan the statements
     * @param runAs who runs them
     */
    public Fix {
      Objects.requireNonNull(missing, "missing");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(runAs, "runAs");
    }

    /**
     * Creates a fix that the server admin runs.
     *
     * @param missing the item
     * @param description what the fix does
     * @param plan the statements, for the server admin
     */
    public Fix(String missing, String description, Plan plan) {
      this(missing, description, plan, RunAs.SERVER_ADMIN);
    }

    /**
     * The fix as a psql script: {@code \connect} lines between databases, then the statements;
     * empty for a fix outside the server.
     *
     * @return the script
     */
    public String sql() {
      return plan.toSql();
    }
  }

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
    return isOk()
        ? "SetupVerification{" + connector() + ": ok, " + checkedDatabases().size() + " databases}"
        : "SetupVerification{" + connector() + ": missing " + missing() + "}";
  }
}
