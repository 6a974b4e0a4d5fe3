package io.grantsmith.api;

/** The kinds of relation, as {@code pg_class.relkind} distinguishes them. */
public enum RelationKind {
  /** An ordinary table ({@code r}). */
  TABLE('r'),
  /** A view ({@code v}). */
  VIEW('v'),
  /** A materialized view ({@code m}). */
  MATERIALIZED_VIEW('m'),
  /** A foreign table ({@code f}). */
  FOREIGN_TABLE('f'),
  /** A partitioned table ({@code p}). */
  PARTITIONED_TABLE('p');

  private final char relkind;

  RelationKind(char relkind) {
    this.relkind = relkind;
  }

  /**
   * The {@code pg_class.relkind} letter.
   *
   * @return the letter
   */
  public char relkind() {
    return relkind;
  }

  /**
   * The kind for a {@code pg_class.relkind} letter.
   *
   * @param relkind the letter
   * @return the kind
   * @throws InvalidValueException if the letter is not a relation's
   */
  public static RelationKind fromRelkind(char relkind) {
    for (RelationKind k : values()) {
      if (k.relkind == relkind) {
        return k;
      }
    }
    throw new InvalidValueException("relkind", "must be one of r, v, m, f, p", relkind);
  }
}
