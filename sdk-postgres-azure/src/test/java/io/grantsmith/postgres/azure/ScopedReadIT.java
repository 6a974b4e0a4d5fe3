package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.GrantsmithArbitraries;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

class ScopedReadIT {

  @AzurePostgresTest
  void readsTheNamedSchemasAndWhatTheRoleHolds(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, db);
    String role = "scoped_" + db;
    try (Connection c = server.superuserConnection(db);
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + role + " NOLOGIN");
      st.execute("CREATE SCHEMA a; CREATE TABLE a.t1 (x int); CREATE SEQUENCE a.s1");
      st.execute("CREATE SCHEMA b; CREATE TABLE b.held (x int); CREATE TABLE b.other (x int)");
      st.execute("CREATE FUNCTION b.f() RETURNS int LANGUAGE sql AS 'SELECT 1'");
      st.execute("CREATE SCHEMA c; CREATE TABLE c.owned (x int); CREATE TABLE c.other (x int)");
      st.execute("GRANT SELECT ON b.held TO " + role);
      st.execute("GRANT USAGE ON SCHEMA b TO " + role);
      st.execute("GRANT EXECUTE ON FUNCTION b.f() TO " + role);
      st.execute("GRANT CREATE ON SCHEMA c TO " + role);
      st.execute("GRANT UPDATE ON b.other TO " + role + " WITH GRANT OPTION");
      st.execute("ALTER TABLE c.owned OWNER TO " + role);
    }
    CatalogSnapshot full = tc.reader().read(db);
    CatalogSnapshot forRole = tc.reader().readFor(role, db);
    CatalogSnapshot scoped = tc.reader().readFor(role, db, List.of("a"));

    for (CatalogSnapshot s : List.of(forRole, scoped)) {
      assertThat(s.grants()).isEqualTo(full.grantsTo(role)).isNotEmpty();
      assertThat(s.roles()).isEqualTo(full.roles());
      assertThat(s.memberships()).isEqualTo(full.memberships());
      assertThat(s.defaultPrivileges()).isEqualTo(full.defaultPrivileges());
      assertThat(s.majorVersion()).isEqualTo(full.majorVersion());
    }
    assertThat(forRole.objects()).isEqualTo(full.objects());
    assertThat(full.grants()).hasSizeGreaterThan(forRole.grants().size());
    for (ResourceRef o : full.objects()) {
      boolean inScope =
          o.schema().map("a"::equals).orElse(true)
              || full.grantsTo(role).stream().anyMatch(g -> g.resource().equals(o));
      assertThat(scoped.objects().contains(o)).as(o.toString()).isEqualTo(inScope);
    }
    assertThat(scoped.objects())
        .contains(ResourceRef.relation(db, "c", "owned"), ResourceRef.relation(db, "b", "other"))
        .doesNotContain(ResourceRef.relation(db, "c", "other"));
    assertThat(full.grantsTo(role))
        .contains(
            Grant.builder()
                .grantee(role)
                .resource(ResourceRef.relation(db, "b", "other"))
                .addPrivileges(Privilege.UPDATE)
                .withGrantOption(true)
                .build());
  }

  /**
   * The reader parses ACLs as text; the server's own aclexplode, joined to pg_roles, is the ground
   * truth, for roles with hostile names (quotes, commas, equals signs, slashes, spaces, Unicode, 63
   * bytes), grant options, PUBLIC, several grantors and default privileges.
   */
  @AzurePostgresTest
  void grantsAreWhatAclexplodeSays(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, db);
    Set<String> names =
        new LinkedHashSet<>(
            List.of(
                "a=b/c,d",
                "\"quoted\"",
                "x*",
                "UPPER",
                "sp ace",
                "日本語",
                "é".repeat(31),
                "{brace}",
                "back\\slash",
                "new\nline",
                "=",
                "/",
                ","));
    GrantsmithArbitraries.hostileIdentifiers()
        .sampleStream()
        .filter(
            n ->
                !n.startsWith("pg_")
                    && !n.equalsIgnoreCase("public")
                    && n.indexOf('\0') < 0
                    && !n.isBlank())
        .limit(40)
        .forEach(names::add);
    List<String> roles = new ArrayList<>(names);
    try (Connection c = server.superuserConnection(db);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE SCHEMA s; CREATE TABLE s.t (x int); CREATE SEQUENCE s.q;"
              + " CREATE FUNCTION s.f(int, text) RETURNS int LANGUAGE sql AS 'SELECT 1';"
              + " CREATE ROLE acl_grantor; GRANT ALL ON s.t TO acl_grantor WITH GRANT OPTION;"
              + " GRANT USAGE ON SCHEMA s TO acl_grantor;"
              + " GRANT SELECT ON s.t TO PUBLIC");
      int i = 0;
      for (String name : roles) {
        String r = q(fit(name, "#" + i++));
        st.execute("CREATE ROLE " + r);
        st.execute(
            "GRANT SELECT, UPDATE ON s.t TO " + r + (i % 2 == 0 ? " WITH GRANT OPTION" : ""));
        st.execute("SET ROLE acl_grantor; GRANT INSERT ON s.t TO " + r + "; RESET ROLE");
        st.execute(
            "GRANT USAGE ON SCHEMA s TO "
                + r
                + "; GRANT USAGE ON s.q TO "
                + r
                + (i % 3 == 0 ? " WITH GRANT OPTION" : ""));
        st.execute("GRANT EXECUTE ON FUNCTION s.f(int, text) TO " + r);
        st.execute("GRANT TEMPORARY ON DATABASE " + q(db) + " TO " + r);
        st.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT DELETE ON TABLES TO " + r);
        if (i % 7 == 0) {
          st.execute("ALTER SCHEMA s OWNER TO " + r);
        }
      }
    }
    CatalogSnapshot full = tc.reader().read(db);
    Set<List<Object>> expected = new HashSet<>();
    try (Connection c = server.superuserConnection(db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT k, name, g.rolname, x.privilege_type, x.is_grantable"
                    + " FROM (SELECT 'schema' AS k, nspname::text AS name,"
                    + "         coalesce(nspacl, acldefault('n', nspowner)) AS acl"
                    + "         FROM pg_namespace WHERE nspname = 's'"
                    + "       UNION ALL SELECT 'rel', relname::text, coalesce(relacl, acldefault("
                    + "         CASE WHEN relkind = 'S' THEN 's' ELSE 'r' END::\"char\", relowner))"
                    + "         FROM pg_class WHERE relnamespace = 's'::regnamespace"
                    + "       UNION ALL SELECT 'fn', proname::text,"
                    + "         coalesce(proacl, acldefault('f', proowner))"
                    + "         FROM pg_proc WHERE pronamespace = 's'::regnamespace"
                    + "       UNION ALL SELECT 'db', datname::text,"
                    + "         coalesce(datacl, acldefault('d', datdba))"
                    + "         FROM pg_database WHERE datname = current_database()) o,"
                    + " aclexplode(o.acl) x JOIN pg_roles g ON g.oid = x.grantee")) {
      while (rs.next()) {
        expected.add(
            List.of(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getBoolean(5)));
      }
    }
    Set<List<Object>> actual = new HashSet<>();
    for (Grant g : full.grants()) {
      ResourceRef r = g.resource();
      if (r.schema().map("s"::equals).orElse(r.kind() == io.grantsmith.api.ResourceKind.DATABASE)) {
        String k =
            switch (r.kind()) {
              case SCHEMA -> "schema";
              case FUNCTION -> "fn";
              case DATABASE -> "db";
              default -> "rel";
            };
        String name =
            switch (r.kind()) {
              case SCHEMA -> r.schema().get();
              case DATABASE -> r.database().get();
              default -> r.name().get();
            };
        for (Privilege p : g.privileges()) {
          actual.add(List.of(k, name, g.grantee(), p.keyword(), g.withGrantOption()));
        }
      }
    }
    assertThat(actual).isEqualTo(expected).hasSizeGreaterThan(roles.size() * 6);
    Set<List<Object>> defaults =
        full.defaultPrivileges().stream()
            .filter(d -> d.schema().map("s"::equals).orElse(false))
            .flatMap(d -> d.privileges().stream().map(p -> List.<Object>of(d.grantee(), p)))
            .collect(Collectors.toSet());
    assertThat(defaults).hasSize(roles.size()).allMatch(d -> d.get(1) == Privilege.DELETE);
    // Read for one hostile role: exactly its grants.
    for (String role :
        full.grants().stream()
            .map(Grant::grantee)
            .distinct()
            .limit(10)
            .collect(Collectors.toList())) {
      assertThat(tc.reader().readFor(role, db).grants()).isEqualTo(full.grantsTo(role));
      assertThat(tc.reader().readFor(role, db, List.of()).grants()).isEqualTo(full.grantsTo(role));
    }
  }

  /** {@code base} cut to a code point boundary so that it and {@code suffix} fit 63 bytes. */
  private static String fit(String base, String suffix) {
    String s = base;
    while ((s + suffix).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 63) {
      s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
    }
    return s + suffix;
  }

  private static String q(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
