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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class JdbcExecutorIT {

  @AzurePostgresTest
  void aFailureNamesTheDatabaseStepStatementAndWhatWasCommitted(
      AzurePostgres server, TestDatabase db, Connection admin) throws Exception {
    TestConnector connector = TestConnector.create(server, db.name());
    String role = "r_" + UUID.randomUUID().toString().substring(0, 8);
    Plan plan =
        Plan.builder()
            .addStep(
                Step.builder()
                    .database("postgres")
                    .description("create")
                    .addStatement(Statement.of("postgres", "CREATE ROLE " + role, "create"))
                    .build())
            .addStep(
                Step.builder()
                    .database(db.name())
                    .description("grant to a missing role")
                    .addStatement(
                        Statement.of(db.name(), "GRANT USAGE ON SCHEMA public TO " + role, "fine"))
                    .addStatement(
                        Statement.of(
                            db.name(), "GRANT USAGE ON SCHEMA public TO nobody_here", "fails"))
                    .build())
            .build();

    ApplyException e =
        catchThrowableOfType(ApplyException.class, () -> connector.executor().apply(plan));

    assertThat(e.sqlState()).contains("42704");
    assertThat(e.database()).isEqualTo(db.name());
    assertThat(e.step()).contains("grant to a missing role");
    assertThat(e.statement()).contains("GRANT USAGE ON SCHEMA public TO nobody_here");
    assertThat(e.committedDatabases()).containsExactly("postgres");
    assertThat(e.getMessage()).contains(db.name()).contains("42704").contains("postgres");
    // The failed database's transaction was rolled back as a whole.
    assertThat(connector.reader().read(db.name()).grantsTo(role)).isEmpty();
    // The server, read as the admin: the committed step's role exists, the rolled-back grant
    // that came before the failing statement is not there.
    assertThat(roleExists(admin, role)).as("role %s, created in the committed step", role).isTrue();
    assertThat(aclEntries(admin, role)).as("ACL entries of %s in %s", role, db.name()).isEmpty();
  }

  @AzurePostgresTest
  void aGrantTheServerIgnoresForLackOfTheGrantOptionFailsTheTransaction(
      AzurePostgres server, TestDatabase db, Connection admin) throws Exception {
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
    DesiredState desired =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name(role).build())
            .addGrant(
                Grant.builder()
                    .grantee(role)
                    .resource(ResourceRef.relation(db.name(), "s", "granted"))
                    .addPrivilege(Privilege.SELECT)
                    .build())
            .addGrant(
                Grant.builder()
                    .grantee(role)
                    .resource(ResourceRef.relation(db.name(), "s", "kept"))
                    .addPrivileges(Privilege.SELECT, Privilege.INSERT)
                    .build())
            .build();

    ApplyException e =
        catchThrowableOfType(
            ApplyException.class,
            () ->
                connector
                    .executor()
                    .apply(
                        Planner.builder().build().plan(desired, connector.snapshots(db.name()))));

    assertThat(e.sqlState()).contains("01007");
    assertThat(e.database()).isEqualTo(db.name());
    assertThat(e.statement()).contains("GRANT SELECT, INSERT ON TABLE s.kept TO " + role);
    assertThat(connector.reader().read(db.name()).grantsTo(role)).isEmpty();
    // The server, read as the admin: not even the grant the server carried out (SELECT on
    // s.granted, and SELECT on s.kept) survived the failed transaction.
    assertThat(aclEntries(admin, role)).as("ACL entries of %s in %s", role, db.name()).isEmpty();
  }

  @AzurePostgresTest
  void concurrentCallersGrantingOnTheSameObjectsNeverFail(
      AzurePostgres server, TestDatabase db, Connection admin) throws Exception {
    int schemas = 2;
    int tablesPerSchema = 20;
    io.grantsmith.testkit.Estate.builder()
        .inDatabase(db.name())
        .schemas(schemas)
        .tables(tablesPerSchema)
        .create(server);
    TestConnector connector = TestConnector.create(server, db.name());
    List<ResourceRef> tables = new ArrayList<>();
    for (ResourceRef o : connector.reader().read(db.name()).objects()) {
      if (o.kind() == ResourceKind.RELATION || o.kind() == ResourceKind.SCHEMA) {
        tables.add(o);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<String> roles = new ArrayList<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String role = "c_" + t + "_" + UUID.randomUUID().toString().substring(0, 6);
        roles.add(role);
        done.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 3; round++) {
                    DesiredState.Builder d =
                        DesiredState.builder().addRole(RoleSpec.builder().name(role).build());
                    if (round != 1) {
                      for (ResourceRef o : tables) {
                        d.addGrant(
                            Grant.builder()
                                .grantee(role)
                                .resource(o)
                                .addPrivilege(
                                    o.kind() == ResourceKind.SCHEMA
                                        ? Privilege.USAGE
                                        : Privilege.SELECT)
                                .build());
                      }
                    }
                    connector
                        .executor()
                        .apply(
                            Planner.builder()
                                .build()
                                .plan(d.build(), connector.snapshots(db.name())));
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
    // The server, read as the admin: every caller's last round (grants again after round 1
    // took them away) holds, exactly: USAGE on each schema and SELECT on each relation.
    List<String> expected = new ArrayList<>();
    for (ResourceRef o : tables) {
      expected.add(
          o.kind() == ResourceKind.SCHEMA
              ? "schema " + o.schema().orElseThrow() + " USAGE"
              : "relation " + o.schema().orElseThrow() + "." + o.name().orElseThrow() + " SELECT");
    }
    assertThat(expected)
        .as("objects of the estate")
        .hasSizeGreaterThanOrEqualTo(schemas + schemas * tablesPerSchema);
    for (String role : roles) {
      assertThat(roleExists(admin, role)).as(role).isTrue();
      assertThat(aclEntries(admin, role))
          .as("ACL entries of %s", role)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static boolean roleExists(Connection admin, String role) throws SQLException {
    try (PreparedStatement ps =
        admin.prepareStatement("SELECT count(*) FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  /**
   * What the server's ACLs give {@code role} on the schemas and relations of the admin's database,
   * read with {@code aclexplode}: {@code "schema NAME PRIV"} and {@code "relation SCHEMA.NAME
   * PRIV"}.
   */
  private static List<String> aclEntries(Connection admin, String role) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        admin.prepareStatement(
            "SELECT 'schema ' || n.nspname"
                + " || ' ' || a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a"
                + " WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = ?)"
                + " UNION ALL SELECT 'relation ' || n.nspname || '.' || c.relname || ' '"
                + " || a.privilege_type FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,"
                + " aclexplode(c.relacl) a WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = ?)")) {
      ps.setString(1, role);
      ps.setString(2, role);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
