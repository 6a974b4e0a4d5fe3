package io.grantsmith.api;

import java.util.Comparator;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A reference to something access can be given to: the server, a database, a schema, a relation, a
 * sequence, a function (with its argument types) or a role.
 *
 * <p>Readable in {@link #toString()}: {@code server}, {@code orders}, {@code orders/sales}, {@code
 * orders/sales.invoices}, {@code orders/sales.total(integer)}, {@code role:auditors}. Equal when
 * all parts are equal; ordered by database, kind, schema, name and arguments.
 *
 * <pre>{@code
 * ResourceRef invoices = ResourceRef.relation("orders", "sales", "invoices");
 * }</pre>
 */
@Value.Immutable
public abstract class ResourceRef implements Comparable<ResourceRef> {

  private static final Comparator<String> NULLS_FIRST =
      Comparator.nullsFirst(Comparator.naturalOrder());

  /** The cached hash; 0 until first computed (a benign race, as in {@link String}). */
  private static final String DATABASE_FIELD = "ResourceRef.database";

  private static final String SCHEMA_FIELD = "ResourceRef.schema";
  private static final String NAME_FIELD = "ResourceRef.name";

  private int hash;

  ResourceRef() {}

  /** Builds a {@link ResourceRef}; prefer the static factories. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a reference
     * @return this builder
     */
    Builder from(ResourceRef instance);

    /**
     * Sets the kind.
     *
     * @param kind the kind
     * @return this builder
     */
    Builder kind(ResourceKind kind);

    /**
     * Sets the database (all kinds but server and role).
     *
     * @param database the database name
     * @return this builder
     */
    Builder database(String database);

    /**
     * Sets the schema (relations, sequences, functions and schemas).
     *
     * @param schema the schema name
     * @return this builder
     */
    Builder schema(String schema);

    /**
     * Sets the object's or role's name.
     *
     * @param name the name
     * @return this builder
     */
    Builder name(String name);

    /**
     * Sets a function's argument types as PostgreSQL prints them, e.g. {@code integer, text}.
     *
     * @param arguments the argument list, empty for none
     * @return this builder
     */
    Builder arguments(String arguments);

