package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.findings;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.manager;
import static io.grantsmith.postgres.azure.AccessFixtures.offset;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.postgres.azure.AccessFixtures.scalar;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Privileges that someone other than Grantsmith gave a managed user: revoke removes what the
 * connector can and names the rest with its grantor and fix; login is never enabled over them.
 */
class ForeignGrantsIT {

  /** As the admin who owns the objects: grants of every kind to {@code user}. */
  private static void grantByHand(
      AzurePostgres server, String db1, String db2, String user, String extraRole)
      throws SQLException {
    try (Connection c = server.adminConnection(db1);
        Statement st = c.createStatement()) {
      st.execute("GRANT USAGE ON SCHEMA other TO " + user);
      st.execute("GRANT SELECT ON other.o TO " + user);
      st.execute("GRANT EXECUTE ON FUNCTION app.f() TO " + user);
      st.execute("GRANT USAGE ON SEQUENCE app.s TO " + user);
      st.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA other GRANT SELECT ON TABLES TO " + user);
      st.execute("CREATE ROLE " + extraRole + " NOLOGIN");
      st.execute("GRANT SELECT ON app.secret TO " + extraRole);
      st.execute("GRANT " + extraRole + " TO " + user);
    }
    try (Connection c = server.adminConnection(db2);
        Statement st = c.createStatement()) {
      st.execute("GRANT CONNECT ON DATABASE " + db2 + " TO " + user);
      st.execute("GRANT USAGE ON SCHEMA app TO " + user);
      st.execute("GRANT SELECT, UPDATE ON app.t TO " + user);
    }
  }

  /** Runs each leftover's statement as its grantor, which in these tests is the admin. */
  private static void runAsGrantors(AzurePostgres server, List<Leftover> leftovers)
      throws SQLException {
    for (Leftover l : leftovers) {
      assertThat(l.grantor()).isEqualTo(server.adminUser());
      try (Connection c = server.adminConnection(l.database());
          Statement st = c.createStatement()) {
        st.execute(l.statement());
      }
    }
  }

