package io.grantsmith.postgres.azure;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * One difference between what a managed user holds on the server and what its lease explains, found
 * by {@link AccessManager#drift()}.
 */
@Value.Immutable
public abstract class Drift {
  Drift() {}

  /** What kind of difference. */
  public enum Kind {
    /** A privilege no active lease approves, whoever granted it. */
    UNAPPROVED_PRIVILEGE,
    /** A membership no active lease approves. */
    UNAPPROVED_MEMBERSHIP,
    /** An object a user owns although its lease is no longer active. */
    OWNED_AFTER_LEASE,
    /** A privilege the active lease approves that the user does not hold. */
    MISSING_PRIVILEGE,
    /** A membership the active lease approves that the user does not hold. */
    MISSING_MEMBERSHIP,
    /** LOGIN is on although the lease expired or was revoked. */
    LOGIN_AFTER_LEASE,
    /** LOGIN is off although the lease is active (a grant that stopped half-way). */
    LOGIN_OFF_DURING_LEASE,
    /** LOGIN is on for an Entra principal's lease role, which never logs in. */
    LOGIN_ON_LEASE_ROLE,
    /** The role's {@code VALID UNTIL} is not the lease's expiry. */
    VALID_UNTIL_MISMATCH,
    /** A managed-looking role without a readable lease, or a lease on a role not marked. */
    NO_LEASE
  }

  /** Builds a {@link Drift}. */
  public interface Builder {
    /**
     * Sets the role.
     *
     * @param role the managed user
     * @return this builder
     */
    Builder role(String role);

    /**
     * Sets the kind.
     *
     * @param kind the kind
     * @return this builder
     */
    Builder kind(Kind kind);

    /**
     * Sets the database.
     *
     * @param database where the object is
     * @return this builder
     */
    Builder database(String database);

    /**
     * Sets the object.
     *
     * @param object the object in words
     * @return this builder
     */
    Builder object(String object);

    /**
     * Sets the privilege.
     *
     * @param privilege the privilege keyword, or {@code member}
     * @return this builder
     */
    Builder privilege(String privilege);

    /**
     * Sets the grantor.
     *
     * @param grantor who granted it
     * @return this builder
     */
    Builder grantor(String grantor);

    /**
     * Sets the description.
     *
     * @param detail the difference in words
     * @return this builder
     */
    Builder detail(String detail);

    /**
     * Builds the value.
     *
     * @return the drift
     */
    Drift build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableDrift.builder();
  }

  /**
   * The managed user.
   *
   * @return the role name
   */
  public abstract String role();

  /**
   * What kind of difference.
   *
   * @return the kind
   */
  public abstract Kind kind();

  /**
   * The database of the object, if the difference is about one.
   *
   * @return the database
   */
  public abstract Optional<String> database();

  /**
   * The object in words, e.g. {@code table secret.keys} or {@code role reporting}.
   *
   * @return the object
   */
  public abstract Optional<String> object();

  /**
   * The privilege keyword, or {@code member} for a membership.
   *
   * @return the privilege
   */
  public abstract Optional<String> privilege();

  /**
   * Who granted what the user holds (unapproved privileges and memberships).
   *
   * @return the grantor
   */
  public abstract Optional<String> grantor();

  /**
   * The difference in words.
   *
   * @return e.g. {@code SELECT on table secret.keys in shop, granted by azureadmin, is not approved
   *     by any active lease}
   */
  public abstract String detail();

  @Override
  public String toString() {
    return role() + ": " + kind() + ": " + detail();
  }
}
