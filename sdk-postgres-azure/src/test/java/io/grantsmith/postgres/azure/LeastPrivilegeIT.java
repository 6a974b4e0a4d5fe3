package io.grantsmith.postgres.azure;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 8, point 6: the whole lifecycle runs as a connector made by our own setup SQL ({@link
 * ConnectorSetup}, applied by the Azure-style admin), never as superuser or admin. Every connection
 * the SDK opens goes through a source that checks {@code current_user} is the connector and that it
 * is {@code NOSUPERUSER} (and not the admin, and without {@code BYPASSRLS}/{@code REPLICATION})
 * before handing it over.
 */
class LeastPrivilegeIT {

  /**
   * The fewest connections the lifecycle below opens as the connector (grant on two databases,
   * widen, extend, revoke, sweep, rotation); each one is checked.
   */
  static final int MIN_CHECKED = 55;

  /**
   * Rotation's connections: the new manager's check that transactions work (once per manager,
   * before its first change), the lifeline, the executor's ALTER ROLE, the proof login.
   */
  static final int ROTATION_CHECKED = 4;

  /** Wraps connection sources so that every connection they open is checked for who it is. */
  static final class Checking {
    final String expected;
    final AtomicInteger checked = new AtomicInteger();
    final Set<String> databases = ConcurrentHashMap.newKeySet();

    Checking(String expected) {
      this.expected = expected;
    }

    ConnectionSource around(ConnectionSource delegate) {
      return database -> check(delegate.open(database), database);
    }

