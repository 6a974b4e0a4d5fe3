package io.grantsmith.api;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * Privileges on one resource given to one role, with or without the grant option.
 *
 * <pre>{@code
 * Grant read = Grant.builder()
 *     .grantee("alice")
 *     .resource(ResourceRef.relation("orders", "sales", "invoices"))
 *     .addPrivilege(Privilege.SELECT)
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Grant {
  Grant() {}

  /** Builds a {@link Grant}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a grant
     * @return this builder
     */
    Builder from(Grant instance);

    /**
     * Sets the role that receives the privileges.
     *
     * @param grantee a role name
     * @return this builder
     */
    Builder grantee(String grantee);

    /**
     * Sets the resource.
     *
     * @param resource a database, schema, relation, sequence or function
     * @return this builder
     */
    Builder resource(ResourceRef resource);

    /**
     * Adds a privilege.
     *
     * @param privilege the privilege
     * @return this builder
     */
    Builder addPrivilege(Privilege privilege);

    /**
     * Adds privileges.
     *
     * @param privileges the privileges
     * @return this builder
     */
    Builder addPrivileges(Privilege... privileges);

    /**
     * Adds privileges.
     *
     * @param privileges the privileges
     * @return this builder
     */
    Builder addAllPrivileges(Iterable<Privilege> privileges);

    /**
     * Sets whether the grantee may grant the privileges on (default false).
     *
     * @param withGrantOption true for {@code WITH GRANT OPTION}
     * @return this builder
     */
    Builder withGrantOption(boolean withGrantOption);

    /**
     * Builds and validates.
     *
     * @return the grant
     * @throws InvalidValueException if a privilege does not apply to the resource's kind
     */
    Grant build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableGrant.builder();
  }

  /**
   * The role that receives the privileges.
   *
   * @return the role name
   */
  public abstract String grantee();

  /**
   * What the privileges are on.
   *
   * @return the resource
   */
  public abstract ResourceRef resource();

  /**
   * The privileges; never empty.
   *
   * @return the privileges
   */
  public abstract Set<Privilege> privileges();

  /**
   * Whether the grantee may grant these privileges to others.
   *
   * @return false unless set
   */
  @Value.Default
  public boolean withGrantOption() {
    return false;
  }

  @Value.Check
  void check() {
    Identifiers.check("Grant.grantee", grantee());
    ResourceKind kind = resource().kind();
    InvalidValueException.check(
        kind.isGrantable(),
        "Grant.resource",
        "must be a database, schema, relation, sequence or function",
        resource());
    InvalidValueException.check(
        !privileges().isEmpty(),
        "Grant.privileges",
        "must hold at least one privilege",
        privileges());
    for (Privilege p : privileges()) {
      // The message is built only on failure: snapshots and plans build grants by the thousand.
      if (!p.appliesTo(kind)) {
        throw new InvalidValueException(
            "Grant.privileges",
            "must apply to a "
                + kind.name().toLowerCase(Locale.ROOT)
                + " ("
                + p
                + " applies to "
                + p.appliesTo()
                + ")",
            p);
      }
    }
  }

  @Override
  public String toString() {
    return privileges().stream().map(Privilege::name).sorted().collect(Collectors.joining(","))
        + " on "
        + resource()
        + " to "
        + grantee()
        + (withGrantOption() ? " with grant option" : "");
  }
}
