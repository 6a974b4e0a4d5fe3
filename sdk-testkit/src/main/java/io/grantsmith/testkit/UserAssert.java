package io.grantsmith.testkit;

import io.grantsmith.testkit.internal.Identifiers;
import io.grantsmith.testkit.internal.Probe;
import io.grantsmith.testkit.internal.Probe.Outcome;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions made by logging in as a user over TCP with its password and trying for real: each
 * check opens a new session, runs one statement and reports its SQLSTATE. Writes run in a
 * transaction that is rolled back.
 *
 * <p>Table and schema names may be given as one SQL-style qualified name, such as {@code
 * app.orders} or {@code "My Schema"."Orders"} (unquoted parts fold to lower case as in PostgreSQL),
 * or as separate, verbatim schema and table arguments. Names are always quoted in the statements
 * the checks run. Failure messages quote the statement and the SQLSTATE.
 */
public class UserAssert extends AbstractAssert<UserAssert, String> {
  /** Insufficient privilege. */
  private static final String DENIED = "42501";

  private static final String DEFAULT_DATABASE = "postgres";

  private final AzurePostgres server;
  private final String password;

  /**
   * Creates assertions about a user; prefer {@code assertThat(server).user(name, password)}.
   *
   * @param server the server to log in to
   * @param name the user's login name
   * @param password the user's password
   */
  public UserAssert(AzurePostgres server, String name, String password) {
    super(name, UserAssert.class);
    this.server = server;
    this.password = password;
  }

  /**
   * Verifies that the user can log in to the {@code postgres} database.
   *
   * @return this assertion
   */
  public UserAssert canLogin() {
    return canLogin(DEFAULT_DATABASE);
  }

  /**
   * Verifies that the user can log in to a database.
   *
   * @param database the database
   * @return this assertion
   */
  public UserAssert canLogin(String database) {
    isNotNull();
    Outcome o = Probe.run(server, database, actual, password, null, false);
    if (o.loginFailed()) {
      reject(
          "Expected user <%s> to log in to database <%s> but the login failed with %s",
          actual, database, o.describe());
    }
    return this;
  }

  /**
   * Verifies that the user cannot log in to the {@code postgres} database: the login is refused
   * with an SQLSTATE of class 28 (such as {@code 28P01} for a wrong password or {@code 28000} for a
   * NOLOGIN role) or {@code 42501} (no CONNECT privilege).
   *
   * @return this assertion
   */
  public UserAssert cannotLogin() {
    return cannotLogin(DEFAULT_DATABASE);
  }

  /**
   * Verifies that the user cannot log in to a database, as {@link #cannotLogin()} describes.
   *
   * @param database the database
   * @return this assertion
   */
  public UserAssert cannotLogin(String database) {
    isNotNull();
    Outcome o = Probe.run(server, database, actual, password, null, false);
    if (!o.loginFailed()) {
      reject(
          "Expected user <%s> not to be able to log in to database <%s> but the login succeeded",
          actual, database);
    }
    String state = o.sqlState();
    if (state == null || !(state.startsWith("28") || state.equals(DENIED))) {
      reject(
          "Expected the login of user <%s> to database <%s> to be refused (SQLSTATE class 28 or 42501)"
              + " but it failed with %s",
          actual, database, o.describe());
    }
    return this;
  }

  /**
   * Verifies that the user can run {@code SELECT * FROM schema.table LIMIT 0}.
   *
   * @param database the database
   * @param qualifiedTable the table as {@code schema.table} in SQL syntax
   * @return this assertion
   */
  public UserAssert canSelectFrom(String database, String qualifiedTable) {
    String[] n = Identifiers.schemaAndName(qualifiedTable);
    return canSelectFrom(database, n[0], n[1]);
  }

  /**
   * Verifies that the user can run {@code SELECT * FROM schema.table LIMIT 0}.
   *
   * @param database the database
   * @param schema the schema name, verbatim
   * @param table the table (or view) name, verbatim
   * @return this assertion
   */
  public UserAssert canSelectFrom(String database, String schema, String table) {
    return expectSuccess(
        database, selectSql(schema, table), false, "select from " + schema + "." + table);
  }

