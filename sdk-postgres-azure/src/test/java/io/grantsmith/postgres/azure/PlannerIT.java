package io.grantsmith.postgres.azure;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The planner and the JDBC executor against a real, Azure-shaped server, as the connector. */
class PlannerIT {
  private static final Logger LOG = LoggerFactory.getLogger(PlannerIT.class);

  private static String role() {
    return "u_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void exec(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @AzurePostgresTest
  void appliedPlanReachesTheDesiredStateAndReplanningIsEmpty(
      AzurePostgres server, TestDatabase db, Connection admin) throws Exception {
    exec(
        admin,
        "CREATE SCHEMA sales; CREATE TABLE sales.orders (id serial, v text);"
            + " CREATE VIEW sales.recent AS SELECT * FROM sales.orders;"
            + " CREATE FUNCTION sales.total(a integer, b text) RETURNS int LANGUAGE sql AS 'SELECT 1';"
            + " CREATE TABLE public.other (id int)");
    TestConnector connector = TestConnector.create(server, db.name());
    String user = role();
    Secret password = Secret.of("pw-" + UUID.randomUUID());
    String name = db.name();
    DesiredState desired =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name(user).login(true).password(password).build())
            .addGrant(grant(user, ResourceRef.database(name), Privilege.CONNECT))
            .addGrant(grant(user, ResourceRef.schema(name, "sales"), Privilege.USAGE))
            .addGrant(
                grant(
                    user,
                    ResourceRef.relation(name, "sales", "orders"),
                    Privilege.SELECT,
                    Privilege.INSERT))
            .addGrant(grant(user, ResourceRef.relation(name, "sales", "recent"), Privilege.SELECT))
            .addGrant(
                grant(user, ResourceRef.sequence(name, "sales", "orders_id_seq"), Privilege.USAGE))
            .addGrant(
                grant(
                    user,
                    ResourceRef.function(name, "sales", "total", "a integer, b text"),
                    Privilege.EXECUTE))
            .build();
    Planner planner = Planner.builder().build();

    Plan plan = planner.plan(desired, connector.snapshots(name));
    connector.executor().apply(plan);

    List<CatalogSnapshot> after = connector.snapshots(name);
    DesiredState withoutPassword =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name(user).login(true).build())
            .addAllGrants(desired.grants())
            .build();
    assertThat(planner.plan(withoutPassword, after).toSql()).as("replanning").isEmpty();
    assertThat(held(after.get(1), user)).isEqualTo(wanted(desired, name));
    assertThat(server)
        .user(user, password.reveal())
        .canLogin(name)
        .canSelectFrom(name, "sales.orders")
        .canInsertInto(name, "sales.orders")
        .canSelectFrom(name, "sales.recent")
        .cannotInsertInto(name, "sales.recent")
        .cannotSelectFrom(name, "public.other")
        .canExecute(name, "sales.total(1, 'x')");

