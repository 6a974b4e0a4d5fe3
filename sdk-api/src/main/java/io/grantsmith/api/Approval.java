package io.grantsmith.api;

import java.time.Instant;
import org.immutables.value.Value;

/**
 * One person's approval of one access request: who approved, when, and which request id. An
 * approval counts only for the request whose id it names.
 *
 * <pre>{@code
 * Approval.of("bob@example.com", Instant.parse("2026-12-02T09:00:00Z"), "REQ-1042")
 * }</pre>
 */
@Value.Immutable
public abstract class Approval {
  Approval() {}

  /** Builds an {@link Approval}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance an approval
     * @return this builder
     */
    Builder from(Approval instance);

    /**
     * Sets who approved.
     *
     * @param approver an identity, e.g. {@code bob@example.com}
     * @return this builder
     */
    Builder approver(String approver);

    /**
     * Sets when.
     *
     * @param at the time of approval
     * @return this builder
     */
    Builder at(Instant at);

    /**
     * Sets the approved request's id.
     *
     * @param requestId the id
     * @return this builder
     */
    Builder requestId(String requestId);

    /**
     * Builds and validates.
     *
     * @return the approval
     * @throws InvalidValueException if the approver or request id is blank
     */
    Approval build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableApproval.builder();
  }

  /**
   * An approval.
   *
   * @param approver who approved
   * @param at when
   * @param requestId which request
   * @return the approval
   * @throws InvalidValueException if the approver or request id is blank
   */
  public static Approval of(String approver, Instant at, String requestId) {
    return builder().approver(approver).at(at).requestId(requestId).build();
  }

  /**
   * Who approved.
   *
   * @return an identity
   */
  public abstract String approver();

  /**
   * When.
   *
   * @return the time
   */
  public abstract Instant at();

  /**
   * The approved request's id.
   *
   * @return the id
   */
  public abstract String requestId();

  @Value.Check
  void check() {
    Texts.printable("Approval.approver", approver(), 256);
    Texts.printable("Approval.requestId", requestId(), 128);
  }
}
