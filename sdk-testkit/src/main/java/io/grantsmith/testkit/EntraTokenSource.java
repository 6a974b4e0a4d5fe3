package io.grantsmith.testkit;

/**
 * Where an {@linkplain EntraDirectory Entra directory} on a real Azure server gets access tokens
 * for service principals: a callback the test supplies, so that the testkit needs no Azure SDK. A
 * test with azure-identity on its class path can pass, for example:
 *
 * <pre>{@code
 * EntraTokenSource tokens =
 *     (tenantId, clientId, secret, scope) ->
 *         new ClientSecretCredentialBuilder()
 *             .tenantId(tenantId).clientId(clientId).clientSecret(secret).build()
 *             .getTokenSync(new TokenRequestContext().addScopes(scope))
 *             .getToken();
 * }</pre>
 *
 * <p>The emulation never calls it.
 */
@FunctionalInterface
public interface EntraTokenSource {

  /**
   * Obtains an access token for a service principal with a client secret.
   *
   * @param tenantId the Entra tenant (directory) id
   * @param clientId the application's client id
   * @param clientSecret the application's client secret; never to be logged
   * @param scope the token scope, e.g. {@code https://ossrdbms-aad.database.windows.net/.default}
   * @return the access token's text
   * @throws RuntimeException if no token can be obtained
   */
  String token(String tenantId, String clientId, String clientSecret, String scope);

  /**
   * A source for tests that run only on the emulation: it refuses every request.
   *
   * @return a source that throws {@link IllegalStateException}
   */
  static EntraTokenSource none() {
    return (tenantId, clientId, clientSecret, scope) -> {
      throw new IllegalStateException(
          "No EntraTokenSource was given, so no token can be obtained for client id " + clientId);
    };
  }
}
