package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.asAdmin;
import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.offset;
import static io.grantsmith.postgres.azure.AccessFixtures.plainIntegration;
import static io.grantsmith.postgres.azure.AccessFixtures.scalar;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.EntraEmulation;
import io.grantsmith.testkit.internal.GroundTruth;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Microsoft Entra principals as grantees, on the testkit's Entra emulation: every access is proven
 * by logging in as the principal with its (emulated) token. A lease role holds what a lease adds
 * and is granted to the principal's role; revocation takes exactly that away.
 */
class EntraPrincipalIT {

  /**
   * A connector that is an Entra administrator creates a user principal's missing role, grants,
   * extends, widens, revokes (an open session loses the access at its next statement) and the sweep
   * revokes an expired lease.
   */
  @AzurePostgresTest
  void anEntraAdministratorConnectorCreatesAUserPrincipalGrantsRevokesAndSweeps(
      AzurePostgres server) throws Exception {
    EntraEmulation entra = EntraEmulation.install(server);
    String db = server.createDatabase();
    estate(server, db);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String connector = "grantsmith-mi-" + suffix;
    entra.createAdministrator(connector, UUID.randomUUID().toString(), "service");
    String connectorToken = "token-" + UUID.randomUUID();
    entra.acceptToken(connector, connectorToken);
    Integration integration = plainIntegration(server, "entra-" + suffix);
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .majorVersion(server.majorVersion())
            .connectorName(connector)
            .build();
    JdbcExecutor.builder()
        .connections(asAdmin(server, integration))
        .build()
        .apply(setup.planForEntraAdministrator(List.of("postgres", db)));
    Credentials asConnector = Credentials.of(connector, Secret.of(connectorToken));
    JdbcExecutor.builder()
        .connections(ConnectionSource.of(integration, asConnector))
        .build()
        .apply(setup.planForEntraConnectorItself());

    String alice = "alice-" + suffix + "@contoso.com";
    String oid = UUID.randomUUID().toString();
    EntraPrincipal principal = EntraPrincipal.of(EntraPrincipal.Type.USER, alice, oid);
    try (AccessManager manager =
        AccessManager.builder().integration(integration).credentials(asConnector).build()) {
      AccessRequest read = request(integration, principal, ResourceRef.relation(db, "app", "t"));

      // The dry run shows the role's creation and the lease role's grant, and changes nothing.
      Plan plan = manager.planGrant(read);
      assertThat(plan.toSql())
          .contains(
              "SELECT pg_catalog.pgaadauth_create_principal_with_oid('"
                  + alice
                  + "', '"
                  + oid
                  + "', 'user', false, false)")
          .contains(" TO \"" + alice + "\"" + (server.majorVersion() >= 16 ? " WITH INHERIT" : ""))
          .doesNotContain("PASSWORD");
      assertThat(server).role(alice).doesNotExist();

      AccessGrant grant = manager.grant(read);
      String lease = grant.lease().roleName();
      assertThat(grant.username()).isEqualTo(alice);
      assertThat(grant.password()).isEmpty();
      assertThat(grant.passwordKept()).isFalse();
      assertThat(grant.entraPrincipal()).hasValue(principal);
      assertThat(grant.tokenScope()).hasValue(EntraPrincipal.TOKEN_SCOPE);
      assertThat(grant.jdbcUrl()).contains("user=alice-");
      assertThat(lease).startsWith("gs_e_alice_").isNotEqualTo(alice);
      assertThat(entra.objectId(alice)).hasValue(oid);
      assertThat(server).role(lease).exists().hasLoginDisabled();

      String token = "token-" + UUID.randomUUID();
      entra.acceptToken(alice, token);
      assertThat(server)
          .user(alice, token)
          .canSelectFrom(db, "app.t")
          .cannotSelectFrom(db, "app.secret")
          .cannotSelectFrom(db, "other.o")
          .cannotInsertInto(db, "app.t");
      if (server.majorVersion() >= 16) {
        // WITH SET FALSE: the principal uses the lease role's privileges but cannot act as it.
        assertThatThrownBy(() -> execute(server, db, alice, token, "SET ROLE \"" + lease + "\""))
            .hasFieldOrPropertyWithValue("SQLState", "42501");
      }

      // Extended and widened through the principal's name; the lease role stays the same.
      assertThat(manager.extend(alice, Duration.ofMinutes(30)).orElseThrow().expiresAt())
          .isAfter(grant.expiresAt());
      AccessGrant wider =
          manager.grant(request(integration, principal, ResourceRef.relation(db, "other", "o")));
      assertThat(wider.lease().roleName()).isEqualTo(lease);
      assertThat(server).user(alice, token).canSelectFrom(db, "app.t").canSelectFrom(db, "other.o");

      // Revoked while a session of the principal is open: the connector may not signal it (the
      // principal's role is not its own), and its next statement has none of the lease's access.
      try (Connection open = server.connect(db, alice, token);
          Statement st = open.createStatement()) {
        st.execute("SELECT count(*) FROM app.t");
        manager.revoke(alice);
        assertThatThrownBy(() -> st.execute("SELECT count(*) FROM app.t"))
            .hasFieldOrPropertyWithValue("SQLState", "42501");
        st.execute("SELECT 1");
      }
      assertThat(server).role(lease).doesNotExist();
      assertThat(server)
          .user(alice, token)
          .canLogin(db)
          .cannotSelectFrom(db, "app.t")
          .cannotSelectFrom(db, "other.o");
      assertThat(entra.objectId(alice)).hasValue(oid);

      // Granted again (the role exists now: nothing is created), then expired: the sweep revokes.
      Plan again = manager.planGrant(read);
      assertThat(again.toSql()).doesNotContain("pgaadauth_create_principal_with_oid");
      String second = manager.grant(read).lease().roleName();
      assertThat(server).user(alice, token).canSelectFrom(db, "app.t");
      try (AccessManager later =
          AccessManager.builder()
              .integration(integration)
              .credentials(asConnector)
              .clock(offset(Duration.ofHours(2)))
              .build()) {
        SweepResult swept = later.sweep();
        assertThat(swept.revoked()).containsExactly(second);
        assertThat(swept.dropped()).containsExactly(second);
      }
      assertThat(server).role(second).doesNotExist();
      assertThat(server).user(alice, token).canLogin(db).cannotSelectFrom(db, "app.t");
    }
  }

