package io.grantsmith.azure.identity.internal;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.azure.identity.EntraAuth;
import java.lang.reflect.Constructor;
import java.util.function.Supplier;

/**
 * The azure-identity credential an {@link EntraAuth} describes, built as azure-identity-extensions'
 * default provider builds it for the pgjdbc plugin, for clients other than the database (Key
 * Vault).
 */
public final class AzureCredentials {
  private AzureCredentials() {}

  /**
   * Builds the credential.
   *
   * @param auth the configuration
   * @return the credential
   * @throws GrantsmithException if a provider class cannot be instantiated
   */
  public static TokenCredential of(EntraAuth auth) {
    String authority = auth.cloud().authorityHost();
    switch (auth.kind()) {
      case MANAGED_IDENTITY:
        {
          ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
          auth.clientId().ifPresent(b::clientId);
          return b.build();
        }
      case SERVICE_PRINCIPAL:
        if (auth.clientSecret().isPresent()) {
          return new ClientSecretCredentialBuilder()
              .authorityHost(authority)
              .tenantId(auth.tenantId().orElseThrow())
              .clientId(auth.clientId().orElseThrow())
              .clientSecret(auth.clientSecret().get().reveal())
              .build();
        }
        {
          ClientCertificateCredentialBuilder b =
              new ClientCertificateCredentialBuilder()
                  .authorityHost(authority)
                  .tenantId(auth.tenantId().orElseThrow())
                  .clientId(auth.clientId().orElseThrow());
          String path = auth.certificatePath().orElseThrow().toString();
          if (auth.certificatePassword().isPresent()) {
            b.pfxCertificate(path)
                .clientCertificatePassword(auth.certificatePassword().get().reveal());
          } else {
            b.pemCertificate(path);
          }
          return b.build();
        }
      case TOKEN_CREDENTIAL_PROVIDER:
        return fromProvider(auth.tokenCredentialProviderClassName().orElseThrow());
      default:
        {
          DefaultAzureCredentialBuilder b =
              new DefaultAzureCredentialBuilder().authorityHost(authority);
          auth.tenantId().ifPresent(b::tenantId);
          return b.build();
        }
    }
  }

  /**
   * Instantiates a {@code TokenCredentialProvider} (a {@code Supplier<TokenCredential>}) as the
   * plugin does: through its constructor that takes the plugin's options (given empty), else its
   * no-argument constructor.
   */
  private static TokenCredential fromProvider(String className) {
    try {
      Class<?> c = Class.forName(className);
      Object provider = null;
      for (Constructor<?> k : c.getConstructors()) {
        Class<?>[] types = k.getParameterTypes();
        if (types.length == 1
            && types[0].getSimpleName().equals("TokenCredentialProviderOptions")) {
          provider = k.newInstance(types[0].getConstructor().newInstance());
        }
      }
      if (provider == null) {
        provider = c.getConstructor().newInstance();
      }
      return (TokenCredential) ((Supplier<?>) provider).get();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new GrantsmithException(
          "Cannot use the TokenCredentialProvider " + className + ": " + e, e);
    }
  }
}
