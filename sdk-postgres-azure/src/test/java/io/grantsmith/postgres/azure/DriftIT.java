package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.manager;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The drift report against hand-made drift of every kind, on a real server. */
class DriftIT {

  private static List<String> kinds(DriftReport r, String role) {
    return r.drift().stream()
        .filter(d -> d.role().equals(role))
        .map(d -> d.kind().name())
        .sorted()
        .collect(Collectors.toList());
  }

  @AzurePostgresTest
  void reportsEveryKindOfDriftWithItsGrantor(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 7);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    String auditors = "auditors_" + tc.name;
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + auditors + " NOLOGIN");
    }
    Duration hour = Duration.ofHours(1);
    AccessGrant alice =
        manager.grant(
            request(
                integration,
                "alice",
                AccessLevel.READ_ONLY,
                hour,
                ResourceRef.relation(db, "app", "t")));
    AccessGrant bob =
        manager.grant(
            request(
                integration,
                "bob",
                AccessLevel.READ_ONLY,
                hour,
                ResourceRef.relation(db, "app", "t")));
    AccessGrant dave =
        manager.grant(
            request(
                integration, "dave", AccessLevel.READ_WRITE, hour, ResourceRef.schema(db, "app")));
    AccessGrant erin =
        manager.grant(
            request(integration, "erin", AccessLevel.READ_ONLY, hour, ResourceRef.role(auditors)));
    manager.revoke(bob.username());

    DriftReport clean = manager.drift();
    // Roles of other tests on the same server without an integration name count too: only
    // ours are judged here.
    List<String> ours =
        List.of(
            alice.username(),
            bob.username(),
            dave.username(),
            erin.username(),
            "gs_carol_" + tc.name);
    assertThat(clean.drift()).filteredOn(d -> ours.contains(d.role())).isEmpty();
    assertThat(clean.roles())
        .contains(alice.username(), bob.username(), dave.username(), erin.username());
    assertThat(clean.databases()).contains(db, "postgres");

    String carol = "gs_carol_" + tc.name;
    String aliceBundle =
        AccessFixtures.scalar(
            server,
            db,
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                + " WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = '"
                + alice.username()
                + "') AND r.rolname LIKE 'gs\\_b\\_%'");
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT SELECT ON other.o TO " + alice.username());
      st.execute("CREATE ROLE extra_" + tc.name + " NOLOGIN");
      st.execute("GRANT extra_" + tc.name + " TO " + alice.username());
    }
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("ALTER ROLE " + alice.username() + " VALID UNTIL 'infinity'");
      // Alice's SELECT on app.t is her bundle's.
      st.execute("REVOKE SELECT ON app.t FROM " + aliceBundle);
      st.execute("ALTER ROLE " + bob.username() + " LOGIN");
      st.execute("CREATE ROLE " + carol + " NOLOGIN");
      st.execute("GRANT " + AccessManager.MARKER_ROLE + " TO " + carol);
      st.execute("ALTER ROLE " + dave.username() + " NOLOGIN");
      st.execute("REVOKE " + auditors + " FROM " + erin.username());
    }

    DriftReport r = manager.drift();
    assertThat(r.isClean()).isFalse();
    assertThat(kinds(r, alice.username()))
        .containsExactly("UNAPPROVED_MEMBERSHIP", "UNAPPROVED_PRIVILEGE", "VALID_UNTIL_MISMATCH");
    assertThat(kinds(r, aliceBundle)).containsExactly("MISSING_PRIVILEGE");
    assertThat(kinds(r, bob.username())).containsExactly("LOGIN_AFTER_LEASE");
    assertThat(kinds(r, carol)).containsExactly("NO_LEASE");
    assertThat(kinds(r, dave.username())).containsExactly("LOGIN_OFF_DURING_LEASE");
    assertThat(kinds(r, erin.username())).containsExactly("MISSING_MEMBERSHIP");
    Drift foreign =
        r.drift().stream()
            .filter(d -> d.kind() == Drift.Kind.UNAPPROVED_PRIVILEGE)
            .findFirst()
            .orElseThrow();
    assertThat(foreign.grantor()).contains(server.adminUser());
    assertThat(foreign.database()).contains(db);
    assertThat(foreign.object()).contains("table other.o");
    assertThat(foreign.privilege()).contains("SELECT");
    Drift missing =
        r.drift().stream()
            .filter(d -> d.kind() == Drift.Kind.MISSING_PRIVILEGE)
            .findFirst()
            .orElseThrow();
    assertThat(missing.object()).contains(db + "/app.t");
    // Proven from outside the SDK: the drift it reports is real.
    assertThat(server)
        .user(alice.username(), alice.password().orElseThrow().reveal())
        .cannotSelectFrom(db, "app.t");
    assertThat(
            AccessFixtures.scalar(
                server,
                db,
                "SELECT has_table_privilege('" + alice.username() + "', 'other.o', 'SELECT')"))
        .isEqualTo("t");
  }
}
