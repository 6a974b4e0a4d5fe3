package io.grantsmith.azure.identity;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.postgres.azure.SweepResult;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.EntraDirectory;
import io.grantsmith.testkit.ServerType;
import io.grantsmith.testkit.internal.GroundTruth;
import io.grantsmith.testkit.internal.Identifiers;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An Entra-only integration end to end: the connector is a Microsoft Entra administrator with no
 * password, logging in through azure-identity-extensions' real pgjdbc plugin with tokens from a
 * test credential, and every grantee is an Entra principal whose access is proven by logging in as
 * it with its token. The principals come from the testkit's {@link EntraDirectory}: on embedded
 * servers the emulation (fresh principals, opaque tokens); on {@code GRANTSMITH_PG_SERVER=external}
 * a real Azure server with the principals named by {@code GRANTSMITH_ENTRA_*} and real tokens.
 */
class EntraOnlyIT {

  private static final Duration HOUR = Duration.ofHours(1);

  /**
   * Setup and verification through the plugin; a user and a group whose roles the manager creates
   * and a service principal with standing privileges are granted; the connector's token changes
   * while the pool lives; one lease is extended, the sweep takes the two others, the extended one
   * is revoked; the standing privileges are exactly as before.
   */
  @AzurePostgresTest
  void anEntraOnlyIntegrationGrantsExtendsRevokesAndSweepsPrincipalsThroughThePlugin(
      AzurePostgres server) throws Exception {
    EntraDirectory entra = EntraDirectory.of(server, new ClientSecretTokens());
    String db = server.createDatabase();
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA app");
      st.execute("CREATE TABLE app.t (id int)");
      st.execute("CREATE TABLE app.secret (id int)");
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    EntraPrincipal administrator = entra.administrator("grantsmith-mi-" + suffix);
    String connector = administrator.roleName();
    String first = entra.token(administrator);
    TestTokens.use(first);

    // A service principal whose role exists beforehand, with standing privileges of its own.
    EntraPrincipal service = entra.principal(EntraPrincipal.Type.SERVICE, "reporting-" + suffix);
    String reporting = service.roleName();
    entra.ensureRole(service);
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      String role = Identifiers.quote(reporting);
      st.execute("GRANT USAGE ON SCHEMA app TO " + role);
      st.execute("GRANT SELECT ON app.t, app.secret TO " + role);
    }
    List<String> standing = GroundTruth.privilegeFindings(server, db, reporting);
    List<String> standingShared = GroundTruth.privilegeFindings(server, "postgres", reporting);
    String reportingToken = entra.token(service);
    assertThat(server)
        .user(reporting, reportingToken)
        .canSelectFrom(db, "app.secret")
        .cannotInsertInto(db, "app.t");

    // The server admin applies the Entra setup; on 16+ the connector runs its own step, logged
    // in through the plugin; the verification over the plugin's connections passes.
    Integration integration =
        Integration.builder()
            .name("entra-only-" + suffix)
            .hostname(server.host())
            .port(server.port())
            .sslMode(server.type() == ServerType.EXTERNAL ? SslMode.REQUIRE : SslMode.DISABLE)
            .userCleanupAfterDays(0)
            .build();
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .majorVersion(server.majorVersion())
            .connectorName(connector)
            .build();
    JdbcExecutor.builder()
        .connections(
            ConnectionSource.of(
                integration, Credentials.of(server.adminUser(), Secret.of(server.adminPassword()))))
        .build()
        .apply(setup.planForEntraAdministrator(List.of("postgres", db)));
    ConnectionSource tokens =
        EntraConnections.of(
            integration, connector, EntraAuth.tokenCredentialProvider(TestTokens.class.getName()));
    int setupRequests = TestTokens.requests().size();
    if (server.majorVersion() >= 16) {
      JdbcExecutor.builder().connections(tokens).build().apply(setup.planForEntraConnectorItself());
    }
    assertThat(setup.verify(tokens, List.of("postgres", db)).missing()).isEmpty();
    assertThat(TestTokens.requests().subList(setupRequests, TestTokens.requests().size()))
        .isNotEmpty()
        .allMatch(r -> r.equals(EntraPrincipal.TOKEN_SCOPE + " -> " + first));

    EntraPrincipal user =
        entra.principal(EntraPrincipal.Type.USER, "alice-" + suffix + "@contoso.com");
    String alice = user.roleName();
    EntraPrincipal group = entra.principal(EntraPrincipal.Type.GROUP, "Data Team " + suffix);
    String team = group.roleName();
    // The manager creates their roles (a run on a real tenant drops them again at the end).
    for (String role : List.of(alice, team)) {
      assertThat(server)
          .role(role)
          .as("the role %s, which the manager must create (left by an earlier run?)", role)
          .doesNotExist();
    }
    ResourceRef table = ResourceRef.relation(db, "app", "t");

