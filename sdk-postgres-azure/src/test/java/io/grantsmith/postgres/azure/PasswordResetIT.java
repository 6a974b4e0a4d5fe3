package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.manager;
import static io.grantsmith.postgres.azure.AccessFixtures.offset;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;

/** A lost password is replaced without revoking, proven by logging in with both passwords. */
class PasswordResetIT {

  @AzurePostgresTest
  void resetPasswordGivesWorkingCredentialsAndRetiresTheLostOne(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    AccessRequest request =
        request(
            integration,
            "dana@example.com",
            AccessLevel.READ_ONLY,
            Duration.ofHours(1),
            ResourceRef.relation(db, "app", "t"));
    // The caller dies after the server committed: this password never reaches anyone.
    String lost = manager.grant(request).password().orElseThrow().reveal();

    AccessGrant again = manager.grant(request);
    String user = again.username();
    assertThat(again.password()).isEmpty();
    assertThat(again.passwordKept()).isTrue();
    String validUntil = role(server, db, user, "rolvaliduntil");
    String setAt =
        role(
            server,
            db,
            user,
            "shobj_description(oid, 'pg_authid')::jsonb" + " ->> 'passwordSetAt'");

    DryRunExecutor dryRun = new DryRunExecutor();
    AccessGrant planned = manager.withExecutor(dryRun).resetPassword(request.requestId());
    assertThat(planned.password()).isEmpty();
    assertThat(dryRun.script()).contains("PASSWORD '****'");
    assertThat(server).user(user, lost).canLogin(db);

    AccessGrant reset = manager.resetPassword(request.requestId());
    String fresh = reset.password().orElseThrow().reveal();
    assertThat(reset.passwordKept()).isFalse();
    assertThat(reset.username()).isEqualTo(user);
    assertThat(reset.expiresAt()).isEqualTo(again.expiresAt());
    assertThat(reset.jdbcUrl()).isEqualTo(again.jdbcUrl()).doesNotContain(fresh);
    assertThat(reset.toString()).doesNotContain(fresh);
    assertThat(server)
        .user(user, fresh)
        .canLogin(db)
        .canSelectFrom(db, "app.t")
        .cannotSelectFrom(db, "app.secret");
    assertThat(server).user(user, lost).cannotLogin(db);
    assertThat(manager.lease(user).orElseThrow().expiresAt()).isEqualTo(again.expiresAt());
    assertThat(role(server, db, user, "rolvaliduntil")).isEqualTo(validUntil);
    assertThat(
            role(
                server,
                db,
                user,
                "shobj_description(oid, 'pg_authid')::jsonb" + " ->> 'passwordSetAt'"))
        .isNotNull()
        .isNotEqualTo(setAt);

    // A grant that stopped before enabling LOGIN: the reset refuses (only a grant enables LOGIN,
    // after its footprint check); granting again finishes it with a new password.
    try (Connection c = server.superuserConnection(db);
        PreparedStatement ps = c.prepareStatement("SELECT format('ALTER ROLE %I NOLOGIN', ?)");
        Statement st = c.createStatement()) {
      ps.setString(1, user);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        st.execute(rs.getString(1));
      }
    }
    assertThatThrownBy(() -> manager.resetPassword(user))
        .isInstanceOf(GrantsmithException.class)
        .hasMessageContaining(user);
    assertThat(server).role(user).hasLoginDisabled();
    String halfWay = manager.grant(request).password().orElseThrow().reveal();
    assertThat(server).user(user, halfWay).canLogin(db).canSelectFrom(db, "app.t");
  }

  @AzurePostgresTest
  void resetPasswordRefusesExpiredRevokedAndUnknownLeases(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    AccessGrant g =
        manager.grant(
            request(
                integration,
                "erik@example.com",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db, "app", "t")));
    String user = g.username();
    String pw = g.password().orElseThrow().reveal();

    try (AccessManager later = manager(tc, integration, offset(Duration.ofHours(2)))) {
      assertThatThrownBy(() -> later.resetPassword(user))
          .isInstanceOf(GrantsmithException.class)
          .hasMessageContaining(user);
    }
    manager.revoke(user);
    assertThatThrownBy(() -> manager.resetPassword(g.lease().requestId()))
        .isInstanceOf(GrantsmithException.class)
        .hasMessageContaining(g.lease().requestId())
        .hasMessageContaining(user);
    assertThat(server).role(user).exists().hasLoginDisabled();
    assertThat(server).user(user, pw).cannotLogin(db);
    assertThatThrownBy(() -> manager.resetPassword("no-such-request"))
        .isInstanceOf(GrantsmithException.class)
        .hasMessageContaining("no-such-request");
  }

  /** One expression over the user's row in pg_roles, as text, read as superuser. */
  private static String role(AzurePostgres server, String db, String user, String expression)
      throws SQLException {
    try (Connection c = server.superuserConnection(db);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (" + expression + ")::text FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, user);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