  /**
   * A password connector (mixed mode) grants to an existing group principal that has standing
   * privileges, which survive the revocation exactly; drift reports a lease role with LOGIN or
   * granted to someone else; a missing principal is refused naming the statement an Entra
   * administrator runs, and a role mapped to another object is refused; nothing changes then.
   */
  @AzurePostgresTest
  void aPasswordConnectorGrantsToAnExistingGroupAndLeavesItsStandingPrivileges(AzurePostgres server)
      throws Exception {
    EntraEmulation entra = EntraEmulation.install(server);
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = TestConnector.create(server, "postgres", db);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Integration integration = plainIntegration(server, "mixed-" + suffix);
    String team = "Data Team " + suffix;
    String oid = UUID.randomUUID().toString();
    String other = "intruder_" + suffix;
    try (Connection su = server.superuserConnection("postgres");
        Statement st = su.createStatement()) {
      // Created by an Entra administrator before; its standing privileges granted by the admin.
      st.execute(
          "SELECT pgaadauth_create_principal_with_oid('"
              + team
              + "', '"
              + oid
              + "', 'group',"
              + " false, false)");
      st.execute("CREATE ROLE " + other + " LOGIN PASSWORD 'Intruder-pw-1'");
    }
    try (Connection admin = server.adminConnection(db);
        Statement st = admin.createStatement()) {
      st.execute("GRANT USAGE ON SCHEMA app TO \"" + team + "\"");
      st.execute("GRANT SELECT ON app.secret TO \"" + team + "\"");
      st.execute("GRANT SELECT, UPDATE ON app.t TO \"" + team + "\"");
    }
    List<String> standing = GroundTruth.privilegeFindings(server, db, team);
    List<String> standingShared = GroundTruth.privilegeFindings(server, "postgres", team);
    String token = "token-" + UUID.randomUUID();
    entra.acceptToken(team, token); // a member of the group logs in with the group's name
    assertThat(server)
        .user(team, token)
        .canSelectFrom(db, "app.secret")
        .cannotInsertInto(db, "app.t");

    EntraPrincipal group = EntraPrincipal.of(EntraPrincipal.Type.GROUP, team, oid);
    try (AccessManager manager =
        AccessManager.builder().integration(integration).credentials(tc.credentials()).build()) {
      AccessGrant grant =
          manager.grant(
              AccessRequest.builder()
                  .from(request(integration, group, ResourceRef.schema(db, "app")))
                  .level(AccessLevel.READ_WRITE)
                  .build());
      String lease = grant.lease().roleName();
      assertThat(server)
          .user(team, token)
          .canInsertInto(db, "app.t")
          .canSelectFrom(db, "app.secret")
          .cannotSelectFrom(db, "other.o");
      assertThat(manager.drift().drift()).noneMatch(d -> d.role().equals(lease));

      // Drift: the lease role given LOGIN and granted to another role, by hand.
      try (Connection su = server.superuserConnection("postgres");
          Statement st = su.createStatement()) {
        st.execute("ALTER ROLE \"" + lease + "\" LOGIN");
        st.execute("GRANT \"" + lease + "\" TO " + other);
      }
      DriftReport report = manager.drift();
      assertThat(report.drift())
          .anySatisfy(
              d -> {
                assertThat(d.role()).isEqualTo(lease);
                assertThat(d.kind()).isEqualTo(Drift.Kind.LOGIN_ON_LEASE_ROLE);
              })
          .anySatisfy(
              d -> {
                assertThat(d.role()).isEqualTo(other);
                assertThat(d.kind()).isEqualTo(Drift.Kind.UNAPPROVED_MEMBERSHIP);
                assertThat(d.object()).hasValue("role " + lease);
              });
      assertThat(server).user(other, "Intruder-pw-1").canInsertInto(db, "app.t");

      // Revoked: every member loses the lease role, which is dropped; the standing privileges of
      // the group's role are exactly as they were.
      manager.revoke(grant.lease().requestId());
      assertThat(server).role(lease).doesNotExist();
      assertThat(server).user(other, "Intruder-pw-1").cannotInsertInto(db, "app.t");
      assertThat(server)
          .user(team, token)
          .cannotInsertInto(db, "app.t")
          .canSelectFrom(db, "app.t")
          .canSelectFrom(db, "app.secret");
      assertThat(GroundTruth.privilegeFindings(server, db, team))
          .containsExactlyInAnyOrderElementsOf(standing);
      assertThat(GroundTruth.privilegeFindings(server, "postgres", team))
          .containsExactlyInAnyOrderElementsOf(standingShared);
      assertThat(entra.objectId(team)).hasValue(oid);

      // A principal whose role is missing: only an Entra administrator may create it.
      String bob = "bob-" + suffix + "@contoso.com";
      EntraPrincipal missing =
          EntraPrincipal.builder()
              .type(EntraPrincipal.Type.USER)
              .roleName(bob)
              .objectId(UUID.randomUUID().toString())
              .mfa(true)
              .build();
      AccessRequest forBob = request(integration, missing, ResourceRef.relation(db, "app", "t"));
      String create =
          "SELECT pg_catalog.pgaadauth_create_principal_with_oid('"
              + bob
              + "', '"
              + missing.objectId()
              + "', 'user', false, true)";
      assertThat(manager.planGrant(forBob).toSql()).contains(create);
      assertThatThrownBy(() -> manager.grant(forBob))
          .isExactlyInstanceOf(GrantsmithException.class)
          .hasMessageContaining("may not create the role of the Entra user " + bob)
          .hasMessageContaining("SQLSTATE 42501")
          .hasMessageContaining("Nothing was changed")
          .hasMessageContaining(create);
      String bobLease = Conventions.defaults().leaseRoleName(integration.name(), missing);
      assertThat(server).role(bob).doesNotExist();
      assertThat(server).role(bobLease).doesNotExist();

      // A role of that name mapped to another object id: refused before any SQL.
      EntraPrincipal impostor =
          EntraPrincipal.of(EntraPrincipal.Type.GROUP, team, UUID.randomUUID().toString());
      assertThatThrownBy(
              () -> manager.grant(request(integration, impostor, ResourceRef.schema(db, "app"))))
          .isExactlyInstanceOf(GrantsmithException.class)
          .hasMessageContaining("mapped to the Entra group with object id " + oid);
      assertThat(server)
          .role(Conventions.defaults().leaseRoleName(integration.name(), impostor))
          .doesNotExist();
      assertThat(
              scalar(
                  server,
                  "postgres",
                  "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'gs\\_e\\_%' AND shobj_description"
                      + "(oid, 'pg_authid') LIKE '%"
                      + suffix
                      + "%'"))
          .isEqualTo("0");

      // A NOINHERIT principal: before 16 a plain membership would pass it nothing, so the grant
      // is refused before any SQL; on 16+ the membership itself inherits.
      String ops = "ops-" + suffix;
      String opsOid = UUID.randomUUID().toString();
      try (Connection su = server.superuserConnection("postgres");
          Statement st = su.createStatement()) {
        st.execute(
            "SELECT pgaadauth_create_principal_with_oid('"
                + ops
                + "', '"
                + opsOid
                + "',"
                + " 'service', false, false)");
        st.execute("ALTER ROLE \"" + ops + "\" NOINHERIT");
      }
      entra.acceptToken(ops, token);
      EntraPrincipal service = EntraPrincipal.of(EntraPrincipal.Type.SERVICE, ops, opsOid);
      AccessRequest forOps = request(integration, service, ResourceRef.relation(db, "app", "t"));
      if (server.majorVersion() < 16) {
        assertThatThrownBy(() -> manager.grant(forOps))
            .isExactlyInstanceOf(GrantsmithException.class)
            .hasMessageContaining("its role is NOINHERIT")
            .hasMessageContaining("Nothing was changed");
        assertThat(server)
            .role(Conventions.defaults().leaseRoleName(integration.name(), service))
            .doesNotExist();
        assertThat(server).user(ops, token).cannotSelectFrom(db, "app.t");
      } else {
        manager.grant(forOps);
        assertThat(server).user(ops, token).canSelectFrom(db, "app.t");
        manager.revoke(ops);
        assertThat(server).user(ops, token).cannotSelectFrom(db, "app.t");
      }
    } finally {
      try (Connection su = server.superuserConnection("postgres");
          Statement st = su.createStatement()) {
        st.execute("DROP ROLE " + other);
      }
    }
  }

  private static AccessRequest request(
      Integration integration, EntraPrincipal principal, ResourceRef resource) {
    return AccessRequest.builder()
        .requestId("REQ-" + UUID.randomUUID())
        .grantee(principal.roleName())
        .entraPrincipal(principal)
        .integration(integration)
        .addResource(resource)
        .duration(Duration.ofHours(1))
        .build();
  }

  private static void execute(
      AzurePostgres server, String db, String user, String password, String sql)
      throws SQLException {
    try (Connection c = server.connect(db, user, password);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
