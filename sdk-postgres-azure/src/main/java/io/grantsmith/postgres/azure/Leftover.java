package io.grantsmith.postgres.azure;

import org.immutables.value.Value;

/**
 * Something a managed user still holds that the connector could not remove: a privilege granted by
 * a role the connector cannot act as (typically the owner of the object, such as the server admin),
 * a membership granted by such a role, or an object it could not take over. It names where it is,
 * who granted it, and the exact statement that removes it, to run as {@link #grantor()} (or as any
 * member of it).
 *
 * <pre>{@code
 * try {
 *   manager.revoke(user);
 * } catch (LeftoverAccessException e) {
 *   for (Leftover l : e.leftovers()) {
 *     System.err.println(l); // in shop: SELECT on table secret.keys, granted by azureadmin ...
 *   }
 * }
 * }</pre>
 */
@Value.Immutable
public abstract class Leftover {
  Leftover() {}

  /** Builds a {@link Leftover}. */
  public interface Builder {
    /**
     * Sets the managed user.
     *
     * @param role the role name
     * @return this builder
     */
    Builder role(String role);

    /**
     * Sets the database.
     *
     * @param database where the object is (for a membership, the shared database)
     * @return this builder
     */
    Builder database(String database);

    /**
     * Sets the object.
     *
     * @param object the object in words, e.g. {@code table secret.keys}
     * @return this builder
     */
    Builder object(String object);

    /**
     * Sets what is held.
     *
     * @param privilege e.g. {@code SELECT}, {@code member}, {@code owner}
     * @return this builder
     */
    Builder privilege(String privilege);

    /**
     * Sets the grantor.
     *
     * @param grantor the role that granted it, who must remove it
     * @return this builder
     */
    Builder grantor(String grantor);

    /**
     * Sets the statement that removes it.
     *
     * @param statement SQL to run as the grantor in the database
     * @return this builder
     */
    Builder statement(String statement);

    /**
     * Builds the value.
     *
     * @return the leftover
     */
    Leftover build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableLeftover.builder();
  }

  /**
   * The managed user that holds it.
   *
   * @return the role name
   */
  public abstract String role();

  /**
   * The database the object is in; for a membership or a privilege on a database, the database the
   * statement is run from.
   *
   * @return the database
   */
  public abstract String database();

  /**
   * The object in words.
   *
   * @return e.g. {@code table secret.keys}, {@code role reporting}
   */
  public abstract String object();

  /**
   * What is held.
   *
   * @return a privilege keyword such as {@code SELECT}, or {@code member}, {@code owner}
   */
  public abstract String privilege();

  /**
   * The role that granted it; the statement must be run as this role (or a member of it, or a
   * superuser).
   *
   * @return the grantor
   */
  public abstract String grantor();

  /**
   * The statement that removes it, to run as {@link #grantor()} in {@link #database()}.
   *
   * @return the SQL
   */
  public abstract String statement();

  /**
   * One line: where, what, who granted it and the fix.
   *
   * @return e.g. {@code in shop: SELECT on table secret.keys, granted by admin; as admin run:
   *     REVOKE SELECT ON TABLE secret.keys FROM gs_alice_1f3a9c0e CASCADE}
   */
  @Override
  public String toString() {
    return "in "
        + database()
        + ": "
        + privilege()
        + " on "
        + object()
        + ", granted by "
        + grantor()
        + "; as "
        + grantor()
        + " run: "
        + statement();
  }
}
