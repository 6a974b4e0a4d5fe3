package io.grantsmith.postgres.azure;

import io.grantsmith.api.ResourceKind;
import java.util.List;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * One database found by {@link Discovery} and what it holds: schemas, relations, sequences,
 * functions and procedures, each with its owner, in schema and name order.
 */
@Value.Immutable
public abstract class DiscoveredDatabase {
  DiscoveredDatabase() {}

  /** Builds a {@link DiscoveredDatabase}. */
  public interface Builder {
    /**
     * Sets the name.
     *
     * @param name the database name
     * @return this builder
     */
    Builder name(String name);

    /**
     * Sets the owner.
     *
     * @param owner a role name
     * @return this builder
     */
    Builder owner(String owner);

    /**
     * Adds an object.
     *
     * @param object a schema, relation, sequence or function of this database
     * @return this builder
     */
    Builder addObject(DiscoveredObject object);

    /**
     * Adds objects.
     *
     * @param objects objects of this database
     * @return this builder
     */
    Builder addAllObjects(Iterable<? extends DiscoveredObject> objects);

    /**
     * Builds.
     *
     * @return the database
     */
    DiscoveredDatabase build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableDiscoveredDatabase.builder();
  }

  /**
   * The database's name.
   *
   * @return the name
   */
  public abstract String name();

  /**
   * The database's owner.
   *
   * @return a role name
   */
  public abstract String owner();

  /**
   * Everything found in the database, schemas first.
   *
   * @return the objects of the discovered kinds
   */
  public abstract List<DiscoveredObject> objects();

  /**
   * The objects of one kind.
   *
   * @param kind schema, relation, sequence or function
   * @return those objects, in order
   */
  public List<DiscoveredObject> objects(ResourceKind kind) {
    return objects().stream().filter(o -> o.kind() == kind).collect(Collectors.toList());
  }

  /**
   * The schemas' names.
   *
   * @return the names, sorted
   */
  public List<String> schemas() {
    return objects(ResourceKind.SCHEMA).stream()
        .map(o -> o.ref().schema().get())
        .collect(Collectors.toList());
  }

  /**
   * The tables, views, materialized views, foreign and partitioned tables.
   *
   * @return the relations
   */
  public List<DiscoveredObject> relations() {
    return objects(ResourceKind.RELATION);
  }

  /**
   * The sequences.
   *
   * @return the sequences
   */
  public List<DiscoveredObject> sequences() {
    return objects(ResourceKind.SEQUENCE);
  }

  /**
   * The functions and procedures.
   *
   * @return the functions
   */
  public List<DiscoveredObject> functions() {
    return objects(ResourceKind.FUNCTION);
  }

  @Value.Check
  void check() {
    for (DiscoveredObject o : objects()) {
      if (!o.ref().database().get().equals(name())) {
        throw new io.grantsmith.api.InvalidValueException(
            "DiscoveredDatabase.objects", "must all be in database " + name(), o.ref());
      }
    }
  }
}
