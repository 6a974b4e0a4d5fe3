package io.grantsmith.postgres.azure;

import io.grantsmith.api.GrantsmithException;
import java.util.List;

/**
 * A managed user holds something the connector cannot remove, so Grantsmith cannot keep its promise
 * on its own. Thrown by {@link AccessManager#revoke} after it removed everything it could (login is
 * off, sessions are ended, so the user cannot use what is left), by {@link AccessManager#grant}
 * before any change (login is never enabled while such leftovers exist), and reported per user by
 * {@link AccessManager#sweep}. Each {@link Leftover} names the statement that its grantor must run;
 * once they have, the same call succeeds.
 */
public class LeftoverAccessException extends GrantsmithException {
  private static final long serialVersionUID = 1L;

  /** The managed user that keeps the leftovers. */
  private final String role;

  private final transient List<Leftover> leftovers;

  /**
   * A new exception.
   *
   * @param role the managed user
   * @param what what was refused or done, e.g. {@code "Revoked the access of gs_x, but"}
   * @param leftovers what is left, at least one
   */
  public LeftoverAccessException(String role, String what, List<Leftover> leftovers) {
    super(message(what, leftovers));
    this.role = role;
    this.leftovers = List.copyOf(leftovers);
  }

  private static String message(String what, List<Leftover> leftovers) {
    StringBuilder s =
        new StringBuilder(what)
            .append(' ')
            .append(leftovers.size())
            .append(leftovers.size() == 1 ? " grant remains" : " grants remain")
            .append(" that the connector cannot remove; their grantors must run:");
    for (Leftover l : leftovers) {
      s.append("\n  ").append(l);
    }
    return s.toString();
  }

  /**
   * The managed user.
   *
   * @return the role name
   */
  public String role() {
    return role;
  }

  /**
   * What is left, each with its grantor and the statement that removes it.
   *
   * @return the leftovers, at least one
   */
  public List<Leftover> leftovers() {
    return leftovers;
  }
}
