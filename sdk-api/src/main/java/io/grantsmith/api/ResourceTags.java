package io.grantsmith.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tags of a resource, where {@link ResourceOwner#tagKey()} finds its owner: for instance the
 * Azure server's resource tags, or tags an integrator keeps for databases and schemas. The tag's
 * value names the owner: an identity or a group (several separated by commas).
 *
 * <p>Implementations used by {@link AccessFlows#evaluate} must answer without slow I/O (cache
 * them).
 */
@FunctionalInterface
public interface ResourceTags {
  /**
   * The tags of {@code resource} on {@code integration}.
   *
   * @param integration the integration
   * @param resource the resource
   * @return tag keys to values; empty when it has none
   */
  Map<String, String> tags(Integration integration, ResourceRef resource);

  /**
   * Tags from a map keyed by {@link ResourcePattern}: {@code *} for the server (every resource
   * inherits its tags), {@code orders/*} for everything inside the database {@code orders}, {@code
   * orders/sales} for one schema. A resource gets the tags of every key that matches it; where
   * several set the same tag, the most specific key wins ({@link ResourcePattern#specificity()}: an
   * exact path, then the longest {@code /*} pattern, then {@code *}). The same tags apply on every
   * integration.
   *
   * <pre>{@code
   * ResourceTags.of(Map.of(
   *     "*", Map.of("owner", "dba-team"),
   *     "orders/sales/*", Map.of("owner", "sales-leads")))
   * }</pre>
   *
   * @param tagsByPattern tags per pattern
   * @return the tags
   * @throws InvalidValueException if a key is not a valid pattern
   */
  static ResourceTags of(Map<String, Map<String, String>> tagsByPattern) {
    List<Map.Entry<ResourcePattern, Map<String, String>>> entries = new ArrayList<>();
    tagsByPattern.forEach(
        (p, tags) ->
            entries.add(Map.entry(ResourcePattern.parse("ResourceTags", p), Map.copyOf(tags))));
    entries.sort(Comparator.comparingInt(e -> e.getKey().specificity()));
    List<Map.Entry<ResourcePattern, Map<String, String>>> ordered = List.copyOf(entries);
    return (integration, resource) -> {
      Map<String, String> out = new HashMap<>();
      for (Map.Entry<ResourcePattern, Map<String, String>> e : ordered) {
        if (e.getKey().isEverything() || e.getKey().matches(resource)) {
          out.putAll(e.getValue());
        }
      }
      return Map.copyOf(out);
    };
  }

  /**
   * No tags anywhere: every resource falls back to the integration owners.
   *
   * @return the tags
   */
  static ResourceTags none() {
    return (integration, resource) -> Map.of();
  }
}
