package io.grantsmith.testkit;

import io.grantsmith.testkit.internal.GroundTruth;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions about a role read from the system catalogs with plain SQL, as the superuser where the
 * server has one (embedded, Docker) and as the admin otherwise (external). They are independent of
 * the code under test.
 */
public class RoleAssert extends AbstractAssert<RoleAssert, String> {
  private final AzurePostgres server;

  /**
   * Creates assertions about a role; prefer {@code assertThat(server).role(name)}.
   *
   * @param server the server
   * @param name the role name, verbatim
   */
  public RoleAssert(AzurePostgres server, String name) {
    super(name, RoleAssert.class);
    this.server = server;
  }

  /**
   * Verifies that the role exists.
   *
   * @return this assertion
   */
  public RoleAssert exists() {
    isNotNull();
    if (GroundTruth.canLogin(server, actual).isEmpty()) {
      failWithMessage(
          "%s",
          "Expected role <" + actual + "> to exist but it does not (pg_roles has no such rolname)");
    }
    return this;
  }

  /**
   * Verifies that the role does not exist.
   *
   * @return this assertion
   */
  public RoleAssert doesNotExist() {
    isNotNull();
    if (GroundTruth.canLogin(server, actual).isPresent()) {
      failWithMessage("%s", "Expected role <" + actual + "> not to exist but it does");
    }
    return this;
  }

  /**
   * Verifies that the role exists and has the LOGIN attribute.
   *
   * @return this assertion
   */
  public RoleAssert canLogin() {
    exists();
    if (!GroundTruth.canLogin(server, actual).orElse(false)) {
      failWithMessage(
          "%s",
          "Expected role <" + actual + "> to have LOGIN but it has NOLOGIN (rolcanlogin = false)");
    }
    return this;
  }

  /**
   * Verifies that the role exists and has the NOLOGIN attribute.
   *
   * @return this assertion
   */
  public RoleAssert hasLoginDisabled() {
    exists();
    if (GroundTruth.canLogin(server, actual).orElse(false)) {
      failWithMessage(
          "%s",
          "Expected role <" + actual + "> to have NOLOGIN but it has LOGIN (rolcanlogin = true)");
    }
    return this;
  }

  /**
   * Verifies that the role holds nothing in a database: it appears as grantee or grantor in no ACL
   * of that database's {@code pg_database}, {@code pg_namespace}, {@code pg_class} (and column
   * ACLs), {@code pg_proc}, {@code pg_type}, {@code pg_language}, {@code pg_largeobject_metadata},
   * foreign data wrappers and servers, and {@code pg_default_acl} (read with {@code aclexplode});
   * owns nothing there; and is a member of no role.
   *
   * @param database the database to inspect
   * @return this assertion
   */
  public RoleAssert hasNoPrivilegesIn(String database) {
    exists();
    List<String> findings = GroundTruth.privilegeFindings(server, database, actual);
    if (!findings.isEmpty()) {
      failWithMessage(
          "%s",
          "Expected role <"
              + actual
              + "> to have no privileges in database <"
              + database
              + "> but found:\n  "
              + String.join("\n  ", findings));
    }
    return this;
  }
}
