package io.grantsmith.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides which privileges an {@link AccessLevel} means on each kind of object. A request on a
 * schema at READ_ONLY, for example, becomes CONNECT on its database, USAGE on the schema and SELECT
 * on every relation and sequence in it.
 *
 * <p>The {@linkplain #standard() standard policy}:
 *
 * <table>
 *   <caption>The standard access policy</caption>
 *   <tr><th>object kind</th><th>READ_ONLY</th><th>READ_WRITE</th><th>ADMIN</th></tr>
 *   <tr><td>database</td><td>CONNECT</td><td>CONNECT</td><td>CONNECT, CREATE, TEMPORARY</td></tr>
 *   <tr><td>schema</td><td>USAGE</td><td>USAGE</td><td>USAGE, CREATE</td></tr>
 *   <tr><td>relation</td><td>SELECT</td><td>SELECT, INSERT, UPDATE, DELETE, TRUNCATE</td>
 *       <td>all (SELECT ... TRIGGER, MAINTAIN on 17+)</td></tr>
 *   <tr><td>sequence</td><td>SELECT</td><td>SELECT, USAGE, UPDATE</td><td>SELECT, USAGE,
 *       UPDATE</td></tr>
 *   <tr><td>function</td><td>(none)</td><td>EXECUTE</td><td>EXECUTE</td></tr>
 * </table>
 *
 * <p>Integrators may supply their own policy; it must return only privileges that {@linkplain
 * Privilege#appliesTo(ResourceKind) apply} to the kind.
 */
@FunctionalInterface
public interface AccessPolicy {

  /**
   * The privileges that {@code level} means on objects of {@code kind}.
   *
   * @param level the requested level
   * @param kind a grantable object kind (database, schema, relation, sequence, function)
   * @return the privileges, possibly empty; never null
   */
  Set<Privilege> privileges(AccessLevel level, ResourceKind kind);

  /**
   * The standard policy described above.
   *
   * @return the shared standard policy
   */
  static AccessPolicy standard() {
    return StandardAccessPolicy.INSTANCE;
  }
}

/** The table in {@link AccessPolicy}'s documentation. */
final class StandardAccessPolicy implements AccessPolicy {
  static final StandardAccessPolicy INSTANCE = new StandardAccessPolicy();

  private final Map<AccessLevel, Map<ResourceKind, Set<Privilege>>> table =
      new EnumMap<>(AccessLevel.class);

  private StandardAccessPolicy() {
    put(AccessLevel.READ_ONLY, ResourceKind.DATABASE, EnumSet.of(Privilege.CONNECT));
    put(AccessLevel.READ_ONLY, ResourceKind.SCHEMA, EnumSet.of(Privilege.USAGE));
    put(AccessLevel.READ_ONLY, ResourceKind.RELATION, EnumSet.of(Privilege.SELECT));
    put(AccessLevel.READ_ONLY, ResourceKind.SEQUENCE, EnumSet.of(Privilege.SELECT));
    put(AccessLevel.READ_ONLY, ResourceKind.FUNCTION, EnumSet.noneOf(Privilege.class));

    put(AccessLevel.READ_WRITE, ResourceKind.DATABASE, EnumSet.of(Privilege.CONNECT));
    put(AccessLevel.READ_WRITE, ResourceKind.SCHEMA, EnumSet.of(Privilege.USAGE));
    put(
        AccessLevel.READ_WRITE,
        ResourceKind.RELATION,
        EnumSet.of(
            Privilege.SELECT,
            Privilege.INSERT,
            Privilege.UPDATE,
            Privilege.DELETE,
            Privilege.TRUNCATE));
    put(
        AccessLevel.READ_WRITE,
        ResourceKind.SEQUENCE,
        EnumSet.of(Privilege.SELECT, Privilege.USAGE, Privilege.UPDATE));
    put(AccessLevel.READ_WRITE, ResourceKind.FUNCTION, EnumSet.of(Privilege.EXECUTE));

    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.isGrantable()) {
        put(AccessLevel.ADMIN, kind, Privilege.applicableTo(kind));
      }
    }
  }

  private void put(AccessLevel level, ResourceKind kind, Set<Privilege> privileges) {
    table
        .computeIfAbsent(level, l -> new EnumMap<>(ResourceKind.class))
        .put(kind, Collections.unmodifiableSet(privileges));
  }

  @Override
  public Set<Privilege> privileges(AccessLevel level, ResourceKind kind) {
    return table.get(level).getOrDefault(kind, Set.of());
  }

  @Override
  public String toString() {
    return "AccessPolicy.standard()";
  }
}
