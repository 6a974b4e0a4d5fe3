package io.grantsmith.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A person's request for time-bound access: who, on which integration, to which resources, at which
 * level, for how long. The grantee may be a Microsoft Entra principal ({@link #entraPrincipal()}),
 * whose grantee is then its role name.
 *
 * <pre>{@code
 * AccessRequest request = AccessRequest.builder()
 *     .requestId("REQ-1042")
 *     .grantee("alice@example.com")
 *     .integration(prod)
 *     .addResource(ResourceRef.schema("orders", "sales"))
 *     .level(AccessLevel.READ_ONLY)
 *     .duration(Duration.ofHours(2))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class AccessRequest {
  /** The shortest access that can be requested. */
  public static final Duration MIN_DURATION = Duration.ofMinutes(1);

  AccessRequest() {}

  /** Builds an {@link AccessRequest}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a request
     * @return this builder
     */
    Builder from(AccessRequest instance);

    /**
     * Sets the request's id (at most 128 printable characters).
     *
     * @param requestId the id
     * @return this builder
     */
    Builder requestId(String requestId);

    /**
     * Sets who gets access: a person's identity, e.g. an e-mail address.
     *
     * @param grantee the identity
     * @return this builder
     */
    Builder grantee(String grantee);

    /**
     * Makes the grantee a Microsoft Entra principal (a user, group or service principal) that logs
     * in with Entra tokens: its role gets the access, and no password is set. The grantee must be
     * the principal's role name.
     *
     * @param principal the principal
     * @return this builder
     */
    Builder entraPrincipal(EntraPrincipal principal);

    /**
     * Sets the integration.
     *
     * @param integration the integration
     * @return this builder
     */
    Builder integration(Integration integration);

    /**
     * Adds a resource.
     *
     * @param resource a database, schema, relation, sequence, function, role or the server
     * @return this builder
     */
    Builder addResource(ResourceRef resource);

    /**
     * Adds resources.
     *
     * @param resources the resources
     * @return this builder
     */
    Builder addResources(ResourceRef... resources);

    /**
     * Adds resources.
     *
     * @param resources the resources
     * @return this builder
     */
    Builder addAllResources(Iterable<? extends ResourceRef> resources);

    /**
     * Sets the level (default {@link AccessLevel#READ_ONLY}).
     *
     * @param level the level
     * @return this builder
     */
    Builder level(AccessLevel level);

    /**
     * Sets how long access lasts.
     *
     * @param duration from one minute to the integration's maximum
     * @return this builder
     */
    Builder duration(Duration duration);

    /**
     * Sets why access is needed.
     *
     * @param justification the reason
     * @return this builder
     */
    Builder justification(String justification);

    /**
     * Overrides the integration's cleanup period for this request.
     *
     * @param days 0 or more
     * @return this builder
     */
    Builder cleanupAfterDays(int days);

    /**
     * Builds and validates.
     *
     * @return the request
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    AccessRequest build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableAccessRequest.builder();
  }

  /**
   * The request's id, recorded in the lease.
   *
   * @return the id
   */
  public abstract String requestId();

  /**
   * Who gets access.
   *
   * @return the identity, e.g. {@code alice@example.com}
   */
  public abstract String grantee();

  /**
   * The Microsoft Entra principal that gets access, if the grantee is one.
   *
   * @return the principal, whose role name is the grantee
   */
  public abstract Optional<EntraPrincipal> entraPrincipal();

  /**
   * The integration.
   *
   * @return the integration
   */
  public abstract Integration integration();

  /**
   * What access is given to; never empty.
   *
   * @return the resources
   */
  public abstract List<ResourceRef> resources();

  /**
   * The level.
   *
   * @return READ_ONLY unless set
   */
  @Value.Default
  public AccessLevel level() {
    return AccessLevel.READ_ONLY;
  }

  /**
   * How long access lasts.
   *
   * @return the duration
   */
  public abstract Duration duration();

  /**
   * Why access is needed.
   *
   * @return the reason, if given
   */
  public abstract Optional<String> justification();

  /**
   * This request's cleanup period, overriding the integration's.
   *
   * @return the days, if set
   */
  public abstract OptionalInt cleanupAfterDays();

  /**
   * The cleanup period that applies: this request's, else the integration's.
   *
   * @return the days, if any
   */
  public OptionalInt effectiveCleanupAfterDays() {
    return cleanupAfterDays().isPresent()
        ? cleanupAfterDays()
        : integration().userCleanupAfterDays();
  }

  @Value.Check
  void check() {
    Texts.printable("AccessRequest.requestId", requestId(), 128);
    Texts.printable("AccessRequest.grantee", grantee(), 256);
    entraPrincipal()
        .ifPresent(
            p ->
                InvalidValueException.check(
                    grantee().equals(p.roleName()),
                    "AccessRequest.grantee",
                    "must be the Entra principal's role name " + p.roleName(),
                    grantee()));
    InvalidValueException.check(
        !resources().isEmpty(),
        "AccessRequest.resources",
        "must hold at least one resource",
        resources());
    InvalidValueException.check(
        duration().compareTo(MIN_DURATION) >= 0,
        "AccessRequest.duration",
        "must be at least one minute",
        duration());
    Duration max = integration().maxAccessDuration();
    InvalidValueException.check(
        duration().compareTo(max) <= 0,
        "AccessRequest.duration",
        "must be at most the integration's maximum " + max,
        duration());
    justification()
        .ifPresent(
            j ->
                InvalidValueException.check(
                    j.length() <= 1000 && j.indexOf('\0') < 0,
                    "AccessRequest.justification",
                    "must be at most 1000 characters without NUL",
                    j));
    cleanupAfterDays()
        .ifPresent(
            d ->
                InvalidValueException.check(
                    d >= 0, "AccessRequest.cleanupAfterDays", "must be at least 0", d));
  }
}
