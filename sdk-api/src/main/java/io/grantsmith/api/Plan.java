package io.grantsmith.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.immutables.value.Value;

/**
 * The ordered statements that take a server from what it has to what is wanted. Nothing is sent
 * until an {@link Executor} applies it, so every plan is also its own dry run: {@link #toSql()}
 * prints it, passwords redacted.
 */
@Value.Immutable
public abstract class Plan {
  Plan() {}

  /** Builds a {@link Plan}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a plan
     * @return this builder
     */
    Builder from(Plan instance);

    /**
     * Adds a step.
     *
     * @param step the step
     * @return this builder
     */
    Builder addStep(Step step);

    /**
     * Adds steps.
     *
     * @param steps the steps
     * @return this builder
     */
    Builder addAllSteps(Iterable<? extends Step> steps);

    /**
     * Builds.
     *
     * @return the plan
     */
    Plan build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutablePlan.builder();
  }

  /**
   * The plan that does nothing.
   *
   * @return an empty plan
   */
  public static Plan empty() {
    return builder().build();
  }

  /**
   * The steps, in the order they must run.
   *
   * @return the steps
   */
  public abstract List<Step> steps();

  /**
   * Whether there is nothing to do.
   *
   * @return true if no step
   */
  public boolean isEmpty() {
    return steps().isEmpty();
  }

  /**
   * This plan followed by {@code next}.
   *
   * @param next the plan to run after this one
   * @return a new plan
   */
  public Plan then(Plan next) {
    return builder().from(this).addAllSteps(next.steps()).build();
  }

  /**
   * Every statement, in order.
   *
   * @return the statements
   */
  public List<Statement> statements() {
    List<Statement> out = new ArrayList<>();
    for (Step s : steps()) {
      out.addAll(s.statements());
    }
    return out;
  }

  /**
   * The databases the plan touches, in first-use order.
   *
   * @return database names
   */
  public Set<String> databases() {
    Set<String> out = new LinkedHashSet<>();
    for (Step s : steps()) {
      out.add(s.database());
    }
    return out;
  }

  /**
   * The plan as a psql script: {@code \connect} lines between databases, a comment per step, and
   * every statement in redacted form. Running it by hand as the connector has the same effect as
   * applying the plan, except that passwords are masked.
   *
   * @return the script; empty for an empty plan
   */
  public String toSql() {
    StringBuilder out = new StringBuilder();
    String current = null;
    for (Step step : steps()) {
      if (!step.database().equals(current)) {
        current = step.database();
        out.append("\\connect ").append(psqlQuote(current)).append('\n');
      }
      // psql ends a comment at CR as well as LF: either would turn the rest into SQL.
      out.append("-- ")
          .append(step.description().replace('\n', ' ').replace('\r', ' '))
          .append('\n');
      for (Statement s : step.statements()) {
        out.append(s.redacted()).append(";\n");
      }
    }
    return out.toString();
  }

  private static String psqlQuote(String name) {
    // A meta-command ends at the end of its line, so line breaks are written as psql escapes.
    return "'"
        + name.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        + "'";
  }

  @Override
  public String toString() {
    return "Plan{"
        + steps().size()
        + " steps, "
        + statements().size()
        + " statements in "
        + databases()
        + "}";
  }
}
