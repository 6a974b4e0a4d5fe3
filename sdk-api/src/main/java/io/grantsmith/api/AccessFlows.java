package io.grantsmith.api;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A set of {@link AccessFlow}s with the {@link IdentityDirectory} that resolves their groups and
 * the {@link ResourceTags} that find resource owners; {@link #evaluate} decides whether a request
 * may be granted.
 *
 * <h2>How a request is decided</h2>
 *
 * Only the flows of the request's integration are considered, in the order they were added. A flow
 * <em>refuses</em> a request, naming the field, when:
 *
 * <ul>
 *   <li>{@code requesters}: the requester, or the grantee, is neither one of its identities nor a
 *       member of one of its groups (and the flow does not name {@code *});
 *   <li>{@code resources}: a requested resource matches none of its patterns;
 *   <li>{@code maxLevel}: the request asks for a higher level;
 *   <li>{@code maxDuration}: the request asks for a longer duration;
 *   <li>{@code justificationRequired}: it requires a justification and neither the authorization
 *       nor the request carries a non-blank one;
 *   <li>{@code window}: it has a time window and {@code now} is outside it.
 * </ul>
 *
 * <p>A flow that does not refuse <em>approves</em> when its {@link ApprovalRule} is met by the
 * valid approvals, and otherwise <em>waits</em> for approvals. An approval is valid when it names
 * the request's id, is not later than {@code now}, is given by neither the requester nor the
 * grantee, and comes from an eligible approver: the identity named, a member of the group named, an
 * owner of the resource (see {@link Approver.Kind#RESOURCE_OWNERS}: every requested resource needs
 * an approval from one of its own owners) or an integration owner.
 *
 * <p>Several flows combine as alternatives, so adding a flow never takes access away:
 *
 * <ol>
 *   <li>the request is {@link FlowDecision.Approved} by the first flow that approves it;
 *   <li>otherwise it {@link FlowDecision.NeedsApproval} if at least one flow waits for approvals
 *       (listing each such flow with its rule and the approvals still missing);
 *   <li>otherwise it is {@link FlowDecision.Denied}, with each flow's reason (or one reason when
 *       the integration has no flow at all).
 * </ol>
 *
 * <pre>{@code
 * AccessFlows flows = AccessFlows.builder()
 *     .addFlow(ordersRead)
 *     .directory(IdentityDirectory.of(Map.of("support-team", Set.of("alice@example.com"))))
 *     .resourceTags(ResourceTags.of(Map.of("orders/*", Map.of("owner", "bob@example.com"))))
 *     .build();
 * FlowDecision decision = flows.evaluate(request, Authorization.of("alice@example.com"), now);
 * }</pre>
 */
@Value.Immutable
public abstract class AccessFlows {
  AccessFlows() {}

  /** Builds an {@link AccessFlows}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a set of flows
     * @return this builder
     */
    Builder from(AccessFlows instance);

    /**
     * Adds a flow.
     *
     * @param flow the flow
     * @return this builder
     */
    Builder addFlow(AccessFlow flow);

    /**
     * Adds flows.
     *
     * @param flows the flows
     * @return this builder
     */
    Builder addFlows(AccessFlow... flows);

    /**
     * Adds flows.
     *
     * @param flows the flows
     * @return this builder
     */
    Builder addAllFlows(Iterable<? extends AccessFlow> flows);

    /**
     * Sets the directory that resolves groups (default {@link IdentityDirectory#none()}).
     *
     * @param directory the directory
     * @return this builder
     */
    Builder directory(IdentityDirectory directory);

    /**
     * Sets where resource owners are found (default {@link ResourceTags#none()}).
     *
     * @param resourceTags the tags
     * @return this builder
     */
    Builder resourceTags(ResourceTags resourceTags);

    /**
     * Builds and validates.
     *
     * @return the flows
     * @throws InvalidValueException if two flows share a name
     */
    AccessFlows build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableAccessFlows.builder();
  }

  /**
   * The flows, in the order they were added.
   *
   * @return the flows
   */
  public abstract List<AccessFlow> flows();

  /**
   * The directory that resolves groups.
   *
   * @return the directory
   */
  @Value.Default
  @Value.Auxiliary
  public IdentityDirectory directory() {
    return IdentityDirectory.none();
  }

  /**
   * Where resource owners are found.
   *
   * @return the tags
   */
  @Value.Default
  @Value.Auxiliary
  public ResourceTags resourceTags() {
    return ResourceTags.none();
  }

  /**
   * Decides whether {@code request}, asked for by {@code authorization}'s requester with its
   * approvals, may be granted at {@code now}. Pure: the result depends only on the arguments, the
   * flows, and the answers of the directory and tags.
   *
   * @param request the request
   * @param authorization who asks, with the approvals given so far
   * @param now the time of the decision (approvals later than it do not count)
   * @return approved, needs approval, or denied
   */
  public FlowDecision evaluate(AccessRequest request, Authorization authorization, Instant now) {
    java.util.Objects.requireNonNull(request, "request");
    java.util.Objects.requireNonNull(authorization, "authorization");
    java.util.Objects.requireNonNull(now, "now");
    return new FlowEvaluation(this, request, authorization, now).decide();
  }

  @Value.Check
  void check() {
    Set<String> names = new HashSet<>();
    for (AccessFlow f : flows()) {
      InvalidValueException.check(
          names.add(f.name()), "AccessFlows.flows", "must not repeat a flow name", f.name());
    }
  }
}