  @AzurePostgresTest
  void revokeRemovesWhatItCanAndNamesTheRestThenGrantRefusesUntilFixed(AzurePostgres server)
      throws Exception {
    String db1 = server.createDatabase();
    String db2 = server.createDatabase();
    estate(server, db1);
    estate(server, db2);
    TestConnector tc = AccessFixtures.connector(server, db1, db2);
    Integration integration = integration(tc, 7);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    String extra = "extra_" + tc.name;

    AccessGrant g =
        manager.grant(
            request(
                integration,
                "dana",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.schema(db1, "app")));
    String user = g.username();
    String pw = g.password().orElseThrow().reveal();
    grantByHand(server, db1, db2, user, extra);
    // One more, given through the connector's own grant option: the connector can remove it.
    try (Connection c = tc.connections().open(db1);
        Statement st = c.createStatement()) {
      st.execute("GRANT SELECT ON other.o TO " + user);
    }
    assertThat(server)
        .user(user, pw)
        .canSelectFrom(db1, "other.o")
        .canSelectFrom(db1, "app.secret")
        .canSelectFrom(db2, "app.t");

    LeftoverAccessException e =
        catchThrowableOfType(LeftoverAccessException.class, () -> manager.revoke(user));
    assertThat(e).as("revoke must report what it cannot remove").isNotNull();
    assertThat(e.role()).isEqualTo(user);
    // Login is off whatever is left.
    assertThat(server).user(user, pw).cannotLogin(db1);
    assertThat(server).role(user).exists().hasLoginDisabled();
    // Exactly what the server still shows is reported: nothing hidden, nothing invented.
    List<Leftover> left = e.leftovers();
    assertThat(left)
        .isNotEmpty()
        .allSatisfy(
            l -> {
              assertThat(l.role()).isEqualTo(user);
              assertThat(l.grantor()).isEqualTo(server.adminUser());
              assertThat(l.statement()).contains(user);
            });
    assertThat(e.getMessage())
        .contains("other.o")
        .contains(server.adminUser())
        .contains("REVOKE SELECT ON TABLE other.o FROM " + user);
    int remaining = findings(server, db1, user).size() + findings(server, db2, user).size();
    boolean stillMember =
        "t"
            .equals(
                scalar(
                    server, db1, "SELECT pg_has_role('" + user + "', '" + extra + "', 'MEMBER')"));
    // A membership shows in the findings of each database; the leftovers name it once.
    assertThat(left).hasSize(remaining - (stillMember ? 1 : 0));
    assertThat(left.stream().anyMatch(l -> l.object().equals("role " + extra)))
        .isEqualTo(stillMember);
    // 15 and older: CREATEROLE may revoke any membership; 16+: only the grantor may.
    assertThat(stillMember).isEqualTo(server.majorVersion() >= 16);

    // A new grant for the same person is refused before any change, naming the leftovers.
    String before =
        scalar(
            server,
            db1,
            "SELECT shobj_description(oid, 'pg_authid')"
                + " FROM pg_roles WHERE rolname = '"
                + user
                + "'");
    assertThatThrownBy(
            () ->
                manager.grant(
                    request(
                        integration,
                        "dana",
                        AccessLevel.READ_ONLY,
                        Duration.ofHours(1),
                        ResourceRef.schema(db1, "app"))))
        .isInstanceOf(LeftoverAccessException.class)
        .hasMessageContaining("other.o");
    assertThat(server).role(user).hasLoginDisabled();
    assertThat(
            scalar(
                server,
                db1,
                "SELECT shobj_description(oid, 'pg_authid')"
                    + " FROM pg_roles WHERE rolname = '"
                    + user
                    + "'"))
        .isEqualTo(before);

    // The grantor runs the printed statements; then revoke completes and nothing is left.
    runAsGrantors(server, left);
    manager.revoke(user);
    assertThat(findings(server, db1, user)).isEmpty();
    assertThat(findings(server, db2, user)).isEmpty();

    // Something the connector can remove, given while the user is revoked, goes before LOGIN.
    try (Connection c = tc.connections().open(db1);
        Statement st = c.createStatement()) {
      st.execute("GRANT SELECT ON other.o TO " + user);
    }
    AccessGrant again =
        manager.grant(
            request(
                integration,
                "dana",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.schema(db1, "app")));
    String pw2 = again.password().orElseThrow().reveal();
    assertThat(server)
        .user(user, pw2)
        .canSelectFrom(db1, "app.t")
        .cannotSelectFrom(db1, "other.o")
        .cannotSelectFrom(db2, "app.t")
        .isNotMemberOf(extra);
  }

  @AzurePostgresTest
  void zeroDayCleanupReportsInsteadOfFailingAndTheSweepGoesOn(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 0);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    AccessGrant tainted =
        manager.grant(
            request(
                integration,
                "erin",
                AccessLevel.READ_ONLY,
                Duration.ofMinutes(5),
                ResourceRef.relation(db, "app", "t")));
    AccessGrant clean =
        manager.grant(
            request(
                integration,
                "fred",
                AccessLevel.READ_ONLY,
                Duration.ofMinutes(5),
                ResourceRef.relation(db, "app", "t")));
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT SELECT ON app.secret TO " + tainted.username());
    }

    // Both expired: the sweep revokes both, drops the clean one, reports the other in detail.
    AccessManager later = manager(tc, integration, offset(Duration.ofMinutes(10)));
    SweepResult swept = later.sweep();
    assertThat(swept.dropped()).contains(clean.username()).doesNotContain(tainted.username());
    assertThat(server).role(clean.username()).doesNotExist();
    assertThat(swept.failed()).containsKey(tainted.username());
    List<Leftover> left = swept.leftovers().get(tainted.username());
    assertThat(left)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.database()).isEqualTo(db);
              assertThat(l.object()).isEqualTo("table app.secret");
              assertThat(l.privilege()).isEqualTo("SELECT");
              assertThat(l.statement())
                  .isEqualTo(
                      "REVOKE SELECT ON TABLE app.secret FROM " + tainted.username() + " CASCADE");
            });
    assertThat(server).role(tainted.username()).exists().hasLoginDisabled();
    assertThat(server)
        .user(tainted.username(), tainted.password().orElseThrow().reveal())
        .cannotLogin(db);

    // Fixed by the grantor, the next sweep drops it.
    runAsGrantors(server, left);
    assertThat(later.sweep().dropped()).contains(tainted.username());
    assertThat(server).role(tainted.username()).doesNotExist();
  }
}
