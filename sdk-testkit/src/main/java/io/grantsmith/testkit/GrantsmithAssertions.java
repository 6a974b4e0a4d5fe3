package io.grantsmith.testkit;

import org.assertj.core.api.Assertions;

/**
 * Entry point for AssertJ's assertions plus the testkit's: one static import gives both.
 *
 * <pre>{@code
 * import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
 *
 * assertThat(server).user("alice", password).canSelectFrom(db, "app.orders");
 * assertThat(server).role("alice").hasNoPrivilegesIn(db);
 * }</pre>
 */
public class GrantsmithAssertions extends Assertions {

  /** Creates the class; only for subclassing, all methods are static. */
  protected GrantsmithAssertions() {}

  /**
   * Starts assertions about a server: its users and roles.
   *
   * @param actual the server
   * @return the server assertion
   */
  public static ServerAssert assertThat(AzurePostgres actual) {
    return new ServerAssert(actual);
  }
}