  /**
   * Verifies that {@code SELECT * FROM schema.table LIMIT 0} is refused with SQLSTATE {@code 42501}
   * (insufficient privilege, on the table or its schema).
   *
   * @param database the database
   * @param qualifiedTable the table as {@code schema.table} in SQL syntax
   * @return this assertion
   */
  public UserAssert cannotSelectFrom(String database, String qualifiedTable) {
    String[] n = Identifiers.schemaAndName(qualifiedTable);
    return cannotSelectFrom(database, n[0], n[1]);
  }

  /**
   * Verifies that {@code SELECT * FROM schema.table LIMIT 0} is refused with SQLSTATE {@code
   * 42501}.
   *
   * @param database the database
   * @param schema the schema name, verbatim
   * @param table the table (or view) name, verbatim
   * @return this assertion
   */
  public UserAssert cannotSelectFrom(String database, String schema, String table) {
    return expectDenied(
        database, selectSql(schema, table), false, "select from " + schema + "." + table);
  }

  /**
   * Verifies that the user can run {@code INSERT INTO schema.table DEFAULT VALUES} (rolled back). A
   * failure on a constraint (SQLSTATE class 23) counts as success: the privilege check comes first.
   *
   * @param database the database
   * @param qualifiedTable the table as {@code schema.table} in SQL syntax
   * @return this assertion
   */
  public UserAssert canInsertInto(String database, String qualifiedTable) {
    String[] n = Identifiers.schemaAndName(qualifiedTable);
    return canInsertInto(database, n[0], n[1]);
  }

  /**
   * Verifies that the user can insert into a table, as {@link #canInsertInto(String, String)}
   * describes.
   *
   * @param database the database
   * @param schema the schema name, verbatim
   * @param table the table name, verbatim
   * @return this assertion
   */
  public UserAssert canInsertInto(String database, String schema, String table) {
    isNotNull();
    String sql = insertSql(schema, table);
    Outcome o = Probe.run(server, database, actual, password, sql, true);
    if (!o.succeeded()
        && !(o.statementFailed() && o.sqlState() != null && o.sqlState().startsWith("23"))) {
      failCheck("insert into " + schema + "." + table, database, o);
    }
    return this;
  }

  /**
   * Verifies that {@code INSERT INTO schema.table DEFAULT VALUES} is refused with SQLSTATE {@code
   * 42501}.
   *
   * @param database the database
   * @param qualifiedTable the table as {@code schema.table} in SQL syntax
   * @return this assertion
   */
  public UserAssert cannotInsertInto(String database, String qualifiedTable) {
    String[] n = Identifiers.schemaAndName(qualifiedTable);
    return cannotInsertInto(database, n[0], n[1]);
  }

  /**
   * Verifies that {@code INSERT INTO schema.table DEFAULT VALUES} is refused with SQLSTATE {@code
   * 42501}.
   *
   * @param database the database
   * @param schema the schema name, verbatim
   * @param table the table name, verbatim
   * @return this assertion
   */
  public UserAssert cannotInsertInto(String database, String schema, String table) {
    return expectDenied(
        database, insertSql(schema, table), true, "insert into " + schema + "." + table);
  }

  /**
   * Verifies that the user has USAGE on a schema, by calling a function that does not exist in it:
   * the lookup fails with {@code 42883} (undefined function) when the schema is usable.
   *
   * @param database the database
   * @param schema the schema name, verbatim
   * @return this assertion
   */
  public UserAssert canUseSchema(String database, String schema) {
    isNotNull();
    Outcome o = Probe.run(server, database, actual, password, schemaProbeSql(schema), true);
    if (!(o.statementFailed() && "42883".equals(o.sqlState()))) {
      failCheck("use schema " + schema, database, o);
    }
    return this;
  }

  /**
   * Verifies that the user lacks USAGE on a schema: looking up a name in it fails with {@code
   * 42501}.
   *
   * @param database the database
   * @param schema the schema name, verbatim
   * @return this assertion
   */
  public UserAssert cannotUseSchema(String database, String schema) {
    return expectDenied(database, schemaProbeSql(schema), true, "use schema " + schema);
  }

