package io.grantsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.testkit.internal.AzureEntraDirectory;
import io.grantsmith.testkit.internal.AzureEntraDirectory.Config;
import io.grantsmith.testkit.internal.AzureEntraDirectory.Login;
import io.grantsmith.testkit.internal.AzureEntraDirectory.Slot;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Entra directory's configuration and choice, with no server and no network. */
class EntraDirectoryTest {
  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final String SECRET = "s3cret-Value~1";
  private static final String USER_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOi.user";

  private static Map<String, String> complete() {
    Map<String, String> env = new HashMap<>();
    env.put("GRANTSMITH_ENTRA_TENANT_ID", TENANT);
    env.put("GRANTSMITH_ENTRA_CONNECTOR_NAME", "grantsmith-test-connector");
    env.put("GRANTSMITH_ENTRA_CONNECTOR_OBJECT_ID", "0F8FAD5B-D9CB-469F-A165-70867728950E");
    env.put("GRANTSMITH_ENTRA_CONNECTOR_CLIENT_ID", "11111111-2222-4333-8444-555555555555");
    env.put("GRANTSMITH_ENTRA_CONNECTOR_CLIENT_SECRET", SECRET);
    env.put("GRANTSMITH_ENTRA_USER_NAME", "gs-test-user@contoso.com");
    env.put("GRANTSMITH_ENTRA_USER_OBJECT_ID", "7c9e6679-7425-40de-944b-e07fc1f90ae7");
    env.put("GRANTSMITH_ENTRA_USER_TOKEN", USER_TOKEN);
    env.put("GRANTSMITH_ENTRA_GROUP_NAME", "Grantsmith Test Group");
    env.put("GRANTSMITH_ENTRA_GROUP_OBJECT_ID", "16fd2706-8baf-433b-82eb-8c7fada847da");
    env.put("GRANTSMITH_ENTRA_GROUP_CLIENT_ID", "21111111-2222-4333-8444-555555555555");
    env.put("GRANTSMITH_ENTRA_GROUP_CLIENT_SECRET", SECRET + "g");
    env.put("GRANTSMITH_ENTRA_SERVICE_NAME", "grantsmith-test-reporting");
    env.put("GRANTSMITH_ENTRA_SERVICE_OBJECT_ID", "886313e1-3b8a-4372-9b90-0c9aee199e5d");
    env.put("GRANTSMITH_ENTRA_SERVICE_CLIENT_ID", "31111111-2222-4333-8444-555555555555");
    env.put("GRANTSMITH_ENTRA_SERVICE_CLIENT_SECRET", SECRET + "s");
    return env;
  }

  /** A server that answers only type() and host(): any other call would contact it. */
  private static AzurePostgres server(ServerType type) {
    return (AzurePostgres)
        Proxy.newProxyInstance(
            AzurePostgres.class.getClassLoader(),
            new Class<?>[] {AzurePostgres.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "type" -> type;
                  case "host" -> "db.example.com";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> throw new AssertionError("The server was contacted: " + method);
                });
  }

  @Test
  void readsEveryPrincipalAndHowItGetsItsToken() {
    Config config = Config.parse(complete());
    assertThat(config.tenantId()).isEqualTo(TENANT);
    assertThat(config.scope()).isEqualTo(EntraPrincipal.TOKEN_SCOPE);
    assertThat(config.principals().get(Slot.CONNECTOR).principal())
        .isEqualTo(
            EntraPrincipal.of(
                EntraPrincipal.Type.SERVICE,
                "grantsmith-test-connector",
                "0f8fad5b-d9cb-469f-a165-70867728950e"));
    assertThat(config.principals().get(Slot.USER).principal().type())
        .isEqualTo(EntraPrincipal.Type.USER);
    assertThat(config.principals().get(Slot.GROUP).principal().roleName())
        .isEqualTo("Grantsmith Test Group");
    assertThat(config.principals().get(Slot.USER).login()).isEqualTo(new Login.Token(USER_TOKEN));
    assertThat(config.principals().get(Slot.SERVICE).login())
        .isEqualTo(new Login.ClientSecret("31111111-2222-4333-8444-555555555555", SECRET + "s"));
    assertThat(config.toString()).doesNotContain(SECRET).doesNotContain(USER_TOKEN);

    Map<String, String> env = complete();
    env.put("GRANTSMITH_ENTRA_SCOPE", "https://ossrdbms-aad.database.usgovcloudapi.net/.default");
    assertThat(Config.parse(env).scope())
        .isEqualTo("https://ossrdbms-aad.database.usgovcloudapi.net/.default");
  }

