package io.grantsmith.samples.cli;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.extensions.implementation.credential.TokenCredentialProviderOptions;
import com.azure.identity.extensions.implementation.credential.provider.TokenCredentialProvider;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;

/**
 * The CLI test's Microsoft Entra: a {@link TokenCredentialProvider} for {@code
 * --entra-token-provider}, handing out the current test token.
 */
public final class CliTestTokens implements TokenCredentialProvider {
  private static final AtomicReference<String> CURRENT = new AtomicReference<>();

  /**
   * For the plugin, which passes its options.
   *
   * @param options the plugin's options (unused)
   */
  public CliTestTokens(TokenCredentialProviderOptions options) {}

  static String next() {
    String token = "cli-token-" + UUID.randomUUID();
    CURRENT.set(token);
    return token;
  }

  @Override
  public TokenCredential get() {
    return request -> Mono.just(new AccessToken(CURRENT.get(), OffsetDateTime.now().plusHours(1)));
  }
}
