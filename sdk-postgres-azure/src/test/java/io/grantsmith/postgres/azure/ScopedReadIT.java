package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Grant;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

class ScopedReadIT {

  @AzurePostgresTest
  void readsTheNamedSchemasAndWhatTheRoleHolds(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, db);
    String role = "scoped_" + db;
    try (Connection c = server.superuserConnection(db); Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + role + " NOLOGIN");
      st.execute("CREATE SCHEMA a; CREATE TABLE a.t1 (x int); CREATE SEQUENCE a.s1");
      st.execute("CREATE SCHEMA b; CREATE TABLE b.held (x int); CREATE TABLE b.other (x int)");
      st.execute("CREATE FUNCTION b.f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
      st.execute("CREATE SCHEMA c; CREATE TABLE c.owned (x int); CREATE TABLE c.other (x int)");
      st.execute("GRANT SELECT ON b.held TO " + role);
      st.execute("GRANT USAGE ON SCHEMA b TO " + role);
      st.execute("GRANT EXECUTE ON FUNCTION b.f() TO " + role);
      st.execute("GRANT CREATE ON SCHEMA c TO " + role);
      st.execute("ALTER TABLE c.owned OWNER TO " + role);
    }
    CatalogSnapshot full = tc.reader().read(db);
    CatalogSnapshot scoped = tc.reader().read(db, List.of("a"), role);

    assertThat(scoped.grantsTo(role)).isEqualTo(full.grantsTo(role)).isNotEmpty();
    assertThat(scoped.roles()).isEqualTo(full.roles());
    assertThat(scoped.memberships()).isEqualTo(full.memberships());
    assertThat(scoped.defaultPrivileges()).isEqualTo(full.defaultPrivileges());
    assertThat(scoped.majorVersion()).isEqualTo(full.majorVersion());
    for (ResourceRef o : full.objects()) {
      boolean inScope = o.schema().map("a"::equals).orElse(true)
          || full.grantsTo(role).stream().anyMatch(g -> g.resource().equals(o));
      assertThat(scoped.objects().contains(o)).as(o.toString()).isEqualTo(inScope);
      if (inScope) {
        assertThat(on(scoped, o)).as(o.toString()).isEqualTo(on(full, o));
      }
    }
    assertThat(scoped.objects()).contains(ResourceRef.relation(db, "c", "owned"))
        .doesNotContain(ResourceRef.relation(db, "b", "other"));
  }

  private static Set<Grant> on(CatalogSnapshot s, ResourceRef o) {
    return s.grants().stream().filter(g -> g.resource().equals(o)).collect(Collectors.toSet());
  }
}