    try (ConnectionSource.Pooled pool = ConnectionSource.pooled(tokens)) {
      AccessManager manager =
          AccessManager.builder().integration(integration).connections(pool).build();
      AccessGrant userGrant =
          manager.grant(request(integration, user, table, AccessLevel.READ_ONLY));
      AccessGrant groupGrant =
          manager.grant(request(integration, group, table, AccessLevel.READ_ONLY));
      AccessGrant serviceGrant =
          manager.grant(request(integration, service, table, AccessLevel.READ_WRITE));
      for (AccessGrant g : List.of(userGrant, groupGrant, serviceGrant)) {
        assertThat(g.password()).isEmpty();
        assertThat(g.passwordKept()).isFalse();
        assertThat(g.tokenScope()).hasValue(EntraPrincipal.TOKEN_SCOPE);
        assertThat(g.username()).isEqualTo(g.entraPrincipal().orElseThrow().roleName());
        assertThat(server).role(g.lease().roleName()).exists().hasLoginDisabled();
      }
      // The manager created the user's and the group's roles, mapped to their object ids.
      List<String> mapped =
          List.of(
              alice + " user " + user.objectId(),
              team + " group " + group.objectId(),
              reporting + " service " + service.objectId());
      assertThat(principalsOf(entra, alice, team, reporting)).isEqualTo(mapped);

      String aliceToken = entra.token(user);
      String teamToken = entra.token(group);
      assertThat(server)
          .user(alice, aliceToken)
          .canSelectFrom(db, "app.t")
          .cannotInsertInto(db, "app.t")
          .cannotSelectFrom(db, "app.secret");
      assertThat(server)
          .user(team, teamToken)
          .canSelectFrom(db, "app.t")
          .cannotSelectFrom(db, "app.secret");
      assertThat(server)
          .user(reporting, reportingToken)
          .canInsertInto(db, "app.t")
          .canSelectFrom(db, "app.secret");

      // The connector's token changes while the pool lives. On the emulation the server then
      // accepts only the new one, as after the old one's expiry (Azure takes the old one until it
      // expires). Idle connections are closed, as after their idle time; the next operation logs
      // in anew, with the new token.
      String second = entra.token(administrator);
      TestTokens.use(second);
      if (entra.emulated()) {
        assertThatThrownBy(() -> server.connect("postgres", connector, first).close())
            .hasFieldOrPropertyWithValue("SQLState", "28P01");
      }
      pool.evictIdle();
      int before = TestTokens.requests().size();
      assertThat(manager.extend(alice, Duration.ofHours(2)).orElseThrow().expiresAt())
          .isEqualTo(userGrant.expiresAt().plus(Duration.ofHours(2)));
      assertThat(TestTokens.requests().subList(before, TestTokens.requests().size()))
          .isNotEmpty()
          .allMatch(r -> r.endsWith(" -> " + second));

      // Two hours on, the group's and the service's leases have expired; the user's was extended.
      AccessManager later =
          AccessManager.builder()
              .integration(integration)
              .connections(pool)
              .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)))
              .build();
      SweepResult swept = later.sweep();
      assertThat(swept.failed()).isEmpty();
      assertThat(swept.revoked())
          .containsExactlyInAnyOrder(
              groupGrant.lease().roleName(), serviceGrant.lease().roleName());
      assertThat(swept.dropped())
          .containsExactlyInAnyOrder(
              groupGrant.lease().roleName(), serviceGrant.lease().roleName());
      assertThat(server).user(team, teamToken).canLogin(db).cannotSelectFrom(db, "app.t");
      assertThat(server)
          .user(reporting, reportingToken)
          .cannotInsertInto(db, "app.t")
          .canSelectFrom(db, "app.t")
          .canSelectFrom(db, "app.secret");
      // In any order: an ACL the lease changed moves its catalog row.
      assertThat(GroundTruth.privilegeFindings(server, db, reporting))
          .containsExactlyInAnyOrderElementsOf(standing);
      assertThat(GroundTruth.privilegeFindings(server, "postgres", reporting))
          .containsExactlyInAnyOrderElementsOf(standingShared);
      assertThat(server).user(alice, aliceToken).canSelectFrom(db, "app.t");

      manager.revoke(alice);
      assertThat(server).role(userGrant.lease().roleName()).doesNotExist();
      assertThat(server).user(alice, aliceToken).canLogin(db).cannotSelectFrom(db, "app.t");
      for (AccessGrant g : List.of(groupGrant, serviceGrant)) {
        assertThat(server).role(g.lease().roleName()).doesNotExist();
      }
      // The principals' roles stay, still mapped: they are Entra's, not the lease's.
      assertThat(principalsOf(entra, alice, team, reporting)).isEqualTo(mapped);
    }
    // So that the next run's manager creates them again (on a real tenant they persist).
    entra.dropRole(user);
    entra.dropRole(group);
    assertThat(server).role(alice).doesNotExist();
    assertThat(server).role(team).doesNotExist();
  }

  private static AccessRequest request(
      Integration integration, EntraPrincipal principal, ResourceRef resource, AccessLevel level) {
    return AccessRequest.builder()
        .requestId("REQ-" + UUID.randomUUID())
        .grantee(principal.roleName())
        .entraPrincipal(principal)
        .integration(integration)
        .addResource(resource)
        .level(level)
        .duration(HOUR)
        .build();
  }

  /** What the server maps each role to ({@code pgaadauth_list_principals}): name, type, id. */
  private static List<String> principalsOf(EntraDirectory entra, String... roles) {
    return Arrays.stream(roles)
        .map(
            role ->
                entra
                    .mapping(role)
                    .map(p -> p.roleName() + " " + p.type().label() + " " + p.objectId())
                    .orElse(role + " (not mapped)"))
        .toList();
  }
}
