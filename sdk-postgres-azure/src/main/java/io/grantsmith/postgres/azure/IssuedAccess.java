package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Secret;
import io.grantsmith.postgres.azure.internal.JdbcUrls;

/**
 * What a grant or password reset hands out, before it becomes an {@link AccessGrant}.
 *
 * @param user the managed user
 * @param lease its lease
 * @param password the new password, or null if none is handed out
 * @param database the database to connect to
 */
record IssuedAccess(String user, Lease lease, Secret password, String database) {

  /** The grant, with how to connect to the integration's server. */
  AccessGrant toGrant(Integration integration, ApplyResult result) {
    AccessGrant.Builder b = AccessGrant.builder();
    if (password != null) {
      b.password(password);
    }
    return b.username(user)
        .expiresAt(lease.expiresAt())
        .host(integration.hostname())
        .port(integration.port())
        .database(database)
        .sslMode(integration.sslMode())
        .jdbcUrl(
            JdbcUrls.userJdbcUrl(
                integration.hostname(), integration.port(), database, integration.sslMode(), user))
        .connectionString(
            JdbcUrls.libpqConnectionString(
                integration.hostname(), integration.port(), database, user, integration.sslMode()))
        .customAccessDetails(integration.customAccessDetails())
        .lease(lease)
        .applyResult(result)
        .build();
  }
}
