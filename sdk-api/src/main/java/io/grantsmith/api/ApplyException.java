package io.grantsmith.api;

import java.util.List;
import java.util.Optional;

/**
 * A plan could not be applied completely. Tells which database and step failed, the failing
 * statement in redacted form, the server's SQLSTATE, and which databases had already committed
 * their part (those changes stay; re-applying the same plan converges).
 */
public class ApplyException extends GrantsmithException {
  private static final long serialVersionUID = 1L;

  /** The server's SQLSTATE, or null if there was none. */
  private final String sqlState;

  /** The database whose transaction failed. */
  private final String database;

  /** The step that failed. */
  private final String step;

  /** The failing statement, with passwords redacted. */
  private final String statement;

  /** The databases whose part of the plan was committed before the failure. */
  private final List<String> committedDatabases;

  /**
   * Creates the exception.
   *
   * @param sqlState the server's SQLSTATE, or null if none (e.g. a client-side timeout)
   * @param database the database whose transaction failed
   * @param step the failing step's description, or null
   * @param statement the failing statement in redacted form, or null
   * @param committedDatabases databases whose part had been committed before the failure
   * @param cause the underlying failure
   */
  public ApplyException(
      String sqlState,
      String database,
      String step,
      String statement,
      List<String> committedDatabases,
      Throwable cause) {
    super(message(sqlState, database, step, statement, committedDatabases, cause), cause);
    this.sqlState = sqlState;
    this.database = database;
    this.step = step;
    this.statement = statement;
    this.committedDatabases = List.copyOf(committedDatabases);
  }

  private static String message(
      String sqlState,
      String database,
      String step,
      String statement,
      List<String> committed,
      Throwable cause) {
    StringBuilder m = new StringBuilder("Failed in database ").append(database);
    if (step != null) {
      m.append(" at step \"").append(step).append('"');
    }
    m.append(" with SQLSTATE ").append(sqlState == null ? "(none)" : sqlState);
    if (cause != null && cause.getMessage() != null) {
      m.append(": ").append(firstLine(cause.getMessage()));
    }
    if (statement != null) {
      m.append("; statement: ").append(abbreviate(statement));
    }
    m.append("; already committed: ").append(committed.isEmpty() ? "nothing" : committed);
    return m.toString();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  /**
   * The server's SQLSTATE, e.g. {@code 42501} for insufficient privilege, or {@code 08006} for a
   * lost connection.
   *
   * @return the code, if the failure carried one
   */
  public Optional<String> sqlState() {
    return Optional.ofNullable(sqlState);
  }

  /**
   * The database whose transaction failed and was rolled back.
   *
   * @return its name
   */
  public String database() {
    return database;
  }

  /**
   * The failing step.
   *
   * @return its description, if known
   */
  public Optional<String> step() {
    return Optional.ofNullable(step);
  }

  /**
   * The failing statement, passwords redacted.
   *
   * @return the statement, if known
   */
  public Optional<String> statement() {
    return Optional.ofNullable(statement);
  }

  /**
   * The databases whose part of the plan was committed before the failure.
   *
   * @return database names, in order
   */
  public List<String> committedDatabases() {
    return committedDatabases;
  }

  /**
   * Whether the failure is about reaching the server (SQLSTATE class 08) rather than a refusal.
   *
   * @return true for connection failures
   */
  public boolean isConnectionFailure() {
    return sqlState != null && sqlState.startsWith("08");
  }
}
