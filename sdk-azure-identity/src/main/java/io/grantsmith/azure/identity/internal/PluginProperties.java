package io.grantsmith.azure.identity.internal;

import io.grantsmith.azure.identity.EntraAuth;
import java.util.Properties;
import org.postgresql.PGProperty;

/**
 * The pgjdbc connection properties that make azure-identity-extensions' authentication plugin get a
 * token for each login. For an explicit kind (managed identity, service principal, a provider
 * class) the settings it does not use are set empty, so that {@code AZURE_*} environment variables
 * cannot switch the plugin to another credential; the default chain ({@code WORKLOAD_IDENTITY},
 * {@code DEVELOPER}) reads the environment as azure-identity documents.
 */
public final class PluginProperties {
  /** The plugin's class, for pgjdbc's {@code authenticationPluginClassName}. */
  public static final String PLUGIN_CLASS =
      "com.azure.identity.extensions.jdbc.postgresql.AzurePostgresqlAuthenticationPlugin";

  static final String CLIENT_ID = "azure.clientId";
  static final String CLIENT_SECRET = "azure.clientSecret";
  static final String CERTIFICATE_PATH = "azure.clientCertificatePath";
  static final String CERTIFICATE_PASSWORD = "azure.clientCertificatePassword";
  static final String USERNAME = "azure.username";
  static final String PASSWORD = "azure.password";
  static final String MANAGED_IDENTITY = "azure.managedIdentityEnabled";
  static final String AUTHORITY_HOST = "azure.authorityHost";
  static final String TENANT_ID = "azure.tenantId";
  static final String SCOPES = "azure.scopes";
  static final String TIMEOUT = "azure.accessTokenTimeoutInSeconds";
  static final String PROVIDER = "azure.tokenCredentialProviderClassName";

  private PluginProperties() {}

  /**
   * Adds the plugin and its {@code azure.*} settings for {@code auth} to {@code p}.
   *
   * @param p pgjdbc properties
   * @param auth how tokens are obtained
   * @return {@code p}
   */
  public static Properties apply(Properties p, EntraAuth auth) {
    PGProperty.AUTHENTICATION_PLUGIN_CLASS_NAME.set(p, PLUGIN_CLASS);
    p.setProperty(AUTHORITY_HOST, auth.cloud().authorityHost());
    p.setProperty(SCOPES, auth.scope());
    p.setProperty(TIMEOUT, Long.toString(Math.max(1, auth.tokenTimeout().toSeconds())));
    switch (auth.kind()) {
      case MANAGED_IDENTITY:
        explicit(p);
        p.setProperty(MANAGED_IDENTITY, "true");
        p.setProperty(CLIENT_ID, auth.clientId().orElse(""));
        break;
      case SERVICE_PRINCIPAL:
        explicit(p);
        p.setProperty(MANAGED_IDENTITY, "false");
        p.setProperty(TENANT_ID, auth.tenantId().orElseThrow());
        p.setProperty(CLIENT_ID, auth.clientId().orElseThrow());
        auth.clientSecret().ifPresent(s -> p.setProperty(CLIENT_SECRET, s.reveal()));
        auth.certificatePath().ifPresent(f -> p.setProperty(CERTIFICATE_PATH, f.toString()));
        auth.certificatePassword().ifPresent(s -> p.setProperty(CERTIFICATE_PASSWORD, s.reveal()));
        break;
      case TOKEN_CREDENTIAL_PROVIDER:
        explicit(p);
        p.setProperty(PROVIDER, auth.tokenCredentialProviderClassName().orElseThrow());
        auth.tenantId().ifPresent(t -> p.setProperty(TENANT_ID, t));
        break;
      default:
        auth.tenantId().ifPresent(t -> p.setProperty(TENANT_ID, t));
    }
    return p;
  }

  private static void explicit(Properties p) {
    for (String key :
        new String[] {
          CLIENT_ID,
          CLIENT_SECRET,
          CERTIFICATE_PATH,
          CERTIFICATE_PASSWORD,
          USERNAME,
          PASSWORD,
          TENANT_ID
        }) {
      p.setProperty(key, "");
    }
  }
}
