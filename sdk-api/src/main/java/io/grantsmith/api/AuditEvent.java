package io.grantsmith.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.immutables.value.Value;

/**
 * One decision or change, for the audit trail: a request, an approval or denial, a grant,
 * extension, password reset, revocation or cleanup, or a failure. Each event has a unique {@link
 * #id()} (receivers de-duplicate by it: sinks deliver at least once) and never holds a password or
 * verifier.
 *
 * <pre>{@code
 * AuditEvent event = AuditEvent.builder()
 *     .type(AuditEvent.Type.GRANTED)
 *     .time(clock.instant())
 *     .integration("orders-prod")
 *     .requestId("REQ-1042")
 *     .requester("alice@example.com")
 *     .grantee("alice@example.com")
 *     .user("jit_alice_3f2a")
 *     .addResource("orders/sales")
 *     .level(AccessLevel.READ_ONLY)
 *     .expiresAt(expiry)
 *     .outcome(AuditEvent.Outcome.SUCCESS)
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class AuditEvent {
  /** The version of the event's shape; a new field that receivers must understand raises it. */
  public static final int SCHEMA_VERSION = 1;

  AuditEvent() {}

  /** What happened. */
  public enum Type {
    /** Access was requested. */
    REQUESTED,
    /** The access flows approved a request. */
    APPROVED,
    /** The access flows refused a request, or it still needs approvals. */
    DENIED,
    /** Access was granted: a managed user exists and can log in. */
    GRANTED,
    /** A lease was extended. */
    EXTENDED,
    /** A managed user's password was reset. */
    PASSWORD_RESET,
    /** Access was revoked (see {@link Reason}). */
    REVOKED,
    /** A revoked user's objects and role were removed. */
    CLEANED_UP,
    /** An operation failed; {@link #detail()} says what. */
    FAILED
  }

  /** Why access was revoked. */
  public enum Reason {
    /** Someone revoked it. */
    MANUAL,
    /** The lease expired. */
    EXPIRED,
    /** A sweep found it expired or orphaned. */
    SWEEP
  }

  /** How it ended. */
  public enum Outcome {
    /** Done. */
    SUCCESS,
    /** Tried and failed. */
    FAILURE,
    /** Refused before anything changed (a denial, missing approvals). */
    REFUSED,
    /** Waiting for something, e.g. approvals. */
    PENDING
  }

  /** Builds an {@link AuditEvent}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance an event
     * @return this builder
     */
    Builder from(AuditEvent instance);

    /**
     * Sets the schema version (default {@link #SCHEMA_VERSION}).
     *
     * @param schemaVersion the version
     * @return this builder
     */
    Builder schemaVersion(int schemaVersion);

    /**
     * Sets the event's id (default: a new random UUID).
     *
     * @param id the id
     * @return this builder
     */
    Builder id(UUID id);

    /**
     * Sets what happened.
     *
     * @param type the type
     * @return this builder
     */
    Builder type(Type type);

    /**
     * Sets why access was revoked.
     *
     * @param reason the reason
     * @return this builder
     */
    Builder reason(Reason reason);

    /**
     * Sets when it happened.
     *
     * @param time the time
     * @return this builder
     */
    Builder time(Instant time);

    /**
     * Sets the integration's name.
     *
     * @param integration the name
     * @return this builder
     */
    Builder integration(String integration);

    /**
     * Sets the request's id.
     *
     * @param requestId the id
     * @return this builder
     */
    Builder requestId(String requestId);

    /**
     * Sets who asked.
     *
     * @param requester an identity
     * @return this builder
     */
    Builder requester(String requester);

    /**
     * Sets who gets access.
     *
     * @param grantee an identity
     * @return this builder
     */
    Builder grantee(String grantee);

    /**
     * Sets the managed role's name.
     *
     * @param user the role name
     * @return this builder
     */
    Builder user(String user);

    /**
     * Adds an approver.
     *
     * @param approver an identity
     * @return this builder
     */
    Builder addApprover(String approver);

    /**
     * Adds approvers.
     *
     * @param approvers identities
     * @return this builder
     */
    Builder addAllApprovers(Iterable<String> approvers);

    /**
     * Adds a resource.
     *
     * @param resource its path, e.g. {@code orders/sales}
     * @return this builder
     */
    Builder addResource(String resource);

    /**
     * Adds resources.
     *
     * @param resources their paths
     * @return this builder
     */
    Builder addAllResources(Iterable<String> resources);

    /**
     * Sets the level.
     *
     * @param level the level
     * @return this builder
     */
    Builder level(AccessLevel level);

    /**
     * Sets when access ends.
     *
     * @param expiresAt the expiry
     * @return this builder
     */
    Builder expiresAt(Instant expiresAt);

    /**
     * Sets how it ended.
     *
     * @param outcome the outcome
     * @return this builder
     */
    Builder outcome(Outcome outcome);

    /**
     * Sets a readable detail: the decision, an error's message. Never a password or verifier.
     *
     * @param detail the text
     * @return this builder
     */
    Builder detail(String detail);

    /**
     * Builds and validates.
     *
     * @return the event
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    AuditEvent build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableAuditEvent.builder();
  }

  /**
   * The version of the event's shape.
   *
   * @return {@link #SCHEMA_VERSION} unless set
   */
  @Value.Default
  public int schemaVersion() {
    return SCHEMA_VERSION;
  }

  /**
   * The event's unique id; receivers de-duplicate by it.
   *
   * @return the id, random unless set
   */
  @Value.Default
  public UUID id() {
    return UUID.randomUUID();
  }

  /**
   * What happened.
   *
   * @return the type
   */
  public abstract Type type();

  /**
   * Why access was revoked; only for {@link Type#REVOKED}.
   *
   * @return the reason, if any
   */
  public abstract Optional<Reason> reason();

  /**
   * When it happened.
   *
   * @return the time
   */
  public abstract Instant time();

  /**
   * The integration's name.
   *
   * @return the name
   */
  public abstract String integration();

  /**
   * The request's id.
   *
   * @return the id, if the event concerns a request
   */
  public abstract Optional<String> requestId();

  /**
   * Who asked.
   *
   * @return an identity, if known
   */
  public abstract Optional<String> requester();

  /**
   * Who gets or got access.
   *
   * @return an identity, if known
   */
  public abstract Optional<String> grantee();

  /**
   * The managed role's name.
   *
   * @return the role name, if one exists
   */
  public abstract Optional<String> user();

  /**
   * The identities whose approvals counted.
   *
   * @return the approvers, possibly empty
   */
  public abstract List<String> approvers();

  /**
   * The resources, as {@link ResourcePattern#path(ResourceRef)} writes them.
   *
   * @return the resources, possibly empty
   */
  public abstract List<String> resources();

  /**
   * The level.
   *
   * @return the level, if the event concerns one
   */
  public abstract Optional<AccessLevel> level();

  /**
   * When access ends.
   *
   * @return the expiry, if any
   */
  public abstract Optional<Instant> expiresAt();

  /**
   * How it ended.
   *
   * @return the outcome
   */
  public abstract Outcome outcome();

  /**
   * A readable detail: the flow decision, an error's message. Never a password or verifier.
   *
   * @return the text, if any
   */
  public abstract Optional<String> detail();

  @Value.Check
  void check() {
    InvalidValueException.check(
        schemaVersion() >= 1, "AuditEvent.schemaVersion", "must be at least 1", schemaVersion());
    Texts.printable("AuditEvent.integration", integration(), 64);
    requestId().ifPresent(v -> Texts.printable("AuditEvent.requestId", v, 128));
    requester().ifPresent(v -> Texts.printable("AuditEvent.requester", v, 256));
    grantee().ifPresent(v -> Texts.printable("AuditEvent.grantee", v, 256));
    user().ifPresent(v -> Identifiers.check("AuditEvent.user", v));
    approvers().forEach(v -> Texts.printable("AuditEvent.approvers", v, 256));
    // Paths of PostgreSQL names, which may hold any character but NUL.
    resources()
        .forEach(
            v ->
                InvalidValueException.check(
                    !v.isEmpty() && v.indexOf('\0') < 0,
                    "AuditEvent.resources",
                    "must hold non-empty paths without NUL",
                    v));
    InvalidValueException.check(
        reason().isEmpty() || type() == Type.REVOKED,
        "AuditEvent.reason",
        "may be set only for a REVOKED event, not " + type(),
        reason().orElse(null));
    detail()
        .ifPresent(
            d ->
                InvalidValueException.check(
                    d.length() <= 4000 && d.indexOf('\0') < 0,
                    "AuditEvent.detail",
                    "must be at most 4000 characters without NUL",
                    d));
  }
}
