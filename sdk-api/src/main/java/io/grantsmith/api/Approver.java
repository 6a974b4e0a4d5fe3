package io.grantsmith.api;

import java.util.Optional;
import org.immutables.value.Value;

/**
 * Who may approve an access request under an {@link ApprovalRule}: a named identity, the members of
 * a group, the owners of the requested resources, or the owners of the integration.
 *
 * <pre>{@code
 * ApprovalRule rule = ApprovalRule.anyOf(Approver.resourceOwners(), Approver.group("dba-team"));
 * }</pre>
 */
@Value.Immutable
public abstract class Approver {
  Approver() {}

  /** What an approver stands for. */
  public enum Kind {
    /** One identity, e.g. {@code bob@example.com}. */
    IDENTITY,
    /** Any member of a group, as the {@link IdentityDirectory} says. */
    GROUP,
    /**
     * The owners of every requested resource: the identities or groups named by the resource's tag
     * whose key is a {@link ResourceOwner#tagKey()} of the integration; the integration owners for
     * a resource without such a tag.
     */
    RESOURCE_OWNERS,
    /** The integration's owners: any identity or group among its {@link IntegrationOwner}s. */
    INTEGRATION_OWNERS
  }

  /**
   * One identity.
   *
   * @param identity e.g. {@code bob@example.com}
   * @return the approver
   * @throws InvalidValueException if the identity is blank
   */
  public static Approver identity(String identity) {
    return ImmutableApprover.builder().kind(Kind.IDENTITY).name(identity).build();
  }

  /**
   * Any member of a group.
   *
   * @param group e.g. {@code dba-team}
   * @return the approver
   * @throws InvalidValueException if the group is blank
   */
  public static Approver group(String group) {
    return ImmutableApprover.builder().kind(Kind.GROUP).name(group).build();
  }

  /**
   * The owners of the requested resources (integration owners where a resource has none).
   *
   * @return the approver
   */
  public static Approver resourceOwners() {
    return ImmutableApprover.builder().kind(Kind.RESOURCE_OWNERS).build();
  }

  /**
   * The owners of the integration.
   *
   * @return the approver
   */
  public static Approver integrationOwners() {
    return ImmutableApprover.builder().kind(Kind.INTEGRATION_OWNERS).build();
  }

  /**
   * What this approver stands for.
   *
   * @return the kind
   */
  public abstract Kind kind();

  /**
   * The identity or group; absent for resource and integration owners.
   *
   * @return the name
   */
  public abstract Optional<String> name();

  @Value.Check
  void check() {
    boolean named = kind() == Kind.IDENTITY || kind() == Kind.GROUP;
    InvalidValueException.check(
        named == name().isPresent(),
        "Approver.name",
        named ? "must be set for an identity or group" : "must be absent for " + label(),
        name().orElse(null));
    name()
        .ifPresent(
            n -> {
              InvalidValueException.check(!n.isBlank(), "Approver.name", "must not be blank", n);
              InvalidValueException.check(
                  n.length() <= 256 && n.chars().noneMatch(Character::isISOControl),
                  "Approver.name",
                  "must be at most 256 characters without control characters",
                  n);
            });
  }

  private String label() {
    return kind() == Kind.RESOURCE_OWNERS ? "resource owners" : "integration owners";
  }

  /**
   * Readable: {@code identity:bob@example.com}, {@code group:dba-team}, {@code resource-owners},
   * {@code integration-owners}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    switch (kind()) {
      case IDENTITY:
        return "identity:" + name().get();
      case GROUP:
        return "group:" + name().get();
      case RESOURCE_OWNERS:
        return "resource-owners";
      default:
        return "integration-owners";
    }
  }
}
