package io.grantsmith.postgres.azure;

import io.grantsmith.postgres.azure.internal.LeaseState;
import java.util.List;

/**
 * The managed users and the databases the connector can connect to, read in one session.
 *
 * @param major the server's major version
 * @param states the managed users read
 * @param databases the connectable databases, the shared one first
 */
record ServerState(int major, List<LeaseState> states, List<String> databases) {
  ServerState {
    states = List.copyOf(states);
    databases = List.copyOf(databases);
  }

  /** The state of {@code role}, or null if it was not read or is not managed. */
  LeaseState state(String role) {
    for (LeaseState s : states) {
      if (s.roleName().equals(role)) {
        return s;
      }
    }
    return null;
  }
}
