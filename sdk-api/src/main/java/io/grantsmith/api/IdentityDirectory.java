package io.grantsmith.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells whether an identity belongs to a group: the groups named as requesters and approvers in
 * {@link AccessFlow}s, and the group values of {@link IntegrationOwner}s and resource owner tags.
 * An integrator implements it over their identity provider (Entra ID, Okta, LDAP); {@link #of(Map)}
 * is an in-memory directory for tests and files.
 *
 * <p>Implementations used by {@link AccessFlows#evaluate} must answer without slow I/O (cache the
 * provider's answers); they must not throw for an unknown identity or group (answer false).
 */
@FunctionalInterface
public interface IdentityDirectory {
  /**
   * Whether {@code identity} is a member of {@code group}.
   *
   * @param identity e.g. {@code bob@example.com}
   * @param group e.g. {@code dba-team}
   * @return true if a member
   */
  boolean isMember(String identity, String group);

  /**
   * An in-memory directory: each group maps to its member identities. Groups do not nest.
   *
   * <pre>{@code
   * IdentityDirectory.of(Map.of("dba-team", Set.of("bob@example.com", "carol@example.com")))
   * }</pre>
   *
   * @param groupMembers the members of each group
   * @return the directory, holding a copy of the map
   */
  static IdentityDirectory of(Map<String, Set<String>> groupMembers) {
    Map<String, Set<String>> copy = new HashMap<>();
    groupMembers.forEach((g, members) -> copy.put(g, Set.copyOf(members)));
    Map<String, Set<String>> frozen = Map.copyOf(copy);
    return (identity, group) -> frozen.getOrDefault(group, Set.of()).contains(identity);
  }

  /**
   * A directory without groups: nobody is a member of anything.
   *
   * @return the directory
   */
  static IdentityDirectory none() {
    return (identity, group) -> false;
  }
}