  /**
   * Verifies that the user can run {@code SELECT <call>} (rolled back), such as {@code
   * canExecute(db, "app.total(1, 2)")}. The call is SQL written by the test, used as is.
   *
   * @param database the database
   * @param functionCall a function call in SQL, such as {@code app.total(1, 2)}
   * @return this assertion
   */
  public UserAssert canExecute(String database, String functionCall) {
    return expectSuccess(database, "SELECT " + functionCall, true, "execute " + functionCall);
  }

  /**
   * Verifies that {@code SELECT <call>} is refused with SQLSTATE {@code 42501}.
   *
   * @param database the database
   * @param functionCall a function call in SQL, such as {@code app.total(1, 2)}
   * @return this assertion
   */
  public UserAssert cannotExecute(String database, String functionCall) {
    return expectDenied(database, "SELECT " + functionCall, true, "execute " + functionCall);
  }

  /**
   * Verifies, from the user's own session, that it is a member of a role (directly or through other
   * roles): {@code pg_has_role(session_user, role, 'MEMBER')}.
   *
   * @param role the role name, verbatim
   * @return this assertion
   */
  public UserAssert isMemberOf(String role) {
    return membership(role, true);
  }

  /**
   * Verifies, from the user's own session, that it is not a member of a role.
   *
   * @param role the role name, verbatim
   * @return this assertion
   */
  public UserAssert isNotMemberOf(String role) {
    return membership(role, false);
  }

  private UserAssert membership(String role, boolean expected) {
    isNotNull();
    String sql = "SELECT pg_has_role(session_user, " + Identifiers.literal(role) + ", 'MEMBER')";
    Outcome o = Probe.run(server, DEFAULT_DATABASE, actual, password, sql, false);
    if (!o.succeeded()) {
      failCheck("check membership in " + role, DEFAULT_DATABASE, o);
    }
    if (!Boolean.valueOf(expected).equals(o.firstValue())) {
      reject(
          "Expected user <%s> %sto be a member of role <%s> but it %s (statement: %s)",
          actual, expected ? "" : "not ", role, expected ? "is not" : "is", sql);
    }
    return this;
  }

  private static String selectSql(String schema, String table) {
    return "SELECT * FROM " + Identifiers.qualified(schema, table) + " LIMIT 0";
  }

  private static String insertSql(String schema, String table) {
    return "INSERT INTO " + Identifiers.qualified(schema, table) + " DEFAULT VALUES";
  }

  private static String schemaProbeSql(String schema) {
    return "SELECT " + Identifiers.quote(schema) + ".grantsmith_testkit_no_such_function()";
  }

  private UserAssert expectSuccess(String database, String sql, boolean rollback, String what) {
    isNotNull();
    Outcome o = Probe.run(server, database, actual, password, sql, rollback);
    if (!o.succeeded()) {
      failCheck(what, database, o);
    }
    return this;
  }

  private UserAssert expectDenied(String database, String sql, boolean rollback, String what) {
    isNotNull();
    Outcome o = Probe.run(server, database, actual, password, sql, rollback);
    if (o.loginFailed()) {
      reject(
          "Expected user <%s> not to be able to %s in database <%s>, but could not check: the login "
              + "failed with %s",
          actual, what, database, o.describe());
    }
    if (o.succeeded()) {
      reject(
          "Expected user <%s> not to be able to %s in database <%s> but the statement%n  %s%nsucceeded",
          actual, what, database, sql);
    }
    if (!DENIED.equals(o.sqlState())) {
      reject(
          "Expected user <%s> not to be able to %s in database <%s>: expected SQLSTATE 42501 "
              + "(insufficient privilege) but the statement%n  %s%nfailed with %s",
          actual, what, database, sql, o.describe());
    }
    return this;
  }

  private void failCheck(String what, String database, Outcome o) {
    if (o.loginFailed()) {
      reject(
          "Expected user <%s> to be able to %s in database <%s> but the login failed with %s",
          actual, what, database, o.describe());
    }
    reject(
        "Expected user <%s> to be able to %s in database <%s> but the statement%n  %s%nfailed with %s",
        actual, what, database, o.sql(), o.describe());
  }

  private void reject(String format, Object... args) {
    failWithMessage("%s", String.format(format, args));
  }
}
