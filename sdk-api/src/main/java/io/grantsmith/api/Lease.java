package io.grantsmith.api;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The terms of one managed role's access, kept on the server with the role: who it is for, which
 * request created it, when it expires and when the role is dropped. For a Microsoft Entra principal
 * the managed role is a lease role granted to the principal's own role.
 */
@Value.Immutable
public abstract class Lease {
  Lease() {}

  /** Builds a {@link Lease}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a lease
     * @return this builder
     */
    Builder from(Lease instance);

    /**
     * Sets the managed role's name.
     *
     * @param roleName the role
     * @return this builder
     */
    Builder roleName(String roleName);

    /**
     * Sets the request id.
     *
     * @param requestId the id
     * @return this builder
     */
    Builder requestId(String requestId);

    /**
     * Sets the grantee.
     *
     * @param grantee the person's identity
     * @return this builder
     */
    Builder grantee(String grantee);

    /**
     * Sets the Microsoft Entra principal the lease is for.
     *
     * @param principal the principal
     * @return this builder
     */
    Builder entraPrincipal(EntraPrincipal principal);

    /**
     * Sets when access was granted.
     *
     * @param grantedAt the instant
     * @return this builder
     */
    Builder grantedAt(Instant grantedAt);

    /**
     * Sets when access expires.
     *
     * @param expiresAt the instant
     * @return this builder
     */
    Builder expiresAt(Instant expiresAt);

    /**
     * Sets when the role is dropped.
     *
     * @param cleanupAt the instant
     * @return this builder
     */
    Builder cleanupAt(Instant cleanupAt);

    /**
     * Builds and validates.
     *
     * @return the lease
     * @throws InvalidValueException if the instants are out of order
     */
    Lease build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableLease.builder();
  }

  /**
   * The managed role.
   *
   * @return its name
   */
  public abstract String roleName();

  /**
   * The request that created or last extended the lease.
   *
   * @return the id
   */
  public abstract String requestId();

  /**
   * The person the role is for.
   *
   * @return the identity
   */
  public abstract String grantee();

  /**
   * The Microsoft Entra principal the lease is for: its role is a member of the lease's role
   * ({@link #roleName()}, which never logs in) while the lease is active.
   *
   * @return the principal, if the grantee is one
   */
  public abstract Optional<EntraPrincipal> entraPrincipal();

  /**
   * When access was granted.
   *
   * @return the instant
   */
  public abstract Instant grantedAt();

  /**
   * When access expires (the role's {@code VALID UNTIL}).
   *
   * @return the instant
   */
  public abstract Instant expiresAt();

  /**
   * When the role is dropped, if ever.
   *
   * @return the instant, if cleanup is configured
   */
  public abstract Optional<Instant> cleanupAt();

  /**
   * Whether access has expired at {@code now}.
   *
   * @param now the current instant
   * @return true if {@code now} is at or after the expiry
   */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt());
  }

  @Value.Check
  void check() {
    Identifiers.check("Lease.roleName", roleName());
    InvalidValueException.check(
        !requestId().isBlank(), "Lease.requestId", "must not be blank", requestId());
    InvalidValueException.check(
        !grantee().isBlank(), "Lease.grantee", "must not be blank", grantee());
    InvalidValueException.check(
        !expiresAt().isBefore(grantedAt()),
        "Lease.expiresAt",
        "must not be before grantedAt " + grantedAt(),
        expiresAt());
    cleanupAt()
        .ifPresent(
            c ->
                InvalidValueException.check(
                    !c.isBefore(expiresAt()),
                    "Lease.cleanupAt",
                    "must not be before expiresAt " + expiresAt(),
                    c));
  }
}
