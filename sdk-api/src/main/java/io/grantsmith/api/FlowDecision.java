package io.grantsmith.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@link AccessFlows#evaluate} decided: {@link Approved}, {@link NeedsApproval} or {@link
 * Denied}.
 *
 * <pre>{@code
 * switch (decision) {
 *   case FlowDecision.Approved a -> grant(...);
 *   ...
 * }
 * if (!decision.isApproved()) throw new AccessNotApprovedException(decision);
 * }</pre>
 */
public sealed interface FlowDecision
    permits FlowDecision.Approved, FlowDecision.NeedsApproval, FlowDecision.Denied {

  /**
   * Whether access may be given.
   *
   * @return true for {@link Approved}
   */
  default boolean isApproved() {
    return this instanceof Approved;
  }

  /**
   * One readable line: what was decided and why.
   *
   * @return the text
   */
  String describe();

  /**
   * Approved by a flow, automatically or with the approvals that counted.
   *
   * @param flow the name of the flow that approved
   * @param approvals the approvals that counted (empty for an automatic flow)
   */
  record Approved(String flow, List<Approval> approvals) implements FlowDecision {
    /**
     * Creates the decision.
     *
     * @param flow the flow's name
     * @param approvals the approvals that counted
     */
    public Approved {
      Objects.requireNonNull(flow, "flow");
      approvals = List.copyOf(approvals);
    }

    @Override
    public String describe() {
      return approvals.isEmpty()
          ? "approved automatically by flow " + flow
          : "approved by flow "
              + flow
              + " with the approval of "
              + approvals.stream().map(Approval::approver).collect(Collectors.joining(", "));
    }
  }

  /**
   * Not yet approved: each flow that could approve it, with the approvals it still needs.
   *
   * @param pending one entry per flow that could approve the request, in the order of the flows
   */
  record NeedsApproval(List<Pending> pending) implements FlowDecision {
    /**
     * Creates the decision.
     *
     * @param pending at least one flow
     */
    public NeedsApproval {
      pending = List.copyOf(pending);
      if (pending.isEmpty()) {
        throw new IllegalArgumentException("NeedsApproval.pending must not be empty");
      }
    }

    @Override
    public String describe() {
      return "needs approval: "
          + pending.stream().map(Pending::describe).collect(Collectors.joining("; or "));
    }
  }

  /**
   * One flow's outstanding approvals.
   *
   * @param flow the flow's name
   * @param rule its approval rule
   * @param eligible who may approve, resolved: identities and groups (resource owners and
   *     integration owners replaced by the identities and groups they stand for)
   * @param missing the rule's approvers not yet satisfied: for any-of, one approval from any of
   *     them is enough; for all-of, each one needs an approval
   */
  record Pending(String flow, ApprovalRule rule, List<String> eligible, List<Approver> missing) {
    /**
     * Creates the entry.
     *
     * @param flow the flow's name
     * @param rule its rule
     * @param eligible who may approve
     * @param missing the approvers not yet satisfied
     */
    public Pending {
      Objects.requireNonNull(flow, "flow");
      Objects.requireNonNull(rule, "rule");
      eligible = List.copyOf(eligible);
      missing = List.copyOf(missing);
    }

    /**
     * One readable phrase.
     *
     * @return e.g. {@code flow orders-read (any-of[resource-owners]) from one of [group:sales]}
     */
    public String describe() {
      return "flow "
          + flow
          + " ("
          + rule
          + ") still needs "
          + (rule.mode() == ApprovalRule.Mode.ALL_OF ? "each of " : "one of ")
          + missing
          + ", eligible: "
          + eligible;
    }
  }

  /**
   * Refused: no flow matches, or every matching flow refuses.
   *
   * @param reasons why, one or more, each naming the flow and the field
   */
  record Denied(List<Reason> reasons) implements FlowDecision {
    /**
     * Creates the decision.
     *
     * @param reasons at least one reason
     */
    public Denied {
      reasons = List.copyOf(reasons);
      if (reasons.isEmpty()) {
        throw new IllegalArgumentException("Denied.reasons must not be empty");
      }
    }

    @Override
    public String describe() {
      return "denied: " + reasons.stream().map(Reason::describe).collect(Collectors.joining("; "));
    }
  }

  /**
   * Why a flow did not approve.
   *
   * @param flow the flow's name; absent when there is no flow for the integration at all
   * @param field the flow's field the request fails, e.g. {@code maxDuration}
   * @param message what is wrong, e.g. {@code PT8H is longer than PT4H}
   */
  record Reason(Optional<String> flow, String field, String message) {
    /**
     * Creates the reason.
     *
     * @param flow the flow's name, if any
     * @param field the field
     * @param message what is wrong
     */
    public Reason {
      Objects.requireNonNull(flow, "flow");
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }

    /**
     * One readable phrase.
     *
     * @return e.g. {@code flow orders-read, maxDuration: PT8H is longer than PT4H}
     */
    public String describe() {
      return flow.map(f -> "flow " + f + ", ").orElse("") + field + ": " + message;
    }
  }
}
