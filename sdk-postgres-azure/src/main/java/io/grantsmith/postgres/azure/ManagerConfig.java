package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.PasswordGenerator;
import io.grantsmith.postgres.azure.internal.RetryPolicy;
import java.time.Clock;
import java.util.function.Function;

/**
 * What an {@link AccessManager} was configured with, validated by its builder; the running parts
 * are in {@link ManagerRuntime}.
 *
 * @param integration the server and its policy
 * @param policy what each access level means
 * @param clock the clock
 * @param passwords the password generator
 * @param conventions the marker role and the managed users' names
 * @param retry when the lifecycle retries a change that met a concurrent one
 * @param logins how rotation logs in with given credentials
 * @param sweepBatch how many expired leases the sweep revokes together at most
 */
record ManagerConfig(
    Integration integration,
    AccessPolicy policy,
    Clock clock,
    PasswordGenerator passwords,
    Conventions conventions,
    RetryPolicy retry,
    Function<Credentials, ConnectionSource> logins,
    int sweepBatch) {

  /** The database where roles and memberships are changed and the server state is read. */
  String shared() {
    return integration.database();
  }

  /** The marker role. */
  String marker() {
    return conventions.markerRole();
  }

  /** The managed user's name for a grantee of this integration. */
  String userName(String grantee) {
    return conventions.userName(integration.name(), grantee);
  }

  /** The managed role of a request: the grantee's user, or an Entra principal's lease role. */
  String userName(AccessRequest request) {
    return request
        .entraPrincipal()
        .map(p -> conventions.leaseRoleName(integration.name(), p))
        .orElseGet(() -> userName(request.grantee()));
  }
}
