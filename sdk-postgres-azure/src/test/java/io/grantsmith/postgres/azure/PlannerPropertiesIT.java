package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.PostgresVersion;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * On a real server, as the connector: from any generated starting state, applying the plan to
 * any generated desired state reaches it exactly, and planning again gives an empty plan.
 * Runs on the first configured version.
 */
class PlannerPropertiesIT {
  private static final AtomicInteger ROLES = new AtomicInteger();
  private static AzurePostgres server;
  private static TestConnector connector;
  private static String db;
  private static List<ResourceRef> objects;

  @BeforeContainer
  static void estate() throws Exception {
    server = AzurePostgres.shared(PostgresVersion.configured().get(0).major());
    db = server.createDatabase();
    try (Connection admin = server.adminConnection(db); Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA app; CREATE SCHEMA \"Odd; \"\"Schema\"\"\";"
          + " CREATE TABLE app.a (id serial); CREATE TABLE app.\"B b\" (id int);"
          + " CREATE VIEW app.v AS SELECT 1 AS one; CREATE TABLE \"Odd; \"\"Schema\"\"\".t (x int);"
          + " CREATE SEQUENCE app.s; CREATE FUNCTION app.f(n integer) RETURNS int"
          + " LANGUAGE sql AS 'SELECT n'");
    }
    connector = TestConnector.create(server, db);
    objects = new ArrayList<>();
    for (ResourceRef o : connector.reader().read(db).objects()) {
      if (o.kind() != ResourceKind.SCHEMA || !o.schema().get().equals("public")) {
        objects.add(o);
      }
    }
  }

  @Property(tries = 25)
  void anyPlanReachesItsDesiredStateAndReplanningIsEmpty(
      @ForAll("states") List<Set<Privilege>> start, @ForAll("states") List<Set<Privilege>> goal) {
    String role = "pp_" + ROLES.incrementAndGet() + "_" + db.substring(Math.max(0, db.length() - 8));
    Planner planner = Planner.builder().build();
    DesiredState first = desired(role, start);
    connector.executor().apply(planner.plan(first, connector.snapshots(db)));
    DesiredState wanted = desired(role, goal);

    connector.executor().apply(planner.plan(wanted, connector.snapshots(db)));

    List<CatalogSnapshot> after = connector.snapshots(db);
    assertThat(PlannerIT.held(after.get(1), role)).isEqualTo(PlannerIT.wanted(wanted, db));
    assertThat(planner.plan(wanted, after).isEmpty()).as("replanning is empty").isTrue();
  }

  private static DesiredState desired(String role, List<Set<Privilege>> privileges) {
    DesiredState.Builder d = DesiredState.builder().addRole(RoleSpec.builder().name(role).build());
    for (int i = 0; i < objects.size(); i++) {
      Set<Privilege> p = EnumSet.noneOf(Privilege.class);
      for (Privilege x : privileges.get(i)) {
        if (x.appliesTo(objects.get(i).kind()) && x.isSupportedOn(server.majorVersion())) {
          p.add(x);
        }
      }
      if (!p.isEmpty()) {
        d.addGrant(Grant.builder().grantee(role).resource(objects.get(i)).addAllPrivileges(p)
            .build());
      }
    }
    return d.build();
  }

  @Provide
  Arbitrary<List<Set<Privilege>>> states() {
    return Arbitraries.of(Privilege.class).set().ofMaxSize(4)
        .map(s -> s.isEmpty() ? Set.<Privilege>of() : (Set<Privilege>) EnumSet.copyOf(s))
        .list().ofSize(objects.size());
  }
}
