package io.grantsmith.api;

import java.util.List;
import org.immutables.value.Value;

/**
 * Whose approval an {@link AccessFlow} needs: none ({@link #automatic()}), one of several approvers
 * ({@link #anyOf(Approver...)}) or every one of them ({@link #allOf(Approver...)}).
 *
 * <p>The requester and the grantee never count as approvers of their own request, whatever group or
 * ownership they hold. Under all-of, one approval counts towards every approver it satisfies:
 * {@code allOf(group("dba"), group("security"))} is met by one person in both groups.
 *
 * <pre>{@code
 * ApprovalRule.allOf(Approver.resourceOwners(), Approver.identity("ciso@example.com"))
 * }</pre>
 */
@Value.Immutable
public abstract class ApprovalRule {
  ApprovalRule() {}

  /** How the approvers combine. */
  public enum Mode {
    /** No approval is needed. */
    AUTOMATIC,
    /** One approval from any of the approvers. */
    ANY_OF,
    /** An approval for each of the approvers. */
    ALL_OF
  }

  /**
   * No approval needed.
   *
   * @return the rule
   */
  public static ApprovalRule automatic() {
    return ImmutableApprovalRule.builder().mode(Mode.AUTOMATIC).build();
  }

  /**
   * One approval from any of {@code approvers}.
   *
   * @param approvers one or more approvers
   * @return the rule
   * @throws InvalidValueException if there is no approver
   */
  public static ApprovalRule anyOf(Approver... approvers) {
    return anyOf(List.of(approvers));
  }

  /**
   * One approval from any of {@code approvers}.
   *
   * @param approvers one or more approvers
   * @return the rule
   * @throws InvalidValueException if there is no approver
   */
  public static ApprovalRule anyOf(List<Approver> approvers) {
    return ImmutableApprovalRule.builder().mode(Mode.ANY_OF).addAllApprovers(approvers).build();
  }

  /**
   * An approval for each of {@code approvers}.
   *
   * @param approvers one or more approvers
   * @return the rule
   * @throws InvalidValueException if there is no approver
   */
  public static ApprovalRule allOf(Approver... approvers) {
    return allOf(List.of(approvers));
  }

  /**
   * An approval for each of {@code approvers}.
   *
   * @param approvers one or more approvers
   * @return the rule
   * @throws InvalidValueException if there is no approver
   */
  public static ApprovalRule allOf(List<Approver> approvers) {
    return ImmutableApprovalRule.builder().mode(Mode.ALL_OF).addAllApprovers(approvers).build();
  }

  /**
   * How the approvers combine.
   *
   * @return the mode
   */
  public abstract Mode mode();

  /**
   * The approvers; empty exactly for {@link Mode#AUTOMATIC}, without duplicates.
   *
   * @return the approvers
   */
  public abstract List<Approver> approvers();

  /**
   * Whether no approval is needed.
   *
   * @return true for {@link #automatic()}
   */
  public boolean isAutomatic() {
    return mode() == Mode.AUTOMATIC;
  }

  @Value.Check
  void check() {
    InvalidValueException.check(
        isAutomatic() == approvers().isEmpty(),
        "ApprovalRule.approvers",
        isAutomatic()
            ? "must be empty for an automatic rule"
            : "must hold at least one approver for any-of or all-of",
        approvers());
    InvalidValueException.check(
        approvers().stream().distinct().count() == approvers().size(),
        "ApprovalRule.approvers",
        "must not repeat an approver",
        approvers());
  }

  /**
   * Readable: {@code automatic}, {@code any-of[group:dba, resource-owners]}, {@code all-of[...]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    switch (mode()) {
      case AUTOMATIC:
        return "automatic";
      case ANY_OF:
        return "any-of" + approvers();
      default:
        return "all-of" + approvers();
    }
  }
}
