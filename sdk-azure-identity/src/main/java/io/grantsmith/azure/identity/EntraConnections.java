package io.grantsmith.azure.identity;

import io.grantsmith.api.Identifiers;
import io.grantsmith.api.Integration;
import io.grantsmith.azure.identity.internal.PluginProperties;
import io.grantsmith.azure.identity.internal.TokenFailures;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectionSource.Timeouts;
import io.grantsmith.postgres.azure.internal.JdbcUrls;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.PGProperty;

/**
 * Connections that log in as a Microsoft Entra principal with a token instead of a password: pgjdbc
 * with azure-identity-extensions' authentication plugin ({@code
 * AzurePostgresqlAuthenticationPlugin}), configured from an {@link EntraAuth}. The plugin asks the
 * credential for a token at every login, so every new connection, and every pooled connection
 * opened again, presents a token that is valid then; azure-identity caches tokens and renews them
 * before they expire. A long-lived {@code AccessManager} over these connections keeps working past
 * any one token's expiry.
 *
 * <pre>{@code
 * ConnectionSource.Pooled connections = ConnectionSource.pooled(
 *     EntraConnections.of(integration, "grantsmith-mi", EntraAuth.managedIdentity(clientId)));
 * AccessManager manager = AccessManager.builder()
 *     .integration(integration)
 *     .connections(connections)
 *     .build();
 * }</pre>
 *
 * <p>When azure-identity finds no credential, {@link ConnectionSource#open} throws {@link
 * EntraCredentialException}, whose message names the credentials it tried. The sources say they
 * {@linkplain ConnectionSource#logsInWithTokens() log in with tokens}: an {@code AccessManager}
 * over them refuses to rotate the connector's password (it has none), and the setup verification
 * also checks that the connector is a Microsoft Entra administrator.
 */
public final class EntraConnections {
  private EntraConnections() {}

  /**
   * Connections to an integration's server as {@code username} with tokens from {@code auth}, with
   * the default timeouts of {@link Timeouts#defaults()}.
   *
   * @param integration where the server is (host, port, SSL mode and CA certificate)
   * @param username the connector's role name: the Entra administrator's name on the server
   * @param auth how tokens are obtained
   * @return the connections
   * @throws io.grantsmith.api.InvalidValueException if the user name is not a valid role name
   */
  public static ConnectionSource of(Integration integration, String username, EntraAuth auth) {
    return of(integration, username, auth, Timeouts.defaults());
  }

  /**
   * Connections to an integration's server as {@code username} with tokens from {@code auth}.
   *
   * @param integration where the server is
   * @param username the connector's role name on the server
   * @param auth how tokens are obtained
   * @param timeouts connect, socket, statement and lock timeouts
   * @return the connections
   * @throws io.grantsmith.api.InvalidValueException if the user name is not a valid role name
   */
  public static ConnectionSource of(
      Integration integration, String username, EntraAuth auth, Timeouts timeouts) {
    Objects.requireNonNull(integration, "integration");
    Identifiers.check("EntraConnections.username", username);
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(timeouts, "timeouts");
    ConnectionSource login =
        database -> {
          Properties p = JdbcUrls.properties(integration, timeouts);
          PGProperty.USER.set(p, username);
          PluginProperties.apply(p, auth);
          String url = JdbcUrls.jdbcUrl(integration.hostname(), integration.port(), database);
          try {
            return DriverManager.getConnection(url, p);
          } catch (SQLException | RuntimeException e) {
            EntraCredentialException unavailable = TokenFailures.unavailable(e, auth);
            if (unavailable != null) {
              throw unavailable;
            }
            throw e;
          }
        };
    ConnectionSource timed = ConnectionSource.withTimeouts(login, timeouts);
    return new ConnectionSource() {
      @Override
      public Connection open(String database) throws SQLException {
        return timed.open(database);
      }

      @Override
      public Optional<Timeouts> timeouts() {
        return timed.timeouts();
      }

      @Override
      public boolean logsInWithTokens() {
        return true;
      }
    };
  }
}
