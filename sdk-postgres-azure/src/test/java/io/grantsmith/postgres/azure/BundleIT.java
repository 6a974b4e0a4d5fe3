package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.findings;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.manager;
import static io.grantsmith.postgres.azure.AccessFixtures.offset;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.postgres.azure.AccessFixtures.scalar;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Shared bundle roles, proven by logging in as the users on a real server. */
class BundleIT {
  private static final String BUNDLE_MARKER = Conventions.defaults().bundleMarkerRole();

  @AzurePostgresTest
  void oneBundleIsSharedFollowsTheCatalogAndOutlivesOneMember(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    ResourceRef app = ResourceRef.schema(db, "app");

    AccessGrant alice =
        manager.grant(
            request(integration, "alice", AccessLevel.READ_ONLY, Duration.ofHours(1), app));
    AccessGrant bob =
        manager.grant(request(integration, "bob", AccessLevel.READ_ONLY, Duration.ofHours(1), app));
    String alicePw = alice.password().orElseThrow().reveal();
    String bobPw = bob.password().orElseThrow().reveal();

    List<String> bundles = bundles(server, db);
    assertThat(bundles).hasSize(1);
    String bundle = bundles.get(0);
    assertThat(bundle).startsWith("gs_b_").hasSizeLessThanOrEqualTo(63);
    assertThat(members(server, bundle)).contains(alice.username(), bob.username());
    // The objects' ACLs name the bundle, not the people.
    for (String user : List.of(alice.username(), bob.username())) {
      assertThat(aclEntries(server, db, "app.t", user)).isZero();
      assertThat(findings(server, db, user)).containsExactly("member of role " + bundle);
    }
    assertThat(aclEntries(server, db, "app.t", bundle)).isEqualTo(1);
    for (String[] u : new String[][] {{alice.username(), alicePw}, {bob.username(), bobPw}}) {
      assertThat(server)
          .user(u[0], u[1])
          .canSelectFrom(db, "app.t")
          .canSelectFrom(db, "app.secret")
          .cannotInsertInto(db, "app.t")
          .cannotSelectFrom(db, "other.o");
    }

    // A table created since: the next request brings the bundle up to date.
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE app.later (x int)");
    }
    assertThat(server).user(alice.username(), alicePw).cannotSelectFrom(db, "app.later");
    AccessGrant carol =
        manager.grant(
            request(integration, "carol", AccessLevel.READ_ONLY, Duration.ofHours(1), app));
    assertThat(bundles(server, db)).containsExactly(bundle);
    assertThat(server)
        .user(alice.username(), alicePw)
        .canSelectFrom(db, "app.later")
        .cannotInsertInto(db, "app.later");
    assertThat(server)
        .user(carol.username(), carol.password().orElseThrow().reveal())
        .canSelectFrom(db, "app.later");

    // 16+: the membership lets the user use the bundle's privileges, not act as the bundle.
    if (server.majorVersion() >= 16) {
      try (Connection c = server.connect(db, alice.username(), alicePw);
          Statement st = c.createStatement()) {
        st.execute("SET ROLE " + bundle);
        throw new AssertionError("SET ROLE to the bundle succeeded");
      } catch (SQLException e) {
        assertThat(e.getSQLState()).isEqualTo("42501");
      }
    }

