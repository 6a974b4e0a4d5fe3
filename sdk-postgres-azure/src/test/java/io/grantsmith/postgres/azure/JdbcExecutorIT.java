package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grantsmith.api.ApplyException;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class JdbcExecutorIT {

  @AzurePostgresTest
  void aFailureNamesTheDatabaseStepStatementAndWhatWasCommitted(AzurePostgres server,
      TestDatabase db) throws Exception {
    TestConnector connector = TestConnector.create(server, db.name());
    String role = "r_" + UUID.randomUUID().toString().substring(0, 8);
    Plan plan = Plan.builder()
        .addStep(Step.builder().database("postgres").description("create")
            .addStatement(Statement.of("postgres", "CREATE ROLE " + role, "create")).build())
        .addStep(Step.builder().database(db.name()).description("grant to a missing role")
            .addStatement(Statement.of(db.name(), "GRANT USAGE ON SCHEMA public TO " + role,
                "fine"))
            .addStatement(Statement.of(db.name(), "GRANT USAGE ON SCHEMA public TO nobody_here",
                "fails")).build())
        .build();

    ApplyException e = catchThrowableOfType(ApplyException.class,
        () -> connector.executor().apply(plan));

    assertThat(e.sqlState()).contains("42704");
    assertThat(e.database()).isEqualTo(db.name());
    assertThat(e.step()).contains("grant to a missing role");
    assertThat(e.statement()).contains("GRANT USAGE ON SCHEMA public TO nobody_here");
    assertThat(e.committedDatabases()).containsExactly("postgres");
    assertThat(e.getMessage()).contains(db.name()).contains("42704").contains("postgres");
    // The failed database's transaction was rolled back as a whole.
    assertThat(connector.reader().read(db.name()).grantsTo(role)).isEmpty();
  }

  @AzurePostgresTest
  void aGrantTheServerIgnoresForLackOfTheGrantOptionFailsTheTransaction(AzurePostgres server,
      TestDatabase db, Connection admin) throws Exception {
    try (java.sql.Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA s; CREATE TABLE s.granted (id int); CREATE TABLE s.kept (id int)");
    }
    TestConnector connector = TestConnector.create(server, db.name());
    try (java.sql.Statement st = admin.createStatement()) {
      // The connector may still grant SELECT on s.kept, but no longer INSERT: the server grants
      // what it can and only warns (01007) about the rest.
      st.execute("REVOKE GRANT OPTION FOR INSERT ON TABLE s.kept FROM azure_pg_admin");
    }
    String role = "w_" + UUID.randomUUID().toString().substring(0, 8);
    DesiredState desired = DesiredState.builder().addRole(RoleSpec.builder().name(role).build())
        .addGrant(Grant.builder().grantee(role).resource(ResourceRef.relation(db.name(), "s",
            "granted")).addPrivilege(Privilege.SELECT).build())
        .addGrant(Grant.builder().grantee(role).resource(ResourceRef.relation(db.name(), "s",
            "kept")).addPrivileges(Privilege.SELECT, Privilege.INSERT).build())
        .build();

    ApplyException e = catchThrowableOfType(ApplyException.class, () -> connector.executor()
        .apply(Planner.builder().build().plan(desired, connector.snapshots(db.name()))));

    assertThat(e.sqlState()).contains("01007");
    assertThat(e.database()).isEqualTo(db.name());
    assertThat(e.statement()).contains("GRANT SELECT, INSERT ON TABLE s.kept TO " + role);
    assertThat(connector.reader().read(db.name()).grantsTo(role)).isEmpty();
  }

  @AzurePostgresTest
  void concurrentCallersGrantingOnTheSameObjectsNeverFail(AzurePostgres server, TestDatabase db,
      Connection admin) throws Exception {
    io.grantsmith.testkit.Estate.builder().inDatabase(db.name()).schemas(2).tables(20)
        .create(server);
    TestConnector connector = TestConnector.create(server, db.name());
    List<ResourceRef> tables = new ArrayList<>();
    for (ResourceRef o : connector.reader().read(db.name()).objects()) {
      if (o.kind() == ResourceKind.RELATION || o.kind() == ResourceKind.SCHEMA) {
        tables.add(o);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String role = "c_" + t + "_" + UUID.randomUUID().toString().substring(0, 6);
        done.add(pool.submit(() -> {
          for (int round = 0; round < 3; round++) {
            DesiredState.Builder d = DesiredState.builder()
                .addRole(RoleSpec.builder().name(role).build());
            if (round != 1) {
              for (ResourceRef o : tables) {
                d.addGrant(Grant.builder().grantee(role).resource(o)
                    .addPrivilege(o.kind() == ResourceKind.SCHEMA ? Privilege.USAGE
                        : Privilege.SELECT).build());
              }
            }
            connector.executor().apply(Planner.builder().build().plan(d.build(),
                connector.snapshots(db.name())));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
