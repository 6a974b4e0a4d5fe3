package io.grantsmith.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A PostgreSQL privilege, with the object kinds it applies to.
 *
 * <table>
 *   <caption>Privileges per object kind</caption>
 *   <tr><th>kind</th><th>privileges</th></tr>
 *   <tr><td>database</td><td>CONNECT, CREATE, TEMPORARY</td></tr>
 *   <tr><td>schema</td><td>USAGE, CREATE</td></tr>
 *   <tr><td>relation</td><td>SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER,
 *       MAINTAIN (PostgreSQL 17+)</td></tr>
 *   <tr><td>sequence</td><td>USAGE, SELECT, UPDATE</td></tr>
 *   <tr><td>function</td><td>EXECUTE</td></tr>
 * </table>
 */
public enum Privilege {
  /** Connect to a database. */
  CONNECT('c', 0, ResourceKind.DATABASE),
  /** Create schemas in a database, or objects in a schema. */
  CREATE('C', 0, ResourceKind.DATABASE, ResourceKind.SCHEMA),
  /** Create temporary tables in a database. */
  TEMPORARY('T', 0, ResourceKind.DATABASE),
  /** Look up objects in a schema; use a sequence ({@code currval}, {@code nextval}). */
  USAGE('U', 0, ResourceKind.SCHEMA, ResourceKind.SEQUENCE),
  /** Read rows of a relation, or a sequence's value. */
  SELECT('r', 0, ResourceKind.RELATION, ResourceKind.SEQUENCE),
  /** Insert rows. */
  INSERT('a', 0, ResourceKind.RELATION),
  /** Update rows, or {@code setval}/{@code nextval} on a sequence. */
  UPDATE('w', 0, ResourceKind.RELATION, ResourceKind.SEQUENCE),
  /** Delete rows. */
  DELETE('d', 0, ResourceKind.RELATION),
  /** Truncate a table. */
  TRUNCATE('D', 0, ResourceKind.RELATION),
  /** Create foreign keys referencing a table. */
  REFERENCES('x', 0, ResourceKind.RELATION),
  /** Create triggers on a table. */
  TRIGGER('t', 0, ResourceKind.RELATION),
  /** VACUUM, ANALYZE, CLUSTER, REINDEX and similar; PostgreSQL 17 and later. */
  MAINTAIN('m', 17, ResourceKind.RELATION),
  /** Call a function or procedure. */
  EXECUTE('X', 0, ResourceKind.FUNCTION);

  private final char aclChar;
  private final int sinceMajorVersion;
  private final Set<ResourceKind> appliesTo;

  Privilege(char aclChar, int sinceMajorVersion, ResourceKind first, ResourceKind... rest) {
    this.aclChar = aclChar;
    this.sinceMajorVersion = sinceMajorVersion;
    this.appliesTo = Collections.unmodifiableSet(EnumSet.of(first, rest));
  }

  /**
   * The SQL keyword of this privilege, as written in GRANT and reported by {@code aclexplode}.
   *
   * @return e.g. {@code SELECT}
   */
  public String keyword() {
    return name();
  }

  /**
   * The letter that stands for this privilege in an ACL item ({@code r} for SELECT...).
   *
   * @return the ACL letter
   */
  public char aclChar() {
    return aclChar;
  }

  /**
   * The object kinds this privilege can be granted on.
   *
   * @return an unmodifiable set
   */
  public Set<ResourceKind> appliesTo() {
    return appliesTo;
  }

  /**
   * Whether this privilege can be granted on objects of {@code kind}.
   *
   * @param kind an object kind
   * @return true if it applies
   */
  public boolean appliesTo(ResourceKind kind) {
    return appliesTo.contains(kind);
  }

  /**
   * Whether a server of this major version knows this privilege.
   *
   * @param majorVersion e.g. 16
   * @return false only for {@link #MAINTAIN} before 17
   */
  public boolean isSupportedOn(int majorVersion) {
    return majorVersion >= sinceMajorVersion;
  }

  /**
   * Every privilege that applies to {@code kind}.
   *
   * @param kind an object kind
   * @return a new mutable set, empty for kinds that take no privileges
   */
  public static EnumSet<Privilege> applicableTo(ResourceKind kind) {
    EnumSet<Privilege> out = EnumSet.noneOf(Privilege.class);
    for (Privilege p : values()) {
      if (p.appliesTo(kind)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The privilege with this SQL keyword, e.g. from {@code aclexplode}'s {@code privilege_type}.
   *
   * @param keyword e.g. {@code SELECT}; {@code TEMP} is accepted for TEMPORARY
   * @return the privilege
   * @throws InvalidValueException if unknown
   */
  public static Privilege fromKeyword(String keyword) {
    if ("TEMP".equalsIgnoreCase(keyword)) {
      return TEMPORARY;
    }
    for (Privilege p : values()) {
      if (p.name().equalsIgnoreCase(keyword)) {
        return p;
      }
    }
    throw new InvalidValueException("privilege", "must be a PostgreSQL privilege keyword", keyword);
  }
}
