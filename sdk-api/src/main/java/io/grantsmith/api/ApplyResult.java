package io.grantsmith.api;

import java.time.Duration;
import java.util.List;
import org.immutables.value.Value;

/** What an {@link Executor} did with a {@link Plan}, per database. */
@Value.Immutable
public abstract class ApplyResult {
  ApplyResult() {}

  /** What happened in one database. */
  @Value.Immutable
  public abstract static class DatabaseResult {
    DatabaseResult() {}

    /** Builds a {@link DatabaseResult}. */
    public interface Builder {
      /**
       * Sets the database.
       *
       * @param database its name
       * @return this builder
       */
      Builder database(String database);

      /**
       * Sets how many statements ran.
       *
       * @param statements the count
       * @return this builder
       */
      Builder statements(int statements);

      /**
       * Sets how many round trips to the server they took.
       *
       * @param roundTrips the count
       * @return this builder
       */
      Builder roundTrips(int roundTrips);

      /**
       * Sets how many attempts the transaction took (more than 1 after a retry).
       *
       * @param attempts the count
       * @return this builder
       */
      Builder attempts(int attempts);

      /**
       * Sets how long it took.
       *
       * @param elapsed the time
       * @return this builder
       */
      Builder elapsed(Duration elapsed);

      /**
       * Builds.
       *
       * @return the result
       */
      DatabaseResult build();
    }

    /**
     * A new builder.
     *
     * @return a builder
     */
    public static Builder builder() {
      return ImmutableDatabaseResult.builder();
    }

    /**
     * The database.
     *
     * @return its name
     */
    public abstract String database();

    /**
     * How many statements ran.
     *
     * @return the count
     */
    public abstract int statements();

    /**
     * How many round trips they took.
     *
     * @return the count
     */
    public abstract int roundTrips();

    /**
     * How many attempts the transaction took.
     *
     * @return 1 unless retried
     */
    @Value.Default
    public int attempts() {
      return 1;
    }

    /**
     * How long it took.
     *
     * @return the time
     */
    public abstract Duration elapsed();
  }

  /** Builds an {@link ApplyResult}. */
  public interface Builder {
    /**
     * Adds a database's result.
     *
     * @param result the result
     * @return this builder
     */
    Builder addDatabase(DatabaseResult result);

    /**
     * Sets whether nothing was sent (a dry run).
     *
     * @param dryRun the flag
     * @return this builder
     */
    Builder dryRun(boolean dryRun);

    /**
     * Builds.
     *
     * @return the result
     */
    ApplyResult build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableApplyResult.builder();
  }

  /**
   * The result per database, in the order they ran; a database the plan entered several times
   * appears several times.
   *
   * @return the results
   */
  public abstract List<DatabaseResult> databases();

  /**
   * Whether nothing was sent to a server.
   *
   * @return false unless a dry run
   */
  @Value.Default
  public boolean dryRun() {
    return false;
  }

  /**
   * Statements run in all databases.
   *
   * @return the total
   */
  public int statements() {
    return databases().stream().mapToInt(DatabaseResult::statements).sum();
  }

  /**
   * Round trips in all databases.
   *
   * @return the total
   */
  public int roundTrips() {
    return databases().stream().mapToInt(DatabaseResult::roundTrips).sum();
  }
}
