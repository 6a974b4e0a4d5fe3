package io.grantsmith.postgres.azure;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.RelationKind;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A schema, relation, sequence, function or procedure found by {@link Discovery}, with its owner. A
 * function's {@link ResourceRef#arguments()} are the server's {@code
 * pg_get_function_identity_arguments}, e.g. {@code integer, text}.
 */
@Value.Immutable
public abstract class DiscoveredObject {
  DiscoveredObject() {}

  /** Builds a {@link DiscoveredObject}. */
  public interface Builder {
    /**
     * Sets the object.
     *
     * @param ref a schema, relation, sequence or function
     * @return this builder
     */
    Builder ref(ResourceRef ref);

    /**
     * Sets the owner.
     *
     * @param owner a role name
     * @return this builder
     */
    Builder owner(String owner);

    /**
     * Sets the kind of a relation (required for relations, absent otherwise).
     *
     * @param relationKind the kind
     * @return this builder
     */
    Builder relationKind(RelationKind relationKind);

    /**
     * Sets whether a function is a procedure (default false).
     *
     * @param procedure true for a procedure
     * @return this builder
     */
    Builder procedure(boolean procedure);

    /**
     * Builds and validates.
     *
     * @return the object
     * @throws InvalidValueException if the kind does not fit the other attributes
     */
    DiscoveredObject build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableDiscoveredObject.builder();
  }

  /**
   * The object.
   *
   * @return its reference
   */
  public abstract ResourceRef ref();

  /**
   * The object's owner.
   *
   * @return a role name
   */
  public abstract String owner();

  /**
   * The kind of a relation: table, view, materialized view, foreign or partitioned table.
   *
   * @return the kind; empty unless {@link #kind()} is {@link ResourceKind#RELATION}
   */
  public abstract Optional<RelationKind> relationKind();

  /**
   * Whether a function is a procedure (called with {@code CALL}).
   *
   * @return false unless set
   */
  @Value.Default
  public boolean procedure() {
    return false;
  }

  /**
   * The object's kind, that of {@link #ref()}.
   *
   * @return the kind
   */
  public ResourceKind kind() {
    return ref().kind();
  }

  @Value.Check
  void check() {
    ResourceKind k = ref().kind();
    if (k != ResourceKind.SCHEMA
        && k != ResourceKind.RELATION
        && k != ResourceKind.SEQUENCE
        && k != ResourceKind.FUNCTION) {
      throw new InvalidValueException(
          "DiscoveredObject.ref", "must be a schema, relation, sequence or function", ref());
    }
    if (relationKind().isPresent() != (k == ResourceKind.RELATION)) {
      throw new InvalidValueException(
          "DiscoveredObject.relationKind",
          "must be set for a relation and only for one",
          relationKind().orElse(null));
    }
    if (procedure() && k != ResourceKind.FUNCTION) {
      throw new InvalidValueException(
          "DiscoveredObject.procedure", "may be true only for a function", ref());
    }
  }
}
