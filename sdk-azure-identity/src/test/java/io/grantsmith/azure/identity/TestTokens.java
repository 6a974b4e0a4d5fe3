package io.grantsmith.azure.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.extensions.implementation.credential.TokenCredentialProviderOptions;
import com.azure.identity.extensions.implementation.credential.provider.TokenCredentialProvider;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * The test's Microsoft Entra: a {@link TokenCredentialProvider} that azure-identity-extensions'
 * plugin instantiates by class name, handing out the current test token and recording each
 * request's scopes. {@link #next()} issues a new token, as Entra does when the old one nears its
 * expiry; the test then makes the emulated server accept it.
 */
public final class TestTokens implements TokenCredentialProvider {
  private static final AtomicReference<String> CURRENT = new AtomicReference<>();
  private static final List<String> REQUESTS = new CopyOnWriteArrayList<>();

  /**
   * For the plugin, which passes its options.
   *
   * @param options the plugin's options (unused)
   */
  public TestTokens(TokenCredentialProviderOptions options) {}

  /**
   * Issues a new token, which the credential hands out from now on.
   *
   * @return the token
   */
  static String next() {
    String token = "test-token-" + UUID.randomUUID();
    CURRENT.set(token);
    return token;
  }

  /**
   * Hands out {@code token} from now on (one a test got from its {@code EntraDirectory}).
   *
   * @param token the token
   */
  static void use(String token) {
    CURRENT.set(token);
  }

  /** The scopes of every token request so far, and the token handed out, one entry each. */
  static List<String> requests() {
    return List.copyOf(REQUESTS);
  }

  static TokenCredential credential() {
    return new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(
            () -> {
              String token = CURRENT.get();
              REQUESTS.add(String.join(",", request.getScopes()) + " -> " + token);
              return new AccessToken(token, OffsetDateTime.now().plusHours(1));
            });
      }
    };
  }

  @Override
  public TokenCredential get() {
    return credential();
  }
}
