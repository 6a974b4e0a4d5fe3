package io.grantsmith.api;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a caller brings to {@link AccessFlows#evaluate}: who asks for the access, the approvals
 * given so far, and why the access is needed.
 *
 * <pre>{@code
 * Authorization auth = Authorization.builder()
 *     .requester("alice@example.com")
 *     .addApproval(Approval.of("bob@example.com", approvedAt, "REQ-1042"))
 *     .justification("INC-311: refund stuck")
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Authorization {
  Authorization() {}

  /** Builds an {@link Authorization}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance an authorization
     * @return this builder
     */
    Builder from(Authorization instance);

    /**
     * Sets who asks for the access.
     *
     * @param requester an identity, e.g. {@code alice@example.com}
     * @return this builder
     */
    Builder requester(String requester);

    /**
     * Adds an approval.
     *
     * @param approval the approval
     * @return this builder
     */
    Builder addApproval(Approval approval);

    /**
     * Adds approvals.
     *
     * @param approvals the approvals
     * @return this builder
     */
    Builder addApprovals(Approval... approvals);

    /**
     * Adds approvals.
     *
     * @param approvals the approvals
     * @return this builder
     */
    Builder addAllApprovals(Iterable<? extends Approval> approvals);

    /**
     * Sets why the access is needed (else the request's justification counts).
     *
     * @param justification the reason
     * @return this builder
     */
    Builder justification(String justification);

    /**
     * Builds and validates.
     *
     * @return the authorization
     * @throws InvalidValueException if the requester is blank or the justification too long
     */
    Authorization build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableAuthorization.builder();
  }

  /**
   * An authorization with no approvals and no justification.
   *
   * @param requester who asks
   * @return the authorization
   */
  public static Authorization of(String requester) {
    return builder().requester(requester).build();
  }

  /**
   * Who asks for the access (may differ from the request's grantee).
   *
   * @return an identity
   */
  public abstract String requester();

  /**
   * The approvals given so far; invalid ones are ignored by {@link AccessFlows#evaluate}.
   *
   * @return the approvals
   */
  public abstract List<Approval> approvals();

  /**
   * Why the access is needed.
   *
   * @return the reason, if given
   */
  public abstract Optional<String> justification();

  @Value.Check
  void check() {
    Texts.printable("Authorization.requester", requester(), 256);
    justification()
        .ifPresent(
            j ->
                InvalidValueException.check(
                    j.length() <= 1000 && j.indexOf('\0') < 0,
                    "Authorization.justification",
                    "must be at most 1000 characters without NUL",
                    j));
  }
}
