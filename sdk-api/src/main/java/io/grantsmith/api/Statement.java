package io.grantsmith.api;

import org.immutables.value.Value;

/**
 * One SQL statement of a {@link Plan}: its text, the database it runs in, a redacted form in which
 * any password is replaced (for logs and dry runs), and a description for people. {@link
 * #toString()} shows only the redacted form.
 */
@Value.Immutable
public abstract class Statement {
  Statement() {}

  /** Builds a {@link Statement}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a statement
     * @return this builder
     */
    Builder from(Statement instance);

    /**
     * Sets the database the statement runs in.
     *
     * @param database a database name
     * @return this builder
     */
    Builder database(String database);

    /**
     * Sets the SQL text, which may contain a password.
     *
     * @param sql the SQL
     * @return this builder
     */
    Builder sql(String sql);

    /**
     * Sets the SQL with any secret replaced; defaults to {@link #sql(String)}.
     *
     * @param redacted the redacted SQL
     * @return this builder
     */
    Builder redacted(String redacted);

    /**
     * Sets what the statement does, for people.
     *
     * @param description e.g. {@code grant SELECT on 25 tables in sales}
     * @return this builder
     */
    Builder description(String description);

    /**
     * Builds and validates.
     *
     * @return the statement
     * @throws InvalidValueException if the database or SQL is invalid
     */
    Statement build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableStatement.builder();
  }

  /**
   * A statement without secrets.
   *
   * @param database the database it runs in
   * @param sql the SQL
   * @param description what it does
   * @return the statement
   */
  public static Statement of(String database, String sql, String description) {
    return builder().database(database).sql(sql).description(description).build();
  }

  /**
   * The database it runs in.
   *
   * @return a database name
   */
  public abstract String database();

  /**
   * The SQL to send; may contain a password. Never log it: use {@link #redacted()}.
   *
   * @return the SQL
   */
  @Value.Redacted
  public abstract String sql();

  /**
   * The SQL with any password replaced by {@code '****'}.
   *
   * @return the redacted SQL
   */
  @Value.Default
  public String redacted() {
    return sql();
  }

  /**
   * What the statement does.
   *
   * @return a description for people
   */
  @Value.Default
  public String description() {
    return "";
  }

  @Value.Check
  void check() {
    Identifiers.check("Statement.database", database());
    InvalidValueException.check(!sql().isBlank(), "Statement.sql", "must not be blank", redacted());
  }

  @Override
  public String toString() {
    return "Statement{database=" + database() + ", sql=" + redacted() + "}";
  }
}
