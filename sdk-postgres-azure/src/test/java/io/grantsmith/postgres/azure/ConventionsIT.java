package io.grantsmith.postgres.azure;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Lease;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A server set up with another marker role, connector name and user prefix ({@link Conventions})
 * works end to end: setup, grant, login, revoke, all as that connector; a manager with the default
 * conventions does not see those users.
 */
class ConventionsIT {

  @AzurePostgresTest
  void anotherMarkerRoleWorksFromSetupToRevoke(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    AccessFixtures.estate(server, db);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Conventions names =
        Conventions.defaults()
            .withMarkerRole("cv_marker_" + tag)
            .withConnectorName("cv_conn_" + tag)
            .withUserPrefix("cv_");
    String password = "Cv-" + UUID.randomUUID();
    ConnectorSetup setup =
        ConnectorSetup.builder().majorVersion(server.majorVersion()).conventions(names).build();
    Integration base = AccessFixtures.plainIntegration(server, "cv-" + tag);
    ConnectionSource admin = AccessFixtures.asAdmin(server, base);
    JdbcExecutor.builder()
        .connections(admin)
        .build()
        .apply(setup.plan(Secret.of(password), List.of(db)));
    assertThat(server).role(names.markerRole()).exists();

    Credentials creds = Credentials.of(names.connectorName(), Secret.of(password));
    try (AccessManager manager =
        AccessManager.builder().integration(base).credentials(creds).conventions(names).build()) {
      var grant =
          manager.grant(
              AccessFixtures.request(
                  base,
                  "conventions@example.com",
                  AccessLevel.READ_ONLY,
                  Duration.ofHours(1),
                  ResourceRef.relation(db, "app", "t")));
      String user = grant.username();
      assertThat(user).isEqualTo(names.userName(base.name(), "conventions@example.com"));
      assertThat(user).startsWith("cv_conventions_example_com_");
      String pw = grant.password().orElseThrow().reveal();
      assertThat(server)
          .user(user, pw)
          .canSelectFrom(db, "app.t")
          .cannotInsertInto(db, "app.t")
          .cannotSelectFrom(db, "app.secret");
      assertThat(
              AccessFixtures.scalar(
                  server,
                  "postgres",
                  "SELECT string_agg(g.rolname, ',' ORDER BY g.rolname) FROM pg_auth_members m"
                      + " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
                      + " WHERE u.rolname = '"
                      + user
                      + "'"))
          .as("the user is a member of the configured marker role and of its bundle only")
          .matches("cv_b_[a-z0-9_]+_[0-9a-f]{12}," + names.markerRole());
      assertThat(manager.leases()).extracting(Lease::roleName).contains(user);
      assertThat(manager.lease(grant.lease().requestId())).isPresent();

      // A manager with the default marker role does not take these users for its own.
      try (AccessManager other =
          AccessManager.builder().integration(base).credentials(creds).build()) {
        assertThat(other.leases()).extracting(Lease::roleName).doesNotContain(user);
      }
      var discovered = Discovery.of(base, admin).withConventions(names).discover();
      assertThat(discovered.roles()).extracting(DiscoveredRole::name).doesNotContain(user);

      try (Connection session = server.connect(db, user, pw)) {
        manager.revoke(user);
        assertThat(session.isValid(2)).as("session ended by the connector").isFalse();
      }
      assertThat(server).user(user, pw).cannotLogin(db);
      assertThat(server).role(user).doesNotExist();
      assertThat(manager.leases()).extracting(Lease::roleName).doesNotContain(user);
    }
  }
}
