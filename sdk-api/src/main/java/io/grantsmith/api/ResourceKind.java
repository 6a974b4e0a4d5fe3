package io.grantsmith.api;

/** The kinds of thing a {@link ResourceRef} can name. */
public enum ResourceKind {
  /** The whole server: every database the connector manages. */
  SERVER,
  /** A database. */
  DATABASE,
  /** A schema in a database. */
  SCHEMA,
  /** A table, view, materialized view, foreign table or partitioned table. */
  RELATION,
  /** A sequence. */
  SEQUENCE,
  /** A function or procedure, identified with its argument types. */
  FUNCTION,
  /** A role; access to it means membership in it. */
  ROLE;

  /**
   * Whether privileges can be granted on objects of this kind ({@link #SERVER} and {@link #ROLE}
   * are reached through other means: every database, and membership).
   *
   * @return true for database, schema, relation, sequence and function
   */
  public boolean isGrantable() {
    return this != SERVER && this != ROLE;
  }
}
