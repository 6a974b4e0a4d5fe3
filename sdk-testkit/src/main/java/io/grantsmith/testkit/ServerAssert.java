package io.grantsmith.testkit;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions about an {@link AzurePostgres}: the way in to {@link UserAssert} (what a role can do
 * when it logs in) and {@link RoleAssert} (what the catalogs say about it).
 */
public class ServerAssert extends AbstractAssert<ServerAssert, AzurePostgres> {

  /**
   * Creates assertions about a server; prefer {@link
   * GrantsmithAssertions#assertThat(AzurePostgres)}.
   *
   * @param actual the server
   */
  public ServerAssert(AzurePostgres actual) {
    super(actual, ServerAssert.class);
  }

  /**
   * Starts assertions made by logging in as a role with a password and trying for real.
   *
   * @param name the role's login name
   * @param password the password to log in with
   * @return the user assertion
   */
  public UserAssert user(String name, String password) {
    isNotNull();
    return new UserAssert(actual, name, password);
  }

  /**
   * Starts assertions about a role made from the system catalogs, as the superuser where there is
   * one and as the admin otherwise.
   *
   * @param name the role name
   * @return the role assertion
   */
  public RoleAssert role(String name) {
    isNotNull();
    return new RoleAssert(actual, name);
  }

  /**
   * Verifies the server's major version.
   *
   * @param expected the expected major version
   * @return this assertion
   */
  public ServerAssert hasMajorVersion(int expected) {
    isNotNull();
    if (actual.majorVersion() != expected) {
      failWithMessage(
          "Expected server to be PostgreSQL <%s> but was <%s>", expected, actual.majorVersion());
    }
    return this;
  }
}