    // Narrowing the desired state revokes what is no longer wanted, on every object kind.
    DesiredState narrower =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name(user).login(true).build())
            .addGrant(grant(user, ResourceRef.database(name), Privilege.CONNECT))
            .addGrant(grant(user, ResourceRef.schema(name, "sales"), Privilege.USAGE))
            .addGrant(grant(user, ResourceRef.relation(name, "sales", "orders"), Privilege.SELECT))
            .build();
    connector.executor().apply(planner.plan(narrower, connector.snapshots(name)));
    List<CatalogSnapshot> narrowed = connector.snapshots(name);
    assertThat(planner.plan(narrower, narrowed).isEmpty()).isTrue();
    assertThat(held(narrowed.get(1), user)).isEqualTo(wanted(narrower, name));
    assertThat(server)
        .user(user, password.reveal())
        .canSelectFrom(name, "sales.orders")
        .cannotInsertInto(name, "sales.orders")
        .cannotSelectFrom(name, "sales.recent");
  }

  @AzurePostgresTest
  void dryRunScriptRunByHandHasTheSameEffectAsTheExecutor(
      AzurePostgres server, TestDatabase db, Connection admin) throws Exception {
    exec(
        admin,
        "CREATE SCHEMA s; CREATE TABLE s.t (id int); CREATE TABLE s.\"Odd \"\"T\"\"\" (id int)");
    TestConnector connector = TestConnector.create(server, db.name());
    String name = db.name();
    String viaExecutor = role();
    String viaScript = role();
    Planner planner = Planner.builder().build();
    for (String user : List.of(viaExecutor, viaScript)) {
      DesiredState desired =
          DesiredState.builder()
              .addRole(RoleSpec.builder().name(user).build())
              .addGrant(grant(user, ResourceRef.schema(name, "s"), Privilege.USAGE))
              .addGrant(grant(user, ResourceRef.relation(name, "s", "t"), Privilege.SELECT))
              .addGrant(
                  grant(
                      user,
                      ResourceRef.relation(name, "s", "Odd \"T\""),
                      Privilege.SELECT,
                      Privilege.UPDATE))
              .build();
      Plan plan = planner.plan(desired, connector.snapshots(name));
      if (user.equals(viaExecutor)) {
        connector.executor().apply(plan);
      } else {
        // What psql would do with plan.toSql(): each \connect switches the session.
        String database = null;
        for (String line : plan.toSql().split("\n")) {
          if (line.startsWith("\\connect ")) {
            database = line.substring(10, line.length() - 1).replace("\\'", "'");
          } else if (!line.startsWith("--") && !line.isBlank()) {
            try (Connection c = connector.connections().open(database)) {
              exec(c, line);
            }
          }
        }
      }
    }
    CatalogSnapshot s = connector.reader().read(name);
    assertThat(held(s, viaScript)).isEqualTo(held(s, viaExecutor)).isNotEmpty();
  }

  @AzurePostgresTest
  void readOnlyOnTwoHundredSchemasTakesAHandfulOfRoundTrips(
      AzurePostgres server, TestDatabase db, Connection admin) throws Exception {
    io.grantsmith.testkit.Estate.builder()
        .inDatabase(db.name())
        .schemas(200)
        .tables(25)
        .create(server);
    TestConnector connector = TestConnector.create(server, db.name());
    String user = role();
    String name = db.name();
    CatalogSnapshot before = connector.reader().read(name);
    DesiredState.Builder desired =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name(user).build())
            .addGrant(grant(user, ResourceRef.database(name), Privilege.CONNECT));
    int privileges = 1;
    for (ResourceRef o : before.objects()) {
      if (o.kind() == ResourceKind.SCHEMA && !o.schema().get().equals("public")) {
        desired.addGrant(grant(user, o, Privilege.USAGE));
        privileges++;
      } else if (o.kind() == ResourceKind.RELATION) {
        desired.addGrant(grant(user, o, Privilege.SELECT));
        privileges++;
      }
    }
    long t0 = System.nanoTime();
    Plan plan =
        Planner.builder()
            .build()
            .plan(desired.build(), List.of(connector.reader().read("postgres"), before));
    long planned = System.nanoTime();
    ApplyResult result = connector.executor().apply(plan);
    long applied = System.nanoTime();
    LOG.info(
        "Read-only on {} privileges: {} statements, {} round trips; planned in {} ms,"
            + " applied in {} ms",
        privileges,
        result.statements(),
        result.roundTrips(),
        (planned - t0) / 1_000_000,
        (applied - planned) / 1_000_000);
    assertThat(result.roundTrips()).isLessThanOrEqualTo(10);
    assertThat(held(connector.reader().read(name), user)).hasSize(privileges);
  }

  static Grant grant(String grantee, ResourceRef on, Privilege... privileges) {
    return Grant.builder().grantee(grantee).resource(on).addPrivileges(privileges).build();
  }

  /** (resource, privilege, grant option) held by a role. */
  static Set<List<Object>> held(CatalogSnapshot s, String role) {
    return s.grantsTo(role).stream()
        .flatMap(
            g ->
                g.privileges().stream()
                    .map(p -> List.<Object>of(g.resource(), p, g.withGrantOption())))
        .collect(Collectors.toSet());
  }

  static Set<List<Object>> wanted(DesiredState d, String db) {
    return d.grants().stream()
        .filter(g -> g.resource().requireDatabase().equals(db))
        .flatMap(
            g ->
                g.privileges().stream()
                    .map(p -> List.<Object>of(g.resource(), p, g.withGrantOption())))
        .collect(Collectors.toSet());
  }
}
