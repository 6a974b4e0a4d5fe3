package io.grantsmith.api;

import java.util.List;
import org.immutables.value.Value;

/**
 * One step of a {@link Plan}: statements that together do one thing in one database, such as "grant
 * read-only on schema sales". An executor runs consecutive steps of the same database in one
 * transaction.
 */
@Value.Immutable
public abstract class Step {
  Step() {}

  /** Builds a {@link Step}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a step
     * @return this builder
     */
    Builder from(Step instance);

    /**
     * Sets the database all of the step's statements run in.
     *
     * @param database a database name
     * @return this builder
     */
    Builder database(String database);

    /**
     * Sets what the step does.
     *
     * @param description for people
     * @return this builder
     */
    Builder description(String description);

    /**
     * Adds a statement.
     *
     * @param statement a statement of the same database
     * @return this builder
     */
    Builder addStatement(Statement statement);

    /**
     * Adds statements.
     *
     * @param statements statements of the same database
     * @return this builder
     */
    Builder addAllStatements(Iterable<? extends Statement> statements);

    /**
     * Sets whether the step must run outside a transaction block, in autocommit (default false).
     * Ending other sessions is such a step: it must take effect even if later steps fail.
     *
     * @param autocommit the flag
     * @return this builder
     */
    Builder autocommit(boolean autocommit);

    /**
     * Sets whether a GRANT or REVOKE that the server ignores with a warning (SQLSTATE 01007
     * privilege not granted, 01006 privilege not revoked) fails the step (default true).
     *
     * @param strict the flag
     * @return this builder
     */
    Builder strict(boolean strict);

    /**
     * Builds and validates.
     *
     * @return the step
     * @throws InvalidValueException if it has no statement or mixes databases
     */
    Step build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableStep.builder();
  }

  /**
   * The database the step runs in.
   *
   * @return a database name
   */
  public abstract String database();

  /**
   * What the step does.
   *
   * @return a description
   */
  public abstract String description();

  /**
   * The statements, in order; never empty.
   *
   * @return the statements
   */
  public abstract List<Statement> statements();

  /**
   * Whether the step runs in autocommit rather than in the database's transaction.
   *
   * @return false unless set
   */
  @Value.Default
  public boolean autocommit() {
    return false;
  }

  /**
   * Whether a GRANT or REVOKE that the server ignores with a warning (SQLSTATE 01007 privilege not
   * granted, 01006 privilege not revoked, when the grantor lacks the grant option) fails the step.
   * Plans that promise access are strict; the connector setup is not: like the reference script it
   * grants what the admin can, and {@code verify} reports the rest.
   *
   * @return true unless set
   */
  @Value.Default
  public boolean strict() {
    return true;
  }

  @Value.Check
  void check() {
    Identifiers.check("Step.database", database());
    InvalidValueException.check(
        !statements().isEmpty(),
        "Step.statements",
        "must hold at least one statement",
        description());
    for (Statement s : statements()) {
      InvalidValueException.check(
          s.database().equals(database()),
          "Step.statements",
          "must all run in the step's database " + database(),
          s.database());
    }
  }
}
