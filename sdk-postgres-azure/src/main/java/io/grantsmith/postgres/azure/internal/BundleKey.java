package io.grantsmith.postgres.azure.internal;

import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What a shared bundle role holds: the privileges, per object kind, on one resource (a database, a
 * schema or one object) and what that resource contains, after the access policy's expansion. Its
 * canonical JSON text is the bundle's comment (the role's name is derived from it), so that equal
 * keys share one bundle and a changed policy means another.
 *
 * @param resource the database, schema or object the bundle covers
 * @param privileges the privileges per kind of object in scope (none empty)
 */
public record BundleKey(ResourceRef resource, Map<ResourceKind, Set<Privilege>> privileges) {
  /** The format version written in the {@code grantsmithBundle} member. */
  public static final int VERSION = 1;

  /** The comment's member that records since when a bundle has no members. */
  public static final String UNUSED_SINCE = "unusedSince";

  /** The comment's member that records that a sweep is dropping the bundle. */
  public static final String DROPPING_AT = "droppingAt";

  /** Copies the map, leaving out kinds without privileges. */
  public BundleKey {
    Map<ResourceKind, Set<Privilege>> copy = new EnumMap<>(ResourceKind.class);
    privileges.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            copy.put(k, Collections.unmodifiableSet(EnumSet.copyOf(v)));
          }
        });
    privileges = Collections.unmodifiableMap(copy);
  }

  /**
   * The database the bundle's privileges are in.
   *
   * @return the name
   */
  public String database() {
    return resource.requireDatabase();
  }

  /**
   * The privileges the key gives on objects of {@code kind}.
   *
   * @param kind an object kind
   * @return the privileges, maybe none
   */
  public Set<Privilege> on(ResourceKind kind) {
    return privileges.getOrDefault(kind, Set.of());
  }

  /**
   * A readable hint of what the bundle covers, for its name.
   *
   * @return e.g. {@code shop sales orders}
   */
  public String label() {
    StringBuilder s = new StringBuilder(database());
    resource.schema().ifPresent(x -> s.append(' ').append(x));
    resource.name().ifPresent(x -> s.append(' ').append(x));
    return s.toString();
  }

  /**
   * The canonical JSON text of the key: the bundle's comment while it is in use.
   *
   * @return one line of JSON
   */
  public String text() {
    StringBuilder out = new StringBuilder(160);
    out.append("{\"grantsmithBundle\":").append(VERSION);
    member(out, "database", database());
    member(out, "kind", resource.kind().name());
    member(out, "schema", resource.schema().orElse(null));
    member(out, "name", resource.name().orElse(null));
    member(out, "args", resource.arguments().orElse(null));
    out.append(",\"privileges\":{");
    boolean firstKind = true;
    for (Map.Entry<ResourceKind, Set<Privilege>> e : privileges.entrySet()) {
      if (!firstKind) {
        out.append(',');
      }
      firstKind = false;
      LeaseCodec.string(out, e.getKey().name());
      out.append(":[");
      boolean first = true;
      for (Privilege p : e.getValue()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        LeaseCodec.string(out, p.keyword());
      }
      out.append(']');
    }
    return out.append("}}").toString();
  }

  /**
   * The comment that records a state of the bundle: the key with one more member.
   *
   * @param member {@link #UNUSED_SINCE} or {@link #DROPPING_AT}
   * @param at the instant
   * @return one line of JSON
   */
  public String comment(String member, Instant at) {
    String text = text();
    StringBuilder out = new StringBuilder(text.substring(0, text.length() - 1));
    member(out, member, at.toString());
    return out.append('}').toString();
  }

  private static void member(StringBuilder out, String name, String value) {
    out.append(',');
    LeaseCodec.string(out, name);
    out.append(':');
    if (value == null) {
      out.append("null");
    } else {
      LeaseCodec.string(out, value);
    }
  }
}
