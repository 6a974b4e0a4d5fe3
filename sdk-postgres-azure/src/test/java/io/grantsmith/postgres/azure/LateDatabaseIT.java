package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A database created after the connector setup: verify lists it with the SQL that closes the
 * gap, and every other gap with its fix.
 */
class LateDatabaseIT {

  static String suffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  @AzurePostgresTest
  void verifyListsALateDatabaseWithTheSqlThatClosesTheGap(AzurePostgres server)
      throws Exception {
    String early = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, early);
    String late = server.createDatabase();
    estate(server, late);
    ConnectorSetup setup = ConnectorSetup.builder().majorVersion(server.majorVersion())
        .connectorName(tc.name).build();

    SetupVerification check = setup.verify(tc.connections(), List.of(early, late));
    assertThat(check.isOk()).isFalse();
    List<String> onDatabase = List.of("cannot grant CONNECT on database " + late,
        "cannot grant CREATE on database " + late, "cannot grant TEMPORARY on database " + late);
    assertThat(check.missing()).containsAll(onDatabase)
        .allMatch(m -> m.endsWith(" on database " + late) || m.endsWith(" in database " + late));
    assertThat(check.fixes()).filteredOn(f -> onDatabase.contains(f.missing())).hasSize(3)
        .allSatisfy(f -> {
          assertThat(f.description()).contains("grantsmith setup-sql --database " + late);
          assertThat(f.sql()).contains("GRANT ALL PRIVILEGES ON DATABASE " + late
              + " TO azure_pg_admin WITH GRANT OPTION", "\\connect '" + late + "'",
              "ALTER DEFAULT PRIVILEGES");
        });
    // The three gaps share one fix, printed once.
    assertThat(check.fixScript().split("ON DATABASE " + late, -1)).hasSize(2);

    runAsAdmin(server, check.fixScript());
    SetupVerification after = setup.verify(tc.connections(), List.of(early, late));
    assertThat(after.missing()).isEmpty();
    assertThat(after.fixes()).isEmpty();
    assertThat(after.fixScript()).isEmpty();
  }

  @AzurePostgresTest
  void theFixPlanClosesEveryGapOfAConnectorMadeByHand(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    try (Connection admin = server.adminConnection(db); Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
      st.execute("CREATE FUNCTION sales.total(a int, b text) RETURNS int LANGUAGE sql"
          + " AS 'SELECT 1'");
    }
    String connector = "hand_" + suffix();
    String marker = "marker_" + suffix();
    String password = "Hand-" + UUID.randomUUID();
    try (Connection admin = server.adminConnection("postgres");
        Statement st = admin.createStatement()) {
      st.execute("CREATE ROLE " + connector + " LOGIN PASSWORD '" + password + "'");
    }
    ConnectorSetup setup = ConnectorSetup.builder().majorVersion(server.majorVersion())
        .connectorName(connector).markerRole(marker).build();
    ConnectionSource asConnector = ConnectionSource.of(plain(server),
        Credentials.of(connector, Secret.of(password)));
    SetupVerification check = setup.verify(asConnector, List.of(db));
    assertThat(check.missing()).contains(connector + " cannot create roles (NOCREATEROLE)",
        connector + " is not a member of azure_pg_admin",
        "the marker role " + marker + " does not exist",
        "cannot grant SELECT on table sales.orders in database " + db,
        "cannot grant EXECUTE on function sales.total(a integer, b text) in database " + db);
    assertThat(check.fixes()).extracting(SetupVerification.Fix::missing)
        .containsAll(check.missing());
    assertThat(check.fixScript()).contains("ALTER ROLE " + connector + " WITH CREATEROLE",
        "GRANT azure_pg_admin TO " + connector, "GRANT " + marker + " TO " + connector
            + " WITH ADMIN OPTION",
        "GRANT ALL PRIVILEGES ON TABLE sales.orders TO azure_pg_admin WITH GRANT OPTION",
        "GRANT ALL PRIVILEGES ON FUNCTION sales.total(a integer, b text) TO azure_pg_admin");

    ConnectionSource admin = ConnectionSource.of(plain(server),
        Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
    JdbcExecutor.builder().connections(admin).build().apply(check.fixPlan());
    SetupVerification after = setup.verify(asConnector, List.of(db));
    assertThat(after.missing()).isEmpty();
    assertThat(after.isOk()).isTrue();
  }

  static Integration plain(AzurePostgres server) {
    return Integration.builder().name("late").hostname(server.host()).port(server.port())
        .sslMode(SslMode.DISABLE).build();
  }

  /**
   * Runs a printed psql script as the admin the way psql would: {@code \connect 'db'} switches
   * the database, other meta-commands ({@code \set ON_ERROR_STOP on}) are skipped, and the SQL
   * between them runs in one go.
   */
  static void runAsAdmin(AzurePostgres server, String script) throws SQLException {
    String current = "postgres";
    StringBuilder chunk = new StringBuilder();
    List<String[]> chunks = new ArrayList<>();
    for (String line : script.split("\n", -1)) {
      if (line.startsWith("\\connect ")) {
        chunks.add(new String[] {current, chunk.toString()});
        String arg = line.substring("\\connect ".length());
        current = arg.substring(1, arg.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
        chunk.setLength(0);
      } else if (!line.startsWith("\\")) {
        chunk.append(line).append('\n');
      }
    }
    chunks.add(new String[] {current, chunk.toString()});
    for (String[] c : chunks) {
      if (c[1].isBlank() || c[1].lines().allMatch(l -> l.isBlank() || l.startsWith("--"))) {
        continue;
      }
      try (Connection admin = server.adminConnection(c[0]);
          Statement st = admin.createStatement()) {
        st.execute(c[1]);
      }
    }
  }
}
