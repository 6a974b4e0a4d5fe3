package io.grantsmith.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Secret;
import io.grantsmith.azure.identity.internal.PluginProperties;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The configuration's checks and the plugin properties it turns into. */
class EntraAuthTest {
  private static final String CLIENT = "3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f";
  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

  @Test
  void badInputIsRefusedNamingTheField() {
    assertThatThrownBy(() -> EntraAuth.managedIdentity("not-a-uuid"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("EntraAuth.clientId")
        .hasMessageContaining("not-a-uuid");
    assertThatThrownBy(() -> EntraAuth.servicePrincipal("bad tenant!", CLIENT, Secret.of("s")))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("EntraAuth.tenantId");
    assertThatThrownBy(
            () -> EntraAuth.builder(EntraAuth.Kind.SERVICE_PRINCIPAL).clientId(CLIENT).build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("EntraAuth.tenantId");
    assertThatThrownBy(
            () ->
                EntraAuth.builder(EntraAuth.Kind.SERVICE_PRINCIPAL)
                    .tenantId(TENANT)
                    .clientId(CLIENT)
                    .build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("EntraAuth.clientSecret");
    assertThatThrownBy(
            () -> EntraAuth.builder(EntraAuth.Kind.DEVELOPER).clientSecret(Secret.of("x")).build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("EntraAuth.clientSecret")
        .hasMessageNotContaining("x\"");
    assertThatThrownBy(() -> EntraAuth.tokenCredentialProvider("not a class"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("EntraAuth.tokenCredentialProviderClassName");
    assertThatThrownBy(
            () ->
                EntraAuth.builder(EntraAuth.Kind.MANAGED_IDENTITY)
                    .tokenTimeout(java.time.Duration.ZERO)
                    .build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("EntraAuth.tokenTimeout");
  }

  @Test
  void theScopeFollowsTheCloud() {
    assertThat(EntraAuth.managedIdentity().scope())
        .isEqualTo("https://ossrdbms-aad.database.windows.net/.default");
    EntraAuth gov = EntraAuth.managedIdentity(CLIENT).withCloud(AzureCloud.US_GOVERNMENT);
    Properties p = PluginProperties.apply(new Properties(), gov);
    assertThat(p.getProperty("azure.authorityHost")).isEqualTo("https://login.microsoftonline.us/");
    assertThat(p.getProperty("azure.scopes"))
        .isEqualTo("https://ossrdbms-aad.database.usgovcloudapi.net/.default");
    assertThat(
            PluginProperties.apply(
                    new Properties(), EntraAuth.developer().withCloud(AzureCloud.CHINA))
                .getProperty("azure.scopes"))
        .isEqualTo("https://ossrdbms-aad.database.chinacloudapi.cn/.default");
  }

  @Test
  void eachKindBecomesThePluginsProperties() {
    Properties mi = PluginProperties.apply(new Properties(), EntraAuth.managedIdentity(CLIENT));
    assertThat(mi.getProperty("authenticationPluginClassName"))
        .isEqualTo(
            "com.azure.identity.extensions.jdbc.postgresql.AzurePostgresqlAuthenticationPlugin");
    assertThat(mi.getProperty("azure.managedIdentityEnabled")).isEqualTo("true");
    assertThat(mi.getProperty("azure.clientId")).isEqualTo(CLIENT);
    // Explicit kinds are not switched by AZURE_* variables: the settings they do not use are empty.
    assertThat(mi.getProperty("azure.clientSecret")).isEmpty();
    assertThat(mi.getProperty("azure.tenantId")).isEmpty();

    Properties system = PluginProperties.apply(new Properties(), EntraAuth.managedIdentity());
    assertThat(system.getProperty("azure.clientId")).isEmpty();

    EntraAuth sp = EntraAuth.servicePrincipal(TENANT, CLIENT, Secret.of("sp-Secret-value"));
    Properties p = PluginProperties.apply(new Properties(), sp);
    assertThat(p.getProperty("azure.tenantId")).isEqualTo(TENANT);
    assertThat(p.getProperty("azure.clientSecret")).isEqualTo("sp-Secret-value");
    assertThat(p.getProperty("azure.managedIdentityEnabled")).isEqualTo("false");
    assertThat(sp.toString()).doesNotContain("sp-Secret-value").contains("clientSecret=****");

    Properties dev = PluginProperties.apply(new Properties(), EntraAuth.developer());
    assertThat(dev)
        .doesNotContainKeys("azure.clientId", "azure.tenantId", "azure.managedIdentityEnabled");

    Properties provider =
        PluginProperties.apply(
            new Properties(), EntraAuth.tokenCredentialProvider("com.example.Tokens"));
    assertThat(provider.getProperty("azure.tokenCredentialProviderClassName"))
        .isEqualTo("com.example.Tokens");
  }

  @Test
  void keyVaultGetsTheSameProvidersCredential() {
    String token = TestTokens.next();
    com.azure.core.credential.AccessToken got =
        io.grantsmith.azure.identity.internal.AzureCredentials.of(
                EntraAuth.tokenCredentialProvider(TestTokens.class.getName()))
            .getTokenSync(
                new com.azure.core.credential.TokenRequestContext()
                    .addScopes("https://vault.azure.net/.default"));
    assertThat(got.getToken()).isEqualTo(token);
  }
}
