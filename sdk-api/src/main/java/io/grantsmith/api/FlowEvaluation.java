package io.grantsmith.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One run of {@link AccessFlows#evaluate}: the rules are documented there. */
final class FlowEvaluation {
  private final AccessFlows flows;
  private final AccessRequest request;
  private final Authorization authorization;
  private final Instant now;
  private final IdentityDirectory directory;

  FlowEvaluation(
      AccessFlows flows, AccessRequest request, Authorization authorization, Instant now) {
    this.flows = flows;
    this.request = request;
    this.authorization = authorization;
    this.now = now;
    this.directory = flows.directory();
  }

  FlowDecision decide() {
    String integration = request.integration().name();
    List<FlowDecision.Reason> refusals = new ArrayList<>();
    List<FlowDecision.Pending> pending = new ArrayList<>();
    for (AccessFlow flow : flows.flows()) {
      if (!flow.integration().equals(integration)) {
        continue;
      }
      Optional<FlowDecision.Reason> refusal = refusal(flow);
      if (refusal.isPresent()) {
        refusals.add(refusal.get());
        continue;
      }
      ApprovalCheck check = new ApprovalCheck(flow.approval());
      if (check.satisfied()) {
        return new FlowDecision.Approved(flow.name(), check.counted());
      }
      pending.add(
          new FlowDecision.Pending(
              flow.name(), flow.approval(), check.eligible(), check.missing()));
    }
    if (!pending.isEmpty()) {
      return new FlowDecision.NeedsApproval(pending);
    }
    if (refusals.isEmpty()) {
      refusals.add(
          new FlowDecision.Reason(
              Optional.empty(),
              "integration",
              "no access flow is defined for integration " + integration));
    }
    return new FlowDecision.Denied(refusals);
  }

  private Optional<FlowDecision.Reason> refusal(AccessFlow flow) {
    if (!isRequester(flow, authorization.requester())) {
      return reason(flow, "requesters", authorization.requester() + " may not request this flow");
    }
    if (!isRequester(flow, request.grantee())) {
      return reason(flow, "requesters", request.grantee() + " may not be granted this flow");
    }
    for (ResourceRef r : request.resources()) {
      if (!flow.covers(r)) {
        return reason(
            flow, "resources", ResourcePattern.path(r) + " matches none of " + flow.resources());
      }
    }
    if (request.level().compareTo(flow.maxLevel()) > 0) {
      return reason(
          flow, "maxLevel", request.level().label() + " is higher than " + flow.maxLevel().label());
    }
    if (request.duration().compareTo(flow.maxDuration()) > 0) {
      return reason(
          flow, "maxDuration", request.duration() + " is longer than " + flow.maxDuration());
    }
    if (flow.justificationRequired() && justification().isEmpty()) {
      return reason(flow, "justificationRequired", "a justification is required");
    }
    if (flow.window().isPresent() && !flow.window().get().contains(now)) {
      TimeWindow w = flow.window().get();
      return reason(
          flow,
          "window",
          now + " is outside " + w.days() + " " + w.start() + "-" + w.end() + " " + w.zone());
    }
    return Optional.empty();
  }

  private static Optional<FlowDecision.Reason> reason(
      AccessFlow flow, String field, String message) {
    return Optional.of(new FlowDecision.Reason(Optional.of(flow.name()), field, message));
  }

  private Optional<String> justification() {
    return authorization.justification().or(request::justification).filter(j -> !j.isBlank());
  }

  private boolean isRequester(AccessFlow flow, String identity) {
    for (String entry : flow.requesters()) {
      if (entry.equals(AccessFlow.ANYONE) || isOrIsIn(identity, entry)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code identity} is {@code name} or a member of the group {@code name}. */
  private boolean isOrIsIn(String identity, String name) {
    return identity.equals(name) || directory.isMember(identity, name);
  }

  /** Approvals that may count: this request, not in the future, not by requester or grantee. */
  private List<Approval> validApprovals() {
    List<Approval> valid = new ArrayList<>();
    for (Approval a : authorization.approvals()) {
      if (a.requestId().equals(request.requestId())
          && !a.at().isAfter(now)
          && !a.approver().equals(authorization.requester())
          && !a.approver().equals(request.grantee())) {
        valid.add(a);
      }
    }
    return valid;
  }

  /** The owners of the integration: its owners' values (identities or groups). */
  private List<String> integrationOwners() {
    List<String> owners = new ArrayList<>();
    for (IntegrationOwner o : request.integration().integrationOwners()) {
      owners.addAll(o.values());
    }
    return owners;
  }

  /** The owners of one resource: its owner tags' values, else the integration owners. */
  private List<String> resourceOwners(ResourceRef resource) {
    Set<String> owners = new LinkedHashSet<>();
    if (!request.integration().resourceOwners().isEmpty()) {
      Map<String, String> tags = flows.resourceTags().tags(request.integration(), resource);
      if (tags == null) {
        tags = Map.of();
      }
      for (ResourceOwner o : request.integration().resourceOwners()) {
        String value = tags.get(o.tagKey());
        if (value != null) {
          for (String part : value.split(",")) {
            if (!part.isBlank()) {
              owners.add(part.strip());
            }
          }
        }
      }
    }
    return owners.isEmpty() ? integrationOwners() : List.copyOf(owners);
  }

  /** How an approver's name is compared with the identity that approved. */
  private enum Match {
    IDENTITY,
    GROUP,
    EITHER;
  }

  private boolean matches(Match how, String identity, String name) {
    switch (how) {
      case IDENTITY:
        return identity.equals(name);
      case GROUP:
        return directory.isMember(identity, name);
      default:
        return isOrIsIn(identity, name);
    }
  }

  /** Which of the rule's approvers the valid approvals satisfy. */
  private final class ApprovalCheck {
    private final ApprovalRule rule;
    private final List<Approval> valid = validApprovals();
    private final Set<String> eligible = new LinkedHashSet<>();
    private final Set<Approval> counted = new LinkedHashSet<>();
    private final List<Approver> missing = new ArrayList<>();

    ApprovalCheck(ApprovalRule rule) {
      this.rule = rule;
      for (Approver approver : rule.approvers()) {
        if (!satisfies(approver)) {
          missing.add(approver);
        }
      }
    }

    boolean satisfied() {
      switch (rule.mode()) {
        case AUTOMATIC:
          return true;
        case ANY_OF:
          return missing.size() < rule.approvers().size();
        default:
          return missing.isEmpty();
      }
    }

    List<Approval> counted() {
      return List.copyOf(counted);
    }

    List<String> eligible() {
      return List.copyOf(eligible);
    }

    List<Approver> missing() {
      return List.copyOf(missing);
    }

    /** Records who is eligible and which approvals count; true if {@code approver} is met. */
    private boolean satisfies(Approver approver) {
      switch (approver.kind()) {
        case IDENTITY:
          return anyOf(List.of(approver.name().get()), Match.IDENTITY);
        case GROUP:
          return anyOf(List.of(approver.name().get()), Match.GROUP);
        case INTEGRATION_OWNERS:
          return anyOf(integrationOwners(), Match.EITHER);
        default:
          boolean all = true;
          for (ResourceRef r : request.resources()) {
            all &= anyOf(resourceOwners(r), Match.EITHER);
          }
          return all;
      }
    }

    /** Whether a valid approval comes from one of {@code names}, matched as {@code how} says. */
    private boolean anyOf(List<String> names, Match how) {
      eligible.addAll(names);
      boolean met = false;
      for (Approval a : valid) {
        for (String name : names) {
          if (matches(how, a.approver(), name)) {
            counted.add(a);
            met = true;
            break;
          }
        }
      }
      return met;
    }
  }
}
