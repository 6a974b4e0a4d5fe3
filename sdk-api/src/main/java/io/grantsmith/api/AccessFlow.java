package io.grantsmith.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * One way to get access: who may ask, for which integration and resources, up to which level and
 * duration, with whose approval, with or without a justification, and optionally only in a time
 * window. A set of flows is evaluated by {@link AccessFlows}.
 *
 * <ul>
 *   <li>{@link #requesters()} names identities and groups; a requester qualifies when they are one
 *       of the identities or a member of one of the groups (through the {@link IdentityDirectory});
 *       {@code *} lets anyone ask.
 *   <li>{@link #resources()} are {@link ResourcePattern}s ({@code *}, {@code orders/*}, {@code
 *       orders/sales/*}, {@code orders/sales/items}); a request fits the flow when every one of its
 *       resources matches at least one pattern.
 * </ul>
 *
 * <pre>{@code
 * AccessFlow flow = AccessFlow.builder()
 *     .name("orders-read")
 *     .addRequester("support-team")
 *     .integration("orders-prod")
 *     .addResource("orders/sales/*")
 *     .maxLevel(AccessLevel.READ_ONLY)
 *     .maxDuration(Duration.ofHours(4))
 *     .approval(ApprovalRule.anyOf(Approver.resourceOwners()))
 *     .justificationRequired(true)
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class AccessFlow {
  /** Anyone may request: the requester entry that matches every identity. */
  public static final String ANYONE = "*";

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

  AccessFlow() {}

  /** Builds an {@link AccessFlow}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a flow
     * @return this builder
     */
    Builder from(AccessFlow instance);

    /**
     * Sets the flow's name.
     *
     * @param name a letter, then up to 63 letters, digits, {@code _ . -}
     * @return this builder
     */
    Builder name(String name);

    /**
     * Adds who may request: an identity, a group, or {@code *} for anyone.
     *
     * @param requester the identity or group
     * @return this builder
     */
    Builder addRequester(String requester);

    /**
     * Adds who may request.
     *
     * @param requesters identities or groups
     * @return this builder
     */
    Builder addRequesters(String... requesters);

    /**
     * Adds who may request.
     *
     * @param requesters identities or groups
     * @return this builder
     */
    Builder addAllRequesters(Iterable<String> requesters);

    /**
     * Replaces who may request.
     *
     * @param requesters identities or groups
     * @return this builder
     */
    Builder requesters(Iterable<String> requesters);

    /**
     * Sets the integration's name.
     *
     * @param integration the {@link Integration#name()} this flow is for
     * @return this builder
     */
    Builder integration(String integration);

    /**
     * Adds a resource pattern.
     *
     * @param pattern see {@link ResourcePattern}
     * @return this builder
     */
    Builder addResource(String pattern);

    /**
     * Adds resource patterns.
     *
     * @param patterns see {@link ResourcePattern}
     * @return this builder
     */
    Builder addResources(String... patterns);

    /**
     * Adds resource patterns.
     *
     * @param patterns see {@link ResourcePattern}
     * @return this builder
     */
    Builder addAllResources(Iterable<String> patterns);

    /**
     * Replaces the resource patterns.
     *
     * @param patterns see {@link ResourcePattern}
     * @return this builder
     */
    Builder resources(Iterable<String> patterns);

    /**
     * Sets the highest level a request may ask for.
     *
     * @param maxLevel the level
     * @return this builder
     */
    Builder maxLevel(AccessLevel maxLevel);

    /**
     * Sets the longest duration a request may ask for.
     *
     * @param maxDuration at least one minute
     * @return this builder
     */
    Builder maxDuration(Duration maxDuration);

    /**
     * Sets whose approval is needed.
     *
     * @param approval the rule
     * @return this builder
     */
    Builder approval(ApprovalRule approval);

    /**
     * Sets whether a justification is required (default false).
     *
     * @param justificationRequired true to require one
     * @return this builder
     */
    Builder justificationRequired(boolean justificationRequired);

    /**
     * Sets the time window the flow applies in (default: always).
     *
     * @param window the window
     * @return this builder
     */
    Builder window(TimeWindow window);

    /**
     * Builds and validates.
     *
     * @return the flow
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    AccessFlow build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableAccessFlow.builder();
  }

  /**
   * The flow's name, unique within {@link AccessFlows}.
   *
   * @return the name
   */
  public abstract String name();

  /**
   * Who may request: identities, groups, or {@code *} for anyone.
   *
   * @return one or more entries
   */
  public abstract Set<String> requesters();

  /**
   * The name of the integration this flow is for.
   *
   * @return the integration's name
   */
  public abstract String integration();

  /**
   * The resource patterns (see {@link ResourcePattern}).
   *
   * @return one or more patterns
   */
  public abstract List<String> resources();

  /**
   * The highest level a request may ask for.
   *
   * @return the level
   */
  public abstract AccessLevel maxLevel();

  /**
   * The longest duration a request may ask for.
   *
   * @return the duration
   */
  public abstract Duration maxDuration();

  /**
   * Whose approval is needed.
   *
   * @return the rule
   */
  public abstract ApprovalRule approval();

  /**
   * Whether the request must carry a justification.
   *
   * @return false unless set
   */
  @Value.Default
  public boolean justificationRequired() {
    return false;
  }

  /**
   * When the flow applies; always when absent.
   *
   * @return the window, if any
   */
  public abstract Optional<TimeWindow> window();

  /**
   * The parsed {@link #resources()}.
   *
   * @return the patterns
   */
  @Value.Lazy
  public List<ResourcePattern> resourcePatterns() {
    return resources().stream()
        .map(ResourcePattern::parse)
        .collect(java.util.stream.Collectors.toUnmodifiableList());
  }

  /**
   * Whether one of this flow's patterns matches {@code resource}.
   *
   * @param resource a resource
   * @return true if one of the patterns matches
   */
  public boolean covers(ResourceRef resource) {
    return resourcePatterns().stream().anyMatch(p -> p.matches(resource));
  }

  @Value.Check
  void check() {
    InvalidValueException.check(
        NAME.matcher(name()).matches(),
        "AccessFlow.name",
        "must be a letter followed by up to 63 letters, digits, '_', '.' or '-'",
        name());
    InvalidValueException.check(
        !requesters().isEmpty(),
        "AccessFlow.requesters",
        "must hold at least one identity or group",
        requesters());
    for (String r : requesters()) {
      Texts.printable("AccessFlow.requesters", r, 256);
    }
    Texts.printable("AccessFlow.integration", integration(), 64);
    InvalidValueException.check(
        !resources().isEmpty(),
        "AccessFlow.resources",
        "must hold at least one pattern",
        resources());
    for (String p : resources()) {
      ResourcePattern.parse("AccessFlow.resources", p);
    }
    InvalidValueException.check(
        maxDuration().compareTo(AccessRequest.MIN_DURATION) >= 0,
        "AccessFlow.maxDuration",
        "must be at least one minute",
        maxDuration());
  }
}
