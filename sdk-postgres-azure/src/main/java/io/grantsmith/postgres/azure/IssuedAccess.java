package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.EntraPrincipal;
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

  /**
   * The grant, with how to connect to the integration's server: as the managed user, or as an Entra
   * principal's own role with a token.
   */
  AccessGrant toGrant(Integration integration, ApplyResult result) {
    AccessGrant.Builder b = AccessGrant.builder();
    if (password != null) {
      b.password(password);
    }
    String login = user;
    if (lease.entraPrincipal().isPresent()) {
      EntraPrincipal p = lease.entraPrincipal().get();
      login = p.roleName();
      b.entraPrincipal(p).tokenScope(tokenScope(integration.hostname()));
    }
    return b.username(login)
        .expiresAt(lease.expiresAt())
        .host(integration.hostname())
        .port(integration.port())
        .database(database)
        .sslMode(integration.sslMode())
        .jdbcUrl(
            JdbcUrls.userJdbcUrl(
                integration.hostname(), integration.port(), database, integration.sslMode(), login))
        .connectionString(
            JdbcUrls.libpqConnectionString(
                integration.hostname(), integration.port(), database, login, integration.sslMode()))
        .customAccessDetails(integration.customAccessDetails())
        .lease(lease)
        .applyResult(result)
        .build();
  }

  /**
   * The Entra token scope of a server: of Azure's US Government or China cloud for their host
   * names, else of the public cloud ({@link EntraPrincipal#TOKEN_SCOPE}).
   */
  static String tokenScope(String hostname) {
    String host = hostname.toLowerCase(java.util.Locale.ROOT);
    for (String suffix : new String[] {"database.usgovcloudapi.net", "database.chinacloudapi.cn"}) {
      if (host.endsWith("." + suffix)) {
        return "https://ossrdbms-aad." + suffix + "/.default";
      }
    }
    return EntraPrincipal.TOKEN_SCOPE;
  }
}