    /**
     * Builds and validates the reference.
     *
     * @return the reference
     * @throws InvalidValueException if a part is missing, superfluous or not a valid identifier
     */
    ResourceRef build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableResourceRef.builder();
  }

  /**
   * The whole server.
   *
   * @return the server reference
   */
  public static ResourceRef server() {
    return builder().kind(ResourceKind.SERVER).build();
  }

  /**
   * A database.
   *
   * @param database its name
   * @return the reference
   */
  public static ResourceRef database(String database) {
    return builder().kind(ResourceKind.DATABASE).database(database).build();
  }

  /**
   * A schema.
   *
   * @param database the database
   * @param schema the schema
   * @return the reference
   */
  public static ResourceRef schema(String database, String schema) {
    return builder().kind(ResourceKind.SCHEMA).database(database).schema(schema).build();
  }

  /**
   * A table, view, materialized view, foreign or partitioned table.
   *
   * @param database the database
   * @param schema the schema
   * @param name the relation
   * @return the reference
   */
  public static ResourceRef relation(String database, String schema, String name) {
    return builder()
        .kind(ResourceKind.RELATION)
        .database(database)
        .schema(schema)
        .name(name)
        .build();
  }

  /**
   * A sequence.
   *
   * @param database the database
   * @param schema the schema
   * @param name the sequence
   * @return the reference
   */
  public static ResourceRef sequence(String database, String schema, String name) {
    return builder()
        .kind(ResourceKind.SEQUENCE)
        .database(database)
        .schema(schema)
        .name(name)
        .build();
  }

  /**
   * A function or procedure.
   *
   * @param database the database
   * @param schema the schema
   * @param name the function
   * @param arguments its argument types as {@code pg_get_function_identity_arguments} prints them,
   *     e.g. {@code integer, text}; empty for none
   * @return the reference
   */
  public static ResourceRef function(
      String database, String schema, String name, String arguments) {
    return builder()
        .kind(ResourceKind.FUNCTION)
        .database(database)
        .schema(schema)
        .name(name)
        .arguments(arguments)
        .build();
  }

  /**
   * A role: access to it means membership in it.
   *
   * @param name the role
   * @return the reference
   */
  public static ResourceRef role(String name) {
    return builder().kind(ResourceKind.ROLE).name(name).build();
  }

  /**
   * What this refers to.
   *
   * @return the kind
   */
  public abstract ResourceKind kind();

  /**
   * The database, for every kind but server and role.
   *
   * @return the database name
   */
  public abstract Optional<String> database();

  /**
   * The schema, for schemas, relations, sequences and functions.
   *
   * @return the schema name
   */
  public abstract Optional<String> schema();

  /**
   * The name of the relation, sequence, function or role.
   *
   * @return the name
   */
  public abstract Optional<String> name();

  /**
   * A function's argument types, e.g. {@code integer, text}; present (possibly empty) exactly for
   * functions.
   *
   * @return the argument list
   */
  public abstract Optional<String> arguments();

  /**
   * The database, which must be present.
   *
   * @return the database name
   * @throws IllegalStateException for the server and roles
   */
  public String requireDatabase() {
    return database().orElseThrow(() -> new IllegalStateException(this + " has no database"));
  }

  @Value.Check
  void check() {
    ResourceKind k = kind();
    boolean needsDatabase = k != ResourceKind.SERVER && k != ResourceKind.ROLE;
    boolean needsSchema = needsDatabase && k != ResourceKind.DATABASE;
    boolean needsName =
        k == ResourceKind.RELATION
            || k == ResourceKind.SEQUENCE
            || k == ResourceKind.FUNCTION
            || k == ResourceKind.ROLE;
    part(DATABASE_FIELD, database(), needsDatabase);
    part(SCHEMA_FIELD, schema(), needsSchema);
    part(NAME_FIELD, name(), needsName);
    if (k == ResourceKind.FUNCTION) {
      InvalidValueException.check(
          arguments().isPresent(),
          "ResourceRef.arguments",
          "must be set for a function (empty for none)",
          null);
      InvalidValueException.check(
          arguments().get().indexOf('\0') < 0,
          "ResourceRef.arguments",
          "must not contain NUL",
          arguments().get());
    } else if (arguments().isPresent()) {
      throw new InvalidValueException(
          "ResourceRef.arguments", "must be absent for a " + kindName(), arguments().get());
    }
  }

  private void part(String field, Optional<String> value, boolean required) {
    // Messages are built only on failure: snapshots and plans build refs by the thousand.
    if (required) {
      if (value.isEmpty()) {
        throw new InvalidValueException(field, "must be set for a " + kindName(), null);
      }
      Identifiers.check(field, value.get());
    } else if (value.isPresent()) {
      throw new InvalidValueException(field, "must be absent for a " + kindName(), value.get());
    }
  }

  private String kindName() {
    return kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Equal when kind, database, schema, name and arguments are equal.
   *
   * @param o another object
   * @return whether it is an equal reference
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ResourceRef)) {
      return false;
    }
    ResourceRef r = (ResourceRef) o;
    return hashCode() == r.hashCode()
        && kind() == r.kind()
        && database().equals(r.database())
        && schema().equals(r.schema())
        && name().equals(r.name())
        && arguments().equals(r.arguments());
  }

  /**
   * A hash that mixes every part, so that names differing in a digit or two (as generated names do)
   * spread well in hash tables.
   *
   * @return the hash
   */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = mix(kind().ordinal());
      h = mix(h ^ database().hashCode());
      h = mix(h ^ schema().hashCode());
      h = mix(h ^ name().hashCode());
      h = mix(h ^ arguments().hashCode());
      h = h == 0 ? 1 : h;
      hash = h;
    }
    return h;
  }

  private static int mix(int x) {
    x *= 0x9E3779B1;
    x ^= x >>> 15;
    x *= 0x85EBCA77;
    return x ^ (x >>> 13);
  }

  @Override
  public int compareTo(ResourceRef other) {
    int c = NULLS_FIRST.compare(database().orElse(null), other.database().orElse(null));
    if (c == 0) {
      c = kind().compareTo(other.kind());
    }
    if (c == 0) {
      c = NULLS_FIRST.compare(schema().orElse(null), other.schema().orElse(null));
    }
    if (c == 0) {
      c = NULLS_FIRST.compare(name().orElse(null), other.name().orElse(null));
    }
    if (c == 0) {
      c = NULLS_FIRST.compare(arguments().orElse(null), other.arguments().orElse(null));
    }
    return c;
  }

  @Override
  public String toString() {
    switch (kind()) {
      case SERVER:
        return "server";
      case ROLE:
        return "role:" + name().get();
      case DATABASE:
        return database().get();
      case SCHEMA:
        return database().get() + "/" + schema().get();
      case FUNCTION:
        return database().get()
            + "/"
            + schema().get()
            + "."
            + name().get()
            + "("
            + arguments().get()
            + ")";
      default:
        return database().get() + "/" + schema().get() + "." + name().get();
    }
  }
}