  @Test
  void namesEveryMissingVariable() {
    assertThatThrownBy(() -> Config.parse(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContainingAll(
            "GRANTSMITH_ENTRA_TENANT_ID",
            "GRANTSMITH_ENTRA_CONNECTOR_NAME",
            "GRANTSMITH_ENTRA_CONNECTOR_OBJECT_ID",
            "GRANTSMITH_ENTRA_CONNECTOR_CLIENT_ID and GRANTSMITH_ENTRA_CONNECTOR_CLIENT_SECRET"
                + " (or GRANTSMITH_ENTRA_CONNECTOR_TOKEN)",
            "GRANTSMITH_ENTRA_USER_NAME",
            "GRANTSMITH_ENTRA_USER_OBJECT_ID",
            "GRANTSMITH_ENTRA_USER_TOKEN",
            "GRANTSMITH_ENTRA_GROUP_NAME",
            "GRANTSMITH_ENTRA_GROUP_OBJECT_ID",
            "GRANTSMITH_ENTRA_GROUP_CLIENT_ID and GRANTSMITH_ENTRA_GROUP_CLIENT_SECRET",
            "GRANTSMITH_ENTRA_SERVICE_NAME",
            "GRANTSMITH_ENTRA_SERVICE_OBJECT_ID",
            "GRANTSMITH_ENTRA_SERVICE_CLIENT_ID and GRANTSMITH_ENTRA_SERVICE_CLIENT_SECRET");

    Map<String, String> env = complete();
    env.remove("GRANTSMITH_ENTRA_SERVICE_CLIENT_SECRET");
    env.put("GRANTSMITH_ENTRA_GROUP_NAME", " ");
    assertThatThrownBy(() -> Config.parse(env))
        .hasMessageContaining(
            "missing environment variables GRANTSMITH_ENTRA_GROUP_NAME,"
                + " GRANTSMITH_ENTRA_SERVICE_CLIENT_SECRET (");
  }

  @Test
  void namesEveryInvalidVariableWithoutShowingSecrets() {
    Map<String, String> env = complete();
    env.put("GRANTSMITH_ENTRA_TENANT_ID", "contoso.onmicrosoft.com");
    env.put("GRANTSMITH_ENTRA_USER_OBJECT_ID", "not-a-uuid");
    env.put("GRANTSMITH_ENTRA_SERVICE_NAME", "pg_reporting");
    env.put("GRANTSMITH_ENTRA_CONNECTOR_TOKEN", "tok-" + SECRET);
    env.put("GRANTSMITH_ENTRA_GROUP_CLIENT_ID", "group-app");
    assertThatThrownBy(() -> Config.parse(env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContainingAll(
            "GRANTSMITH_ENTRA_TENANT_ID must be a UUID, not 'contoso.onmicrosoft.com'",
            "GRANTSMITH_ENTRA_USER_OBJECT_ID must be a UUID, not 'not-a-uuid'",
            "GRANTSMITH_ENTRA_SERVICE_NAME: ",
            "pg_reporting",
            "set either GRANTSMITH_ENTRA_CONNECTOR_TOKEN or GRANTSMITH_ENTRA_CONNECTOR_CLIENT_ID"
                + " and GRANTSMITH_ENTRA_CONNECTOR_CLIENT_SECRET, not both",
            "GRANTSMITH_ENTRA_GROUP_CLIENT_ID must be a UUID, not 'group-app'")
        .message()
        .doesNotContain(SECRET);

    Map<String, String> user = complete();
    user.remove("GRANTSMITH_ENTRA_USER_TOKEN");
    user.put("GRANTSMITH_ENTRA_USER_CLIENT_ID", "41111111-2222-4333-8444-555555555555");
    user.put("GRANTSMITH_ENTRA_USER_CLIENT_SECRET", SECRET);
    assertThatThrownBy(() -> Config.parse(user))
        .hasMessageContaining("a user has no client secret: set GRANTSMITH_ENTRA_USER_TOKEN")
        .message()
        .doesNotContain(SECRET);
  }

  @Test
  void choosesTheEmulationOnEmbeddedAndDockerServersWhateverTheEnvironment() {
    for (ServerType type : List.of(ServerType.EMBEDDED, ServerType.DOCKER)) {
      AzurePostgres server = server(type);
      List<AzurePostgres> installedOn = new ArrayList<>();
      EntraDirectory emulation =
          (EntraDirectory)
              Proxy.newProxyInstance(
                  EntraDirectory.class.getClassLoader(),
                  new Class<?>[] {EntraDirectory.class},
                  (proxy, method, args) -> {
                    throw new AssertionError("not used");
                  });
      EntraDirectory chosen =
          AzureEntraDirectory.choose(
              server,
              complete(),
              EntraTokenSource.none(),
              s -> {
                installedOn.add(s);
                return emulation;
              });
      assertThat(installedOn).containsExactly(server);
      assertThat(chosen).isSameAs(emulation);
      // No configuration is needed there.
      AzureEntraDirectory.choose(server, Map.of(), EntraTokenSource.none(), s -> null);
    }
  }

  @Test
  void choosesTheConfiguredTenantOnAnExternalServerAndAsksTheTokenSourceOnlyForClients() {
    AzurePostgres server = server(ServerType.EXTERNAL);
    List<String> asked = new ArrayList<>();
    EntraTokenSource tokens =
        (tenant, clientId, secret, scope) -> {
          asked.add(tenant + " " + clientId + " " + secret + " " + scope);
          return "token-for-" + clientId;
        };
    EntraDirectory chosen =
        AzureEntraDirectory.choose(
            server,
            complete(),
            tokens,
            s -> {
              throw new AssertionError("the emulation was chosen for an external server");
            });
    assertThat(chosen).isInstanceOf(AzureEntraDirectory.class);
    assertThat(chosen.emulated()).isFalse();
    assertThat(chosen.server()).isSameAs(server);
    // The configured principals, whatever name the test suggests.
    EntraPrincipal service = chosen.principal(EntraPrincipal.Type.SERVICE, "reporting-1234");
    assertThat(service.roleName()).isEqualTo("grantsmith-test-reporting");
    EntraPrincipal user = chosen.principal(EntraPrincipal.Type.USER, "alice@contoso.com");
    assertThat(user.roleName()).isEqualTo("gs-test-user@contoso.com");
    assertThat(chosen.principal(EntraPrincipal.Type.GROUP, "Data Team").objectId())
        .isEqualTo("16fd2706-8baf-433b-82eb-8c7fada847da");

    assertThat(chosen.token(user)).isEqualTo(USER_TOKEN);
    assertThat(asked).isEmpty();
    assertThat(chosen.token(service)).isEqualTo("token-for-31111111-2222-4333-8444-555555555555");
    assertThat(asked)
        .containsExactly(
            TENANT
                + " 31111111-2222-4333-8444-555555555555 "
                + SECRET
                + "s "
                + EntraPrincipal.TOKEN_SCOPE);
    assertThatThrownBy(
            () ->
                chosen.token(
                    EntraPrincipal.of(
                        EntraPrincipal.Type.USER,
                        "bob@contoso.com",
                        "7c9e6679-7425-40de-944b-e07fc1f90ae7")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bob@contoso.com");

    assertThatThrownBy(() -> AzureEntraDirectory.choose(server, Map.of(), tokens, s -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GRANTSMITH_ENTRA_TENANT_ID");
  }

  @Test
  void theEmptyTokenSourceRefuses() {
    assertThatThrownBy(() -> EntraTokenSource.none().token(TENANT, "c", SECRET, "s"))
        .isInstanceOf(IllegalStateException.class)
        .message()
        .doesNotContain(SECRET);
  }
}
