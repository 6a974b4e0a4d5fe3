package io.grantsmith.testkit;

import static io.grantsmith.testkit.AzureEmulationIT.execute;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Every assertion passes when it holds and fails, with SQLSTATE and statement, when it does not.
 */
class AssertionsIT {
  private static final String PW = "Alice-pw-1";

  /** A schema with two tables and two functions, a user with some rights and a NOLOGIN role. */
  private static String[] setUp(Connection admin, TestDatabase db) throws SQLException {
    String alice = db.name() + "_alice";
    String group = db.name() + "_group";
    execute(
        admin,
        String.join(
            ";\n",
            "CREATE SCHEMA app",
            "CREATE SCHEMA hidden",
            "CREATE SCHEMA \"Odd \"\"Schema\"\"\"",
            "CREATE TABLE app.t (id int)",
            "CREATE TABLE app.ro (id int NOT NULL)",
            "CREATE TABLE app.secret (id int)",
            "CREATE TABLE \"Odd \"\"Schema\"\"\".\"Ta ble;\" (id int)",
            "CREATE FUNCTION app.add(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b'",
            "CREATE FUNCTION app.locked() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "REVOKE EXECUTE ON FUNCTION app.locked() FROM PUBLIC",
            "CREATE ROLE " + group + " NOLOGIN",
            "CREATE ROLE " + alice + " LOGIN PASSWORD '" + PW + "' IN ROLE " + group,
            "GRANT USAGE ON SCHEMA app, \"Odd \"\"Schema\"\"\" TO " + alice,
            "GRANT SELECT, INSERT ON app.t TO " + alice,
            "GRANT SELECT, INSERT ON app.ro TO " + alice,
            "GRANT SELECT ON \"Odd \"\"Schema\"\"\".\"Ta ble;\" TO " + alice));
    return new String[] {alice, group};
  }

  @AzurePostgresTest
  void userAssertionsPassWhenTrueAndFailWhenFalse(
      AzurePostgres server, TestDatabase db, Connection admin) throws SQLException {
    String[] roles = setUp(admin, db);
    String alice = roles[0];
    String group = roles[1];
    String d = db.name();
    UserAssert user = assertThat(server).user(alice, PW);

    user.canLogin()
        .canLogin(d)
        .canSelectFrom(d, "app.t")
        .canSelectFrom(d, "App.T")
        .canSelectFrom(d, "app", "t")
        .canSelectFrom(d, "\"Odd \"\"Schema\"\"\".\"Ta ble;\"")
        .canSelectFrom(d, "Odd \"Schema\"", "Ta ble;")
        .cannotSelectFrom(d, "app.secret")
        .cannotSelectFrom(d, "hidden", "nothing")
        .canInsertInto(d, "app.t")
        .canInsertInto(d, "app.ro")
        .cannotInsertInto(d, "app.secret")
        .cannotInsertInto(d, "Odd \"Schema\"", "Ta ble;")
        .canUseSchema(d, "app")
        .cannotUseSchema(d, "hidden")
        .canExecute(d, "app.add(1, 2)")
        .cannotExecute(d, "app.locked()")
        .isMemberOf(group)
        .isNotMemberOf("azure_pg_admin");
    assertThat(server).user(alice, "wrong-password").cannotLogin().cannotLogin(d);
    assertThat(server).user(group, "any").cannotLogin();

    assertFails(() -> assertThat(server).user(alice, "wrong-password").canLogin(d), "28P01");
    assertFails(() -> user.cannotLogin(), "succeeded");
    assertFails(
        () -> user.canSelectFrom(d, "app.secret"),
        "SQLSTATE 42501",
        "SELECT * FROM app.secret LIMIT 0");
    assertFails(
        () -> user.cannotSelectFrom(d, "app.t"), "succeeded", "SELECT * FROM app.t LIMIT 0");
    assertFails(() -> user.cannotSelectFrom(d, "app.missing"), "SQLSTATE 42P01");
    assertFails(
        () -> user.canInsertInto(d, "app.secret"),
        "SQLSTATE 42501",
        "INSERT INTO app.secret DEFAULT VALUES");
    assertFails(() -> user.cannotInsertInto(d, "app.t"), "succeeded");
    assertFails(() -> user.canUseSchema(d, "hidden"), "SQLSTATE 42501");
    assertFails(() -> user.cannotUseSchema(d, "app"), "SQLSTATE 42883");
    assertFails(() -> user.canExecute(d, "app.locked()"), "SQLSTATE 42501", "SELECT app.locked()");
    assertFails(() -> user.cannotExecute(d, "app.add(1, 2)"), "succeeded");
    assertFails(() -> user.isMemberOf("azure_pg_admin"), "is not");
    assertFails(() -> user.isNotMemberOf(group), "to be a member");

    try (Connection check = server.connect(d, "serveradmin", server.adminPassword());
        var s = check.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM app.t")) {
      rs.next();
      assertThat(rs.getInt(1)).as("inserts were rolled back").isZero();
    }
  }

  @AzurePostgresTest
  void roleAssertionsPassWhenTrueAndFailWhenFalse(
      AzurePostgres server, TestDatabase db, Connection admin) throws SQLException {
    String[] roles = setUp(admin, db);
    String alice = roles[0];
    String group = roles[1];
    String fresh = db.name() + "_fresh";
    execute(admin, "CREATE ROLE " + fresh + " LOGIN");
    String other = server.createDatabase();

    assertThat(server).role(alice).exists().canLogin();
    assertThat(server).role(group).exists().hasLoginDisabled().hasNoPrivilegesIn(db.name());
    assertThat(server).role(fresh).hasNoPrivilegesIn(db.name()).hasNoPrivilegesIn(other);
    assertThat(server).role(db.name() + "_nobody").doesNotExist();

    assertFails(() -> assertThat(server).role(alice).doesNotExist(), "not to exist");
    assertFails(() -> assertThat(server).role(db.name() + "_nobody").exists(), "to exist");
    assertFails(() -> assertThat(server).role(alice).hasLoginDisabled(), "NOLOGIN");
    assertFails(() -> assertThat(server).role(group).canLogin(), "LOGIN");
    assertFails(
        () -> assertThat(server).role(alice).hasNoPrivilegesIn(db.name()),
        "relation app.t: SELECT granted to the role",
        "schema app: USAGE",
        "member of role " + group);

    execute(admin, "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO " + fresh);
    assertFails(
        () -> assertThat(server).role(fresh).hasNoPrivilegesIn(db.name()), "default privileges");
    execute(admin, "ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE SELECT ON TABLES FROM " + fresh);
    execute(admin, "GRANT CONNECT ON DATABASE " + db.name() + " TO " + fresh);
    assertFails(
        () -> assertThat(server).role(fresh).hasNoPrivilegesIn(db.name()), "database " + db.name());
    assertThat(server).role(fresh).hasNoPrivilegesIn(other);
  }

  private static void assertFails(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable check, String... expected) {
    assertThatThrownBy(check).isInstanceOf(AssertionError.class).hasMessageContainingAll(expected);
  }
}
