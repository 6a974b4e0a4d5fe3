package io.grantsmith.samples;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.GrantsmithArbitraries;
import io.grantsmith.testkit.PostgresVersion;
import io.grantsmith.testkit.UserAssert;
import io.grantsmith.testkit.internal.GroundTruth;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * How an integrator tests their own {@link AccessPolicy} with Grantsmith's generators and a real,
 * Azure-shaped server: here a policy that never hands out sequences, and the promise that access
 * applied then revoked leaves the server as it was. Every claim is checked from outside the SDK: by
 * logging in as the user after the grant (it can read the table, and write it where the level
 * allows; it cannot use the sequence the standard policy would have added, nor read the other
 * table) and after the revoke (it cannot log in), and by the server's own catalogs, read as the
 * superuser ({@link GroundTruth#privilegeFindings}: the table's privileges and no sequence after
 * the grant, nothing after the revoke; every ACL and membership as before).
 */
class CustomPolicyPropertiesIT {
  /** The integrator's policy: the standard one, minus every privilege on sequences. */
  static final AccessPolicy NO_SEQUENCES =
      (level, kind) ->
          kind == ResourceKind.SEQUENCE
              ? Set.of()
              : AccessPolicy.standard().privileges(level, kind);

  /** The sequence of {@code sales.items}' serial column, which the standard policy would add. */
  static final String ITEMS_SEQUENCE = "sales.items_id_seq";

  private static AzurePostgres server;
  private static Integration integration;
  private static Credentials connector;
  private static AccessManager manager;

  @BeforeContainer
  static void start() {
    server = AzurePostgres.shared(PostgresVersion.configured().get(0).major());
    SampleServer.run(
        server,
        (i, c) -> {
          integration =
              Integration.builder()
                  .from(i)
                  .name("policy-" + UUID.randomUUID().toString().substring(0, 8))
                  .userCleanupAfterDays(0)
                  .build();
          connector = c;
        });
    try (Connection c = server.adminConnection("shop");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS sales.items (id serial, name text)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    // The table above came after the connector's setup: run it again so the connector may
    // grant on it, as an admin would after adding tables outside the default privileges.
    SampleServer.run(server, (i, c) -> connector = c);
    manager =
        AccessManager.builder()
            .integration(integration)
            .credentials(connector)
            .policy(NO_SEQUENCES)
            .build();
  }

  @AfterContainer
  static void stop() {
    if (manager != null) {
      manager.close();
    }
  }

  private static final String MEMBER_OF = "member of role ";

  @Property(tries = 12)
  void anyRequestAppliedThenRevokedLeavesTheServerAsItWas(
      @ForAll("grantees") String grantee, @ForAll AccessLevel level, @ForAll("tables") String table)
      throws Exception {
    // Sweeps first, so that bundles and expired leases other tests left behind on the shared
    // server are gone before the state is read, and only this try's changes remain to compare.
    manager.sweep();
    manager.sweep();
    List<String> before = serverState();

    AccessGrant grant =
        manager.grant(
            AccessRequest.builder()
                .requestId("REQ-" + UUID.randomUUID())
                .grantee(grantee)
                .integration(integration)
                .addResource(ResourceRef.relation("shop", "sales", table))
                .level(level)
                .duration(Duration.ofMinutes(5))
                .build());
    String user = grant.username();
    String password = grant.password().orElseThrow().reveal();

    // Logged in as the user: what the policy grants works...
    UserAssert asUser =
        assertThat(server).user(user, password).canSelectFrom("shop", "sales", table);
    if (level == AccessLevel.READ_ONLY) {
      asUser.cannotInsertInto("shop", "sales", table);
    } else if (table.equals("orders")) {
      asUser.canInsertInto("shop", "sales", "orders");
    } else {
      // Writing to items needs its serial column's sequence, which this policy withholds.
      asUser.cannotInsertInto("shop", "sales", "items");
    }
    // ...and what it does not grant is refused.
    asUser
        .cannotExecute("shop", "nextval('" + ITEMS_SEQUENCE + "')")
        .cannotSelectFrom("shop", "sales", table.equals("orders") ? "items" : "orders");
    // The server's own ACLs, the user's and those of the bundles it is a member of: the table's
    // privileges, nothing on any sequence.
    List<String> granted = new ArrayList<>(GroundTruth.privilegeFindings(server, "shop", user));
    for (String finding : List.copyOf(granted)) {
      if (finding.startsWith(MEMBER_OF)) {
        granted.addAll(
            GroundTruth.privilegeFindings(server, "shop", finding.substring(MEMBER_OF.length())));
      }
    }
    assertThat(granted)
        .anyMatch(f -> f.startsWith("relation sales." + table + ": SELECT "))
        .noneMatch(f -> f.contains("_seq"));

    manager.revoke(user);

    assertThat(server).user(user, password).cannotLogin("shop");
    assertThat(server).role(user).doesNotExist();
    assertThat(GroundTruth.privilegeFindings(server, "shop", user)).isEmpty();
    assertThat(GroundTruth.privilegeFindings(server, "postgres", user)).isEmpty();
    // The bundle stays for the next person until sweeps drop it unused (the first marks it, the
    // next, after the cleanup period of 0 days, drops it): then the server is as it was.
    manager.sweep();
    manager.sweep();
    assertThat(serverState()).isEqualTo(before);
  }

  /**
   * Every ACL of the {@code shop} database (the database, its schemas, relations, columns,
   * functions and default privileges) and every role membership, read as the superuser.
   */
  private static List<String> serverState() throws SQLException {
    String sql =
        "SELECT 'database ' || datname || ' ' || coalesce(datacl::text, '')"
            + " FROM pg_database WHERE datname = current_database()"
            + " UNION ALL SELECT 'schema ' || nspname || ' ' || coalesce(nspacl::text, '')"
            + " FROM pg_namespace"
            + " UNION ALL SELECT 'relation ' || oid::regclass::text || ' '"
            + " || coalesce(relacl::text, '') FROM pg_class"
            + " UNION ALL SELECT 'column ' || attrelid::regclass::text || '.' || attname || ' '"
            + " || attacl::text FROM pg_attribute WHERE attacl IS NOT NULL"
            + " UNION ALL SELECT 'function ' || oid::regprocedure::text || ' '"
            + " || coalesce(proacl::text, '') FROM pg_proc"
            + " UNION ALL SELECT 'default ' || defaclrole::regrole::text || ' '"
            + " || defaclobjtype::text || ' ' || defaclacl::text FROM pg_default_acl"
            + " UNION ALL SELECT 'member ' || roleid::regrole::text || ' ' || member::regrole::text"
            + " FROM pg_auth_members ORDER BY 1";
    List<String> out = new ArrayList<>();
    try (Connection c = GroundTruth.connection(server, "shop");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Provide
  Arbitrary<String> grantees() {
    // A grantee is a person's identity: not blank, no control characters (AccessRequest's rule).
    return Arbitraries.oneOf(
        GrantsmithArbitraries.hostileIdentifiers()
            .filter(s -> !s.isBlank() && s.chars().noneMatch(Character::isISOControl)),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(s -> s + "@example.com"));
  }

  @Provide
  Arbitrary<String> tables() {
    return Arbitraries.of("orders", "items");
  }
}
