package io.grantsmith.api;

import java.util.Objects;

/**
 * Thrown when access is refused because the access flows do not approve the request: it needs
 * approvals it does not have, or it is denied. Nothing was changed on the server.
 */
public class AccessNotApprovedException extends GrantsmithException {
  private static final long serialVersionUID = 1L;

  /** The decision; flows' values are not serializable, so a deserialized copy has none. */
  private final transient FlowDecision decision;

  /**
   * Creates the exception.
   *
   * @param decision the decision, which must not be {@link FlowDecision.Approved}
   */
  public AccessNotApprovedException(FlowDecision decision) {
    this(null, decision);
  }

  /**
   * Creates the exception.
   *
   * @param requestId the request's id, or null
   * @param decision the decision, which must not be {@link FlowDecision.Approved}
   */
  public AccessNotApprovedException(String requestId, FlowDecision decision) {
    super(
        (requestId == null ? "the access request" : "access request " + requestId)
            + " is not approved: "
            + decision.describe());
    if (decision.isApproved()) {
      throw new IllegalArgumentException("decision must not be Approved");
    }
    this.decision = Objects.requireNonNull(decision, "decision");
  }

  /**
   * The decision: {@link FlowDecision.NeedsApproval} or {@link FlowDecision.Denied}.
   *
   * @return the decision
   */
  public FlowDecision decision() {
    return decision;
  }
}
