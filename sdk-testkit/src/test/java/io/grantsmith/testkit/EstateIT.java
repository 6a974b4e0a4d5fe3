package io.grantsmith.testkit;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

class EstateIT {

  @AzurePostgresTest
  void createsEveryDescribedObjectOwnedByTheAdmin(AzurePostgres server, TestDatabase db)
      throws SQLException {
    Estate estate =
        Estate.builder()
            .inDatabase(db.name())
            .schemas(2)
            .tables(3)
            .views(1)
            .sequences(1)
            .functions(1)
            .hostileNames(true)
            .chunkSize(100)
            .create(server);
    Estate.Database d = estate.database(db.name());
    int hostile = Estate.HOSTILE_NAMES.size();
    assertThat(d.schemas()).hasSize(2 + hostile);
    assertThat(d.tables()).hasSize(6 + hostile * hostile);
    assertThat(d.views()).hasSize(2 + hostile * hostile);
    assertThat(d.functions()).hasSize(2 + hostile * hostile);
    assertThat(estate.tableCount()).isEqualTo(d.tables().size());

    List<String> relations = new ArrayList<>();
    d.tables().forEach(r -> relations.add(r.sql()));
    d.views().forEach(r -> relations.add(r.sql()));
    d.sequences().forEach(r -> relations.add(r.sql()));
    try (Connection su = server.superuserConnection(db.name())) {
      try (PreparedStatement ps =
          su.prepareStatement(
              "SELECT count(*) FILTER (WHERE c.oid IS NULL),"
                  + " count(*) FILTER (WHERE pg_get_userbyid(c.relowner) <> 'serveradmin')"
                  + " FROM unnest(?::text[]) AS n LEFT JOIN pg_class c ON c.oid = to_regclass(n)")) {
        ps.setArray(1, su.createArrayOf("text", relations.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as("missing relations").isZero();
          assertThat(rs.getInt(2)).as("relations not owned by the admin").isZero();
        }
      }
      try (PreparedStatement ps =
          su.prepareStatement(
              "SELECT count(*) FROM unnest(?::text[]) AS f"
                  + " WHERE to_regprocedure(f) IS NULL")) {
        ps.setArray(
            1,
            su.createArrayOf(
                "text", d.functions().stream().map(Estate.Function::signature).toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as("missing functions").isZero();
        }
      }
      try (Statement s = su.createStatement();
          ResultSet rs = s.executeQuery("SELECT \"a\".\"fn1\"(1)".replace("\"a\"", "s1"))) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
  }

  @AzurePostgresTest(versions = 17)
  void createsFiveThousandTablesInAFewSeconds(AzurePostgres server) {
    long start = System.nanoTime();
    Estate estate = Estate.builder().schemas(200).tables(25).create(server);
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("Estate of 200 schemas x 25 tables created in " + millis + " ms");
    assertThat(estate.tableCount()).isEqualTo(5000);
    // About 3 s on an idle 2-core machine; the bound only catches pathologies on a loaded CI host.
    assertThat(millis).isLessThan(120_000);
  }
}
