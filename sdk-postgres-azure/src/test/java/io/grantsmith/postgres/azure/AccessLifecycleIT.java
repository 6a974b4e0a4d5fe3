package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.findings;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.manager;
import static io.grantsmith.postgres.azure.AccessFixtures.offset;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.postgres.azure.AccessFixtures.scalar;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Lease;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The lifecycle proven as the user on a real server, in two databases. */
class AccessLifecycleIT {

  @AzurePostgresTest
  void grantExtendRevokeCleanup(AzurePostgres server) throws Exception {
    String db1 = server.createDatabase();
    String db2 = server.createDatabase();
    estate(server, db1);
    estate(server, db2);
    TestConnector tc = AccessFixtures.connector(server, db1, db2);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());

    AccessGrant g =
        manager.grant(
            request(
                integration,
                "Alice.O'Hara@example.com",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db1, "app", "t"),
                ResourceRef.relation(db2, "app", "t")));
    String user = g.username();
    String pw = g.password().orElseThrow().reveal();
    assertThat(user).startsWith("gs_alice_o_hara_example_com_").hasSizeLessThanOrEqualTo(63);
    assertThat(g.jdbcUrl()).doesNotContain(pw).contains("user=" + user);
    assertThat(g.connectionString()).doesNotContain(pw).contains("user=" + user);
    assertThat(g.customAccessDetails()).contains("Ask #db-help");
    assertThat(g.toString()).doesNotContain(pw);
    for (String db : new String[] {db1, db2}) {
      assertThat(server)
          .user(user, pw)
          .canLogin(db)
          .canSelectFrom(db, "app.t")
          .cannotInsertInto(db, "app.t")
          .cannotSelectFrom(db, "app.secret")
          .cannotSelectFrom(db, "other.o");
    }
    assertThat(
            scalar(
                server,
                db1,
                "SELECT shobj_description(oid, 'pg_authid')::jsonb"
                    + " ->> 'grantee' FROM pg_roles WHERE rolname = '"
                    + user
                    + "'"))
        .isEqualTo("Alice.O'Hara@example.com");

    // A second request while active: adds ADMIN on schema app, keeps the password.
    AccessGrant g2 =
        manager.grant(
            request(
                integration,
                "Alice.O'Hara@example.com",
                AccessLevel.ADMIN,
                Duration.ofHours(2),
                ResourceRef.schema(db1, "app"),
                ResourceRef.schema(db2, "app")));
    assertThat(g2.username()).isEqualTo(user);
    assertThat(g2.password()).isEmpty();
    assertThat(g2.expiresAt()).isAfter(g.expiresAt());
    for (String db : new String[] {db1, db2}) {
      assertThat(server)
          .user(user, pw)
          .canSelectFrom(db, "app.t")
          .canInsertInto(db, "app.t")
          .canSelectFrom(db, "app.secret")
          .cannotSelectFrom(db, "other.o");
      try (Connection c = server.connect(db, user, pw);
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE app.mine (x int)");
      }
    }

    // extend moves the lease and VALID UNTIL.
    Lease extended = manager.extend(user, Duration.ofMinutes(30)).orElseThrow();
    assertThat(extended.expiresAt()).isEqualTo(g2.expiresAt().plus(Duration.ofMinutes(30)));
    Instant validUntil =
        Instant.parse(
            scalar(
                server,
                db1,
                "SELECT to_char(rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                    + " FROM pg_roles WHERE rolname = '"
                    + user
                    + "'"));
    assertThat(validUntil.truncatedTo(ChronoUnit.SECONDS))
        .isEqualTo(extended.expiresAt().truncatedTo(ChronoUnit.SECONDS));

    // Revoke: an open session dies, login fails, nothing is left but the role.
    Connection open = server.connect(db1, user, pw);
    manager.revoke(g.lease().requestId());
    try {
      try (Statement st = open.createStatement()) {
        st.execute("SELECT 1");
      }
      throw new AssertionError("the open session survived the revocation");
    } catch (SQLException expected) {
      assertThat(expected.getSQLState()).matches("57P01|08.*");
    } finally {
      open.close();
    }
    assertThat(server).user(user, pw).cannotLogin(db1);
    assertThat(server).role(user).exists().hasLoginDisabled();
    for (String db : new String[] {db1, db2}) {
      assertThat(findings(server, db, user)).isEmpty();
    }
    // Revoking twice does nothing.
    assertThat(manager.planRevoke(user).isEmpty()).isTrue();
    assertThat(manager.revoke(user).databases()).isEmpty();
    // A sweep before the cleanup time leaves the role.
    assertThat(manager.sweep().dropped()).doesNotContain(user);
    assertThat(server).role(user).exists();

    // Cleanup: two days later the sweep drops it; its tables belong to the connector.
    AccessManager later = manager(tc, integration, offset(Duration.ofDays(2)));
    SweepResult swept = later.sweep();
    assertThat(swept.dropped()).contains(user);
    assertThat(swept.skipped()).isFalse();
    assertThat(server).role(user).doesNotExist();
    for (String db : new String[] {db1, db2}) {
      assertThat(
              scalar(
                  server,
                  db,
                  "SELECT tableowner FROM pg_tables WHERE schemaname = 'app'"
                      + " AND tablename = 'mine'"))
          .isEqualTo(tc.name);
    }
  }

  @AzurePostgresTest
  void expiresOnTheServerWithoutAnySweep(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    // "now" is 58 s in the past: a one-minute request expires about 2 s from real now.
    AccessManager manager = manager(tc, integration, offset(Duration.ofSeconds(-58)));
    AccessGrant g =
        manager.grant(
            request(
                integration,
                "bob",
                AccessLevel.READ_ONLY,
                Duration.ofMinutes(1),
                ResourceRef.relation(db, "app", "t")));
    String pw = g.password().orElseThrow().reveal();
    assertThat(server).user(g.username(), pw).canSelectFrom(db, "app.t");
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), g.expiresAt()).toMillis()) + 1500);
    assertThat(server).user(g.username(), pw).cannotLogin(db);
    // The sweep then revokes it.
    SweepResult swept = manager(tc, integration, Clock.systemUTC()).sweep();
    assertThat(swept.revoked()).contains(g.username());
    assertThat(findings(server, db, g.username())).isEmpty();
  }

  @AzurePostgresTest
  void roleMembershipAndZeroDayCleanup(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE auditors_" + tc.name + " NOLOGIN");
      st.execute("GRANT SELECT ON app.secret TO auditors_" + tc.name);
      st.execute("GRANT auditors_" + tc.name + " TO " + tc.name + " WITH ADMIN OPTION");
    }
    Integration integration = integration(tc, 0);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    AccessGrant g =
        manager.grant(
            request(
                integration,
                "carol",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.role("auditors_" + tc.name),
                ResourceRef.database(db)));
    String pw = g.password().orElseThrow().reveal();
    assertThat(server)
        .user(g.username(), pw)
        .isMemberOf("auditors_" + tc.name)
        .canSelectFrom(db, "app.secret")
        .canSelectFrom(db, "other.o")
        .cannotInsertInto(db, "app.t");
    manager.revoke(g.username());
    assertThat(server).role(g.username()).doesNotExist();
    assertThat(manager.revoke(g.username()).databases()).isEmpty();
  }

  @AzurePostgresTest
  void sweepIsSkippedWhileAnotherHoldsTheLock(AzurePostgres server) throws Exception {
    TestConnector tc = AccessFixtures.connector(server);
    AccessManager manager = manager(tc, integration(tc, 1), Clock.systemUTC());
    try (Connection c = tc.connections().open("postgres");
        Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_lock(" + AccessManager.SWEEP_LOCK_KEY + ")");
      assertThat(manager.sweep().skipped()).isTrue();
      st.execute("SELECT pg_advisory_unlock(" + AccessManager.SWEEP_LOCK_KEY + ")");
    }
    assertThat(manager.sweep().skipped()).isFalse();
  }

  @AzurePostgresTest
  void revokeRefusesARoleGrantsmithDoesNotManage(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 0);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    String unmanaged = "plain_" + tc.name;
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + unmanaged + " LOGIN PASSWORD 'Plain-pw-1'");
    }
    // The connector (a member of the marker WITH ADMIN OPTION), the server admin and a role
    // made by hand: each refused, by revoke and by its plan, and left as it was.
    for (String role : new String[] {tc.name, server.adminUser(), unmanaged}) {
      assertThatThrownBy(() -> manager.revoke(role))
          .as(role)
          .isExactlyInstanceOf(GrantsmithException.class)
          .hasMessageContaining(role);
      assertThatThrownBy(() -> manager.planRevoke(role))
          .as(role)
          .isExactlyInstanceOf(GrantsmithException.class);
    }
    assertThat(server).user(tc.name, tc.password.reveal()).canLogin(db);
    assertThat(server).user(server.adminUser(), server.adminPassword()).canLogin(db);
    assertThat(server).user(unmanaged, "Plain-pw-1").canLogin(db);
    // A name no role has: nothing to do.
    assertThat(manager.revoke("gs_nobody_00000000").databases()).isEmpty();
    assertThat(manager.planRevoke("gs_nobody_00000000").isEmpty()).isTrue();
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("DROP ROLE " + unmanaged);
    }
  }
}
