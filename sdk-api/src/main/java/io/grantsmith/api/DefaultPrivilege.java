package io.grantsmith.api;

import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A default privilege ({@code ALTER DEFAULT PRIVILEGES}): what objects that {@link #owner()}
 * creates later, in {@link #schema()} or anywhere, grant to {@link #grantee()}.
 */
@Value.Immutable
public abstract class DefaultPrivilege {

  /** The kinds of future object a default privilege covers. */
  public enum ObjectType {
    /** Tables and other relations ({@code r}). */
    TABLES,
    /** Sequences ({@code S}). */
    SEQUENCES,
    /** Functions and procedures ({@code f}). */
    FUNCTIONS,
    /** Types ({@code T}). */
    TYPES,
    /** Schemas ({@code n}). */
    SCHEMAS
  }

  DefaultPrivilege() {}

  /** Builds a {@link DefaultPrivilege}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a default privilege
     * @return this builder
     */
    Builder from(DefaultPrivilege instance);

    /**
     * Sets the role whose future objects are covered.
     *
     * @param owner a role name
     * @return this builder
     */
    Builder owner(String owner);

    /**
     * Sets the schema; unset means every schema.
     *
     * @param schema the schema
     * @return this builder
     */
    Builder schema(String schema);

    /**
     * Sets the kind of object.
     *
     * @param objectType the kind
     * @return this builder
     */
    Builder objectType(ObjectType objectType);

    /**
     * Sets the grantee.
     *
     * @param grantee a role name
     * @return this builder
     */
    Builder grantee(String grantee);

    /**
     * Adds privileges.
     *
     * @param privileges the privileges
     * @return this builder
     */
    Builder addAllPrivileges(Iterable<Privilege> privileges);

    /**
     * Adds a privilege.
     *
     * @param privilege the privilege
     * @return this builder
     */
    Builder addPrivilege(Privilege privilege);

    /**
     * Sets the grant option.
     *
     * @param withGrantOption the flag
     * @return this builder
     */
    Builder withGrantOption(boolean withGrantOption);

    /**
     * Builds and validates.
     *
     * @return the default privilege
     * @throws InvalidValueException if a name is invalid or there is no privilege
     */
    DefaultPrivilege build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableDefaultPrivilege.builder();
  }

  /**
   * The role whose future objects are covered.
   *
   * @return the role
   */
  public abstract String owner();

  /**
   * The schema, or empty for every schema.
   *
   * @return the schema
   */
  public abstract Optional<String> schema();

  /**
   * The kind of future object.
   *
   * @return the kind
   */
  public abstract ObjectType objectType();

  /**
   * The role that will get the privileges.
   *
   * @return the grantee
   */
  public abstract String grantee();

  /**
   * The privileges.
   *
   * @return a non-empty set
   */
  public abstract Set<Privilege> privileges();

  /**
   * Whether they come with the grant option.
   *
   * @return the flag
   */
  @Value.Default
  public boolean withGrantOption() {
    return false;
  }

  @Value.Check
  void check() {
    Identifiers.check("DefaultPrivilege.owner", owner());
    Identifiers.check("DefaultPrivilege.grantee", grantee());
    schema().ifPresent(s -> Identifiers.check("DefaultPrivilege.schema", s));
    InvalidValueException.check(
        !privileges().isEmpty(),
        "DefaultPrivilege.privileges",
        "must hold at least one privilege",
        privileges());
  }
}
