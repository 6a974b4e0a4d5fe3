package io.grantsmith.api;

import org.immutables.value.Value;

/**
 * Membership of one role in another: {@code GRANT role TO member}.
 *
 * <pre>{@code
 * Membership m = Membership.of("auditors", "alice");
 * }</pre>
 */
@Value.Immutable
public abstract class Membership implements Comparable<Membership> {
  Membership() {}

  /** Builds a {@link Membership}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a membership
     * @return this builder
     */
    Builder from(Membership instance);

    /**
     * Sets the role whose privileges the member gets.
     *
     * @param role a role name
     * @return this builder
     */
    Builder role(String role);

    /**
     * Sets the member.
     *
     * @param member a role name
     * @return this builder
     */
    Builder member(String member);

    /**
     * Sets whether the member may grant the role on (default false).
     *
     * @param adminOption true for {@code WITH ADMIN OPTION}
     * @return this builder
     */
    Builder adminOption(boolean adminOption);

    /**
     * Builds and validates.
     *
     * @return the membership
     * @throws InvalidValueException if a name is not a valid identifier, or role = member
     */
    Membership build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableMembership.builder();
  }

  /**
   * A membership without admin option.
   *
   * @param role the role
   * @param member the member
   * @return the membership
   */
  public static Membership of(String role, String member) {
    return builder().role(role).member(member).build();
  }

  /**
   * The role whose privileges the member gets.
   *
   * @return the role
   */
  public abstract String role();

  /**
   * The member.
   *
   * @return the member
   */
  public abstract String member();

  /**
   * Whether the member may grant the role to others.
   *
   * @return false unless set
   */
  @Value.Default
  public boolean adminOption() {
    return false;
  }

  @Value.Check
  void check() {
    Identifiers.check("Membership.role", role());
    Identifiers.check("Membership.member", member());
    InvalidValueException.check(
        !role().equals(member()), "Membership.member", "must differ from the role", member());
  }

  @Override
  public int compareTo(Membership o) {
    int c = role().compareTo(o.role());
    if (c == 0) {
      c = member().compareTo(o.member());
    }
    return c != 0 ? c : Boolean.compare(adminOption(), o.adminOption());
  }

  @Override
  public String toString() {
    return member() + " in " + role() + (adminOption() ? " with admin option" : "");
  }
}