    private Connection check(Connection c, String database) throws SQLException {
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT current_user, session_user, r.rolsuper, r.rolbypassrls, r.rolreplication"
                      + " FROM pg_roles r WHERE r.rolname = current_user")) {
        if (!rs.next()
            || !expected.equals(rs.getString(1))
            || !expected.equals(rs.getString(2))
            || rs.getBoolean(3)
            || rs.getBoolean(4)
            || rs.getBoolean(5)) {
          c.close();
          throw new AssertionError(
              "SDK connection to " + database + " is not the plain connector " + expected);
        }
      }
      checked.incrementAndGet();
      databases.add(database);
      return c;
    }
  }

  @AzurePostgresTest
  void wholeLifecycleRunsAsTheSetupConnector(AzurePostgres server) throws Exception {
    String db1 = server.createDatabase();
    String db2 = server.createDatabase();
    AccessFixtures.estate(server, db1);
    AccessFixtures.estate(server, db2);
    // As on Azure, where the admin ran the setup that created the marker: the admin holds the
    // marker WITH ADMIN OPTION even if an earlier test's superuser-made fixture created it.
    try (Connection su = server.superuserConnection("postgres");
        Statement st = su.createStatement()) {
      st.execute(
          "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
              + AccessManager.MARKER_ROLE
              + "') THEN GRANT "
              + AccessManager.MARKER_ROLE
              + " TO "
              + server.adminUser()
              + " WITH ADMIN OPTION; END IF; END $$");
    }
    String connector = "lp_conn_" + UUID.randomUUID().toString().substring(0, 8);
    String password = "Lp-" + UUID.randomUUID();
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .majorVersion(server.majorVersion())
            .connectorName(connector)
            .build();
    assertThat(setup.markerRole()).isEqualTo(AccessManager.MARKER_ROLE);
    Integration base = AccessFixtures.plainIntegration(server, "lp-" + connector);
    ConnectionSource admin = AccessFixtures.asAdmin(server, base);
    // Steps 1 and 2 run in postgres whatever the list; the list names the databases whose
    // objects the connector gets. (Listing postgres itself now fails: the admin does not own
    // it, the server only warns 01007, and JdbcExecutor refuses that warning; reported.)
    Plan setupPlan = setup.plan(Secret.of(password), List.of(db1, db2));
    JdbcExecutor.builder().connections(admin).build().apply(setupPlan);
    assertThat(server).role(connector).exists();
    try (Connection c = server.superuserConnection("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT rolsuper, rolcreaterole, rolbypassrls"
                    + " FROM pg_roles WHERE rolname = '"
                    + connector
                    + "'")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("connector is superuser").isFalse();
      assertThat(rs.getBoolean(2)).as("connector has CREATEROLE").isTrue();
      assertThat(rs.getBoolean(3)).as("connector bypasses RLS").isFalse();
    }
    assertThat(connector).isNotEqualTo(server.adminUser());

    Credentials creds = Credentials.of(connector, Secret.of(password));
    Checking checking = new Checking(connector);
    ConnectionSource checked = checking.around(ConnectionSource.of(base, creds));
    AccessManager manager =
        AccessManager.builder().integration(base).connections(checked).connector(connector).build();

    // grant on two databases, widen, extend, revoke, sweep: all as the connector.
    var g =
        manager.grant(
            AccessFixtures.request(
                base,
                "least@example.com",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db1, "app", "t"),
                ResourceRef.schema(db2, "app")));
    String pw = g.password().orElseThrow().reveal();
    assertThat(server)
        .user(g.username(), pw)
        .canSelectFrom(db1, "app.t")
        .cannotInsertInto(db1, "app.t")
        .cannotSelectFrom(db1, "app.secret")
        .canSelectFrom(db2, "app.t")
        .cannotSelectFrom(db2, "other.o");
    manager.grant(
        AccessFixtures.request(
            base,
            "least@example.com",
            AccessLevel.READ_WRITE,
            Duration.ofHours(2),
            ResourceRef.relation(db1, "app", "secret")));
    assertThat(server)
        .user(g.username(), pw)
        .canInsertInto(db1, "app.secret")
        .cannotInsertInto(db1, "app.t");
    assertThat(manager.extend(g.username(), Duration.ofMinutes(10))).isPresent();
    try (Connection session = server.connect(db1, g.username(), pw)) {
      manager.revoke(g.username());
      assertThat(session.isValid(2)).as("session ended by the connector").isFalse();
    }
    assertThat(server).user(g.username(), pw).cannotLogin(db1);
    var expiring =
        manager.grant(
            AccessFixtures.request(
                base,
                "short@example.com",
                AccessLevel.READ_ONLY,
                Duration.ofMinutes(1),
                ResourceRef.relation(db2, "app", "t")));
    AccessManager later =
        AccessManager.builder()
            .integration(base)
            .connections(checked)
            .connector(connector)
            .clock(AccessFixtures.offset(Duration.ofMinutes(5)))
            .build();
    var swept = later.sweep();
    assertThat(swept.revoked()).contains(expiring.username());
    assertThat(server).role(expiring.username()).doesNotExist();
    assertThat(server).role(g.username()).doesNotExist();

    int beforeRotation = checking.checked.get();

    // Rotation of the connector's own password, also as the connector: the executor's
    // connections come from the checked source, and so do the sessions rotation logs in with
    // itself (the lifeline kept to restore the old password, and the proof of the new one).
    SecretsIT.MemoryStore store = new SecretsIT.MemoryStore();
    SecretRef ref = SecretRef.environment("LP_CONNECTOR");
    store.store(ref, creds);
    Credentials rotated =
        AccessManager.builder()
            .integration(base)
            .connections(checked)
            .connector(connector)
            .logins(c -> checking.around(ConnectionSource.of(base, c)))
            .build()
            .rotateConnectorPassword(store, ref);
    assertThat(rotated.password().reveal()).isNotEqualTo(password);
    try (Connection c = server.connect("postgres", connector, rotated.password().reveal())) {
      assertThat(c.isValid(2)).isTrue();
    }
    assertThat(server).user(connector, password).cannotLogin("postgres");
    int inRotation = checking.checked.get() - beforeRotation;
    System.out.printf(
        "HARDENING least-privilege PG%d: %d SDK connections checked in %d"
            + " databases (%d in rotation), all as %s (NOSUPERUSER, NOBYPASSRLS, NOREPLICATION)%n",
        server.majorVersion(),
        checking.checked.get(),
        checking.databases.size(),
        inRotation,
        connector);
    assertThat(inRotation).as("rotation's connections checked").isEqualTo(ROTATION_CHECKED);
    assertThat(checking.checked.get())
        .as("SDK connections checked")
        .isGreaterThanOrEqualTo(MIN_CHECKED);
    assertThat(checking.databases).containsExactlyInAnyOrder("postgres", db1, db2);
  }
}