    // Revoking one member leaves the others working.
    manager.revoke(alice.username());
    assertThat(server).user(alice.username(), alicePw).cannotLogin(db);
    assertThat(members(server, bundle)).doesNotContain(alice.username()).contains(bob.username());
    assertThat(findings(server, db, alice.username())).isEmpty();
    assertThat(server)
        .user(bob.username(), bobPw)
        .canSelectFrom(db, "app.t")
        .canSelectFrom(db, "app.later");
    assertThat(manager.drift().drift())
        .filteredOn(
            d ->
                List.of(bundle, alice.username(), bob.username(), carol.username())
                    .contains(d.role()))
        .isEmpty();
  }

  @AzurePostgresTest
  void adminUsesABundleOnlyWhereSetRoleCanBeRefused(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    ResourceRef app = ResourceRef.schema(db, "app");

    AccessGrant writer =
        manager.grant(
            request(integration, "wendy", AccessLevel.READ_WRITE, Duration.ofHours(1), app));
    assertThat(aclEntries(server, db, "app.t", writer.username())).isZero();
    assertThat(bundles(server, db)).hasSize(1);
    assertThat(server)
        .user(writer.username(), writer.password().orElseThrow().reveal())
        .canInsertInto(db, "app.t");

    AccessGrant admin =
        manager.grant(request(integration, "ada", AccessLevel.ADMIN, Duration.ofHours(1), app));
    String pw = admin.password().orElseThrow().reveal();
    try (Connection c = server.connect(db, admin.username(), pw);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE app.made_by_ada (x int)");
    }
    // Whatever the version, what the admin creates is owned by the admin, never by a bundle.
    assertThat(
            scalar(
                server,
                db,
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'app'"
                    + " AND tablename = 'made_by_ada'"))
        .isEqualTo(admin.username());
    if (server.majorVersion() >= 16) {
      assertThat(bundles(server, db)).hasSize(2);
      assertThat(aclEntries(server, db, "app.t", admin.username())).isZero();
    } else {
      // Before 16 SET ROLE cannot be refused: ADMIN (CREATE) stays on the user itself.
      assertThat(bundles(server, db)).hasSize(1);
      assertThat(aclEntries(server, db, "app.t", admin.username())).isPositive();
    }
    manager.revoke(admin.username());
    assertThat(findings(server, db, admin.username())).isEmpty();
    assertThat(server)
        .user(writer.username(), writer.password().orElseThrow().reveal())
        .canInsertInto(db, "app.t");
  }

  @AzurePostgresTest
  void driftReportsWhatABundleHoldsBeyondItsKeyAndMembersWithoutALease(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    AccessGrant dora =
        manager.grant(
            request(
                integration,
                "dora",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.schema(db, "app")));
    String bundle = bundles(server, db).get(0);
    String stranger = "stranger_" + tc.name;
    List<String> ours = List.of(bundle, stranger, dora.username());
    assertThat(manager.drift().drift()).filteredOn(d -> ours.contains(d.role())).isEmpty();
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT INSERT ON app.t TO " + bundle);
      st.execute("GRANT SELECT ON other.o TO " + bundle);
      st.execute("CREATE ROLE " + stranger + " NOLOGIN");
    }
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT " + bundle + " TO " + stranger);
    }
    List<Drift> drift =
        manager.drift().drift().stream().filter(d -> ours.contains(d.role())).toList();
    assertThat(drift)
        .anySatisfy(
            d -> {
              assertThat(d.role()).isEqualTo(bundle);
              assertThat(d.kind()).isEqualTo(Drift.Kind.UNAPPROVED_PRIVILEGE);
              assertThat(d.privilege()).contains("INSERT");
              assertThat(d.object().orElseThrow()).contains("app.t");
            })
        .anySatisfy(
            d -> {
              assertThat(d.role()).isEqualTo(bundle);
              assertThat(d.privilege()).contains("SELECT");
              assertThat(d.object().orElseThrow()).contains("other.o");
            })
        .anySatisfy(
            d -> {
              assertThat(d.role()).isEqualTo(stranger);
              assertThat(d.kind()).isEqualTo(Drift.Kind.UNAPPROVED_MEMBERSHIP);
              assertThat(d.object().orElseThrow()).contains(bundle);
            })
        .hasSize(3);
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("REVOKE " + bundle + " FROM " + stranger);
    }
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("DROP ROLE " + stranger);
    }
  }

  @AzurePostgresTest
  void aGrantTakesFromABundleWhatItHoldsBeyondItsKeyOrRefusesNamingTheGrantor(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    ResourceRef app = ResourceRef.schema(db, "app");
    AccessGrant dora =
        manager.grant(
            request(integration, "dora", AccessLevel.READ_ONLY, Duration.ofHours(1), app));
    String doraPw = dora.password().orElseThrow().reveal();
    String bundle = bundles(server, db).get(0);
    String extra = "extra_" + tc.name;
    // What the connector itself (or a role it acts as) gives the bundle beyond its key: a
    // privilege and a membership in a role that holds another.
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + extra + " NOLOGIN");
    }
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT USAGE ON SCHEMA other TO " + extra);
      st.execute("GRANT SELECT ON other.o TO " + extra);
      st.execute("GRANT INSERT ON app.secret TO " + tc.name + " WITH GRANT OPTION");
    }
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT INSERT ON app.secret TO " + bundle);
      st.execute("GRANT " + extra + " TO " + bundle);
    }
    // Every member has it, the point of the check below.
    assertThat(server)
        .user(dora.username(), doraPw)
        .canInsertInto(db, "app.secret")
        .canSelectFrom(db, "other.o");

    AccessGrant ed =
        manager.grant(request(integration, "ed", AccessLevel.READ_ONLY, Duration.ofHours(1), app));
    for (String[] u :
        new String[][] {
          {dora.username(), doraPw}, {ed.username(), ed.password().orElseThrow().reveal()}
        }) {
      assertThat(server)
          .user(u[0], u[1])
          .canSelectFrom(db, "app.t")
          .cannotInsertInto(db, "app.secret")
          .cannotSelectFrom(db, "other.o");
    }
    assertThat(manager.drift().drift()).filteredOn(d -> d.role().equals(bundle)).isEmpty();

    // A grantor the connector cannot act as: the grant is refused before any change, naming the
    // grantor and the statement that removes it; the new person gets nothing.
    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT INSERT ON app.t TO " + bundle);
    }
    String rolesBefore = scalar(server, db, "SELECT count(*) FROM pg_roles");
    LeftoverAccessException refused =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            LeftoverAccessException.class,
            () ->
                manager.grant(
                    request(integration, "fay", AccessLevel.READ_ONLY, Duration.ofHours(1), app)));
    assertThat(refused).isNotNull();
    assertThat(refused.role()).isEqualTo(bundle);
    assertThat(refused.leftovers())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.grantor()).isEqualTo(server.adminUser());
              assertThat(l.object()).contains("app.t");
              assertThat(l.statement()).contains("REVOKE INSERT").contains(bundle);
            });
    assertThat(scalar(server, db, "SELECT count(*) FROM pg_roles")).isEqualTo(rolesBefore);

    try (Connection c = server.adminConnection(db);
        Statement st = c.createStatement()) {
      st.execute("REVOKE INSERT ON app.t FROM " + bundle);
    }
    AccessGrant fay =
        manager.grant(request(integration, "fay", AccessLevel.READ_ONLY, Duration.ofHours(1), app));
    assertThat(server)
        .user(fay.username(), fay.password().orElseThrow().reveal())
        .canSelectFrom(db, "app.secret")
        .cannotInsertInto(db, "app.secret")
        .cannotInsertInto(db, "app.t");
    try (Connection c = server.superuserConnection(db);
        Statement st = c.createStatement()) {
      st.execute("DROP OWNED BY " + extra);
      st.execute("DROP ROLE " + extra);
    }
  }

  @AzurePostgresTest
  void twoConnectorsOnOneServerEachGrantThroughBundlesOfTheirOwn(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    ResourceRef app = ResourceRef.schema(db, "app");
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      TestConnector tc = AccessFixtures.connector(server, db);
      Integration integration = integration(tc, 1);
      AccessManager manager = manager(tc, integration, Clock.systemUTC());
      AccessGrant g =
          manager.grant(
              request(integration, "gil" + i, AccessLevel.READ_ONLY, Duration.ofHours(1), app));
      assertThat(server)
          .user(g.username(), g.password().orElseThrow().reveal())
          .canSelectFrom(db, "app.t")
          .cannotInsertInto(db, "app.t");
      users.add(g.username());
    }
    List<String> bundles = bundles(server, db);
    assertThat(bundles).hasSize(2);
    // One member each: neither connector's people use the other's bundle.
    assertThat(members(server, bundles.get(0))).hasSize(1);
    assertThat(members(server, bundles.get(1))).hasSize(1);
    List<String> all = new ArrayList<>(members(server, bundles.get(0)));
    all.addAll(members(server, bundles.get(1)));
    assertThat(all).containsExactlyInAnyOrderElementsOf(users);
  }

  @AzurePostgresTest
  void theSweepDropsABundleUnusedForTheCleanupPeriod(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    AccessGrant g =
        manager.grant(
            request(
                integration,
                "erin",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db, "app", "t")));
    String bundle = bundles(server, db).get(0);
    manager.revoke(g.username());
    assertThat(members(server, bundle)).isEmpty();

    // The first sweep records since when it is unused; it goes a cleanup period later.
    manager.sweep();
    assertThat(bundles(server, db)).containsExactly(bundle);
    assertThat(comment(server, bundle)).contains("unusedSince");
    manager(tc, integration, offset(Duration.ofHours(12))).sweep();
    assertThat(bundles(server, db)).containsExactly(bundle);
    SweepResult later = manager(tc, integration, offset(Duration.ofDays(2))).sweep();
    assertThat(later.failed()).isEmpty();
    assertThat(server).role(bundle).doesNotExist();
    assertThat(aclEntriesOfAnyBundle(server, db)).isZero();

    // A later request creates it again.
    AccessGrant again =
        manager.grant(
            request(
                integration,
                "erin",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db, "app", "t")));
    assertThat(bundles(server, db)).containsExactly(bundle);
    assertThat(server)
        .user(again.username(), again.password().orElseThrow().reveal())
        .canSelectFrom(db, "app.t")
        .cannotSelectFrom(db, "app.secret");
  }

  @AzurePostgresTest
  void aPerPersonGrantOfEarlierVersionsKeepsWorkingAndIsRevoked(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    AccessManager manager = manager(tc, integration, Clock.systemUTC());
    AccessGrant g =
        manager.grant(
            request(
                integration,
                "frank",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db, "app", "t")));
    String user = g.username();
    String pw = g.password().orElseThrow().reveal();
    String bundle = bundles(server, db).get(0);
    // As earlier versions left it: the privileges granted to the user itself, no bundle.
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT CONNECT ON DATABASE " + db + " TO " + user);
      st.execute("GRANT USAGE ON SCHEMA app TO " + user);
      st.execute("GRANT SELECT ON TABLE app.t TO " + user);
      st.execute("GRANT SELECT ON SEQUENCE app.t_id_seq TO " + user);
      st.execute("REVOKE " + bundle + " FROM " + user);
    }
    assertThat(members(server, bundle)).doesNotContain(user);
    assertThat(server).user(user, pw).canSelectFrom(db, "app.t");
    assertThat(findings(server, db, user)).isNotEmpty();

    manager.revoke(user);
    assertThat(server).user(user, pw).cannotLogin(db);
    assertThat(findings(server, db, user)).isEmpty();

    // A lease of earlier versions widened by a new request moves to the bundle.
    AccessGrant h =
        manager.grant(
            request(
                integration,
                "gina",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db, "app", "t")));
    try (Connection c = tc.connections().open(db);
        Statement st = c.createStatement()) {
      st.execute("GRANT SELECT ON TABLE app.t TO " + h.username());
      st.execute("REVOKE " + bundle + " FROM " + h.username());
    }
    manager.grant(
        request(
            integration,
            "gina",
            AccessLevel.READ_ONLY,
            Duration.ofHours(1),
            ResourceRef.relation(db, "app", "t")));
    assertThat(aclEntries(server, db, "app.t", h.username())).isZero();
    assertThat(members(server, bundle)).contains(h.username());
    assertThat(server)
        .user(h.username(), h.password().orElseThrow().reveal())
        .canSelectFrom(db, "app.t");
  }

  /** The bundles whose key is in {@code db}. */
  static List<String> bundles(AzurePostgres server, String db) throws SQLException {
    return column(
        server,
        "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.roleid = r.oid"
            + " JOIN pg_roles k ON k.oid = m.member WHERE k.rolname = '"
            + BUNDLE_MARKER
            + "' AND shobj_description(r.oid, 'pg_authid') LIKE '%\"database\":\""
            + db
            + "\"%' ORDER BY 1");
  }

  static List<String> members(AzurePostgres server, String bundle) throws SQLException {
    return column(
        server,
        "SELECT DISTINCT u.rolname FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member"
            + " WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = '"
            + bundle
            + "') AND NOT m.admin_option AND u.rolname <> '"
            + BUNDLE_MARKER
            + "' AND u.rolname NOT LIKE 'conn\\_%' ORDER BY 1");
  }

  private static String comment(AzurePostgres server, String role) throws SQLException {
    return scalar(
        server,
        "postgres",
        "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = '" + role + "'");
  }

  /** How many ACL entries of {@code table} name {@code role}. */
  private static int aclEntries(AzurePostgres server, String db, String table, String role)
      throws SQLException {
    return Integer.parseInt(
        scalar(
            server,
            db,
            "SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = '"
                + table
                + "'::regclass AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = '"
                + role
                + "')"));
  }

  private static int aclEntriesOfAnyBundle(AzurePostgres server, String db) throws SQLException {
    return Integer.parseInt(
        scalar(
            server,
            db,
            "SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a"
                + " WHERE pg_get_userbyid(a.grantee) LIKE 'gs\\_b\\_%'"));
  }

  private static List<String> column(AzurePostgres server, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = server.superuserConnection("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
