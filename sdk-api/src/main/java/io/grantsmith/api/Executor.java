package io.grantsmith.api;

/**
 * Runs a {@link Plan}: the only thing in Grantsmith that sends SQL. Implementations: a JDBC
 * executor, a dry-run executor that records, and decorators such as a logging one.
 */
public interface Executor {
  /**
   * Applies {@code plan}: steps in order, consecutive steps of one database in one transaction.
   *
   * @param plan the plan
   * @return what was done
   * @throws ApplyException if a database's transaction failed; earlier databases stay committed
   */
  ApplyResult apply(Plan plan);
}
