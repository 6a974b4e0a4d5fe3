package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

class PoolReuseIT {

  @AzurePostgresTest
  void reusesOnlyCleanConnections(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, db);
    try (ConnectionSource.Pooled pool = ConnectionSource.pooled(tc.connections())) {
      int first = pid(pool, db);
      assertThat(pid(pool, db)).as("a clean connection is reused").isEqualTo(first);

      try (Connection c = pool.open(db)) {
        c.setAutoCommit(false);
        exec(c, "SET application_name = 'dirty'");
        c.commit();
      }
      try (Connection c = pool.open(db)) {
        assertThat(pid(c)).as("committed, so reused").isEqualTo(first);
        assertThat(c.getAutoCommit()).isTrue();
        assertThat(query(c, "SHOW application_name")).isNotEqualTo("dirty");
        exec(
            c,
            "CREATE ROLE "
                + db
                + "_other NOLOGIN; GRANT "
                + db
                + "_other TO "
                + tc.name
                + "; SET ROLE "
                + db
                + "_other; CREATE TEMP TABLE leftover (x int);"
                + " SELECT pg_advisory_lock(42); LISTEN somewhere");
        assertThat(query(c, "SELECT current_user")).isEqualTo(db + "_other");
      }
      try (Connection c = pool.open(db)) {
        assertThat(pid(c)).as("reset, so reused").isEqualTo(first);
        assertThat(query(c, "SELECT current_user")).as("role reset").isEqualTo(tc.name);
        assertThat(
                query(
                    c,
                    "SELECT count(*) FROM pg_class WHERE relname = 'leftover'"
                        + " AND relpersistence = 't'"))
            .as("temporary table dropped")
            .isEqualTo("0");
        assertThat(
                query(
                    c,
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND pid = pg_backend_pid()"))
            .as("advisory locks released")
            .isEqualTo("0");
        assertThat(query(c, "SELECT count(*) FROM pg_listening_channels()")).isEqualTo("0");
        // The driver's server-side prepared statements survive the reset and keep working (asked
        // for here: connections made from an integration have prepareThreshold=0).
        for (int i = 0; i < 8; i++) {
          try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
            ps.setInt(1, i);
            try (ResultSet rs = ps.executeQuery()) {
              assertThat(rs.next() && rs.getInt(1) == i + 1).isTrue();
            }
          }
        }
      }
      try (Connection c = pool.open(db)) {
        assertThat(pid(c)).isEqualTo(first);
        assertThat(query(c, "SELECT count(*) FROM pg_prepared_statements"))
            .as("kept")
            .isNotEqualTo("0");
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
          ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(1);
          ps.setInt(1, 41);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next() && rs.getInt(1) == 42).isTrue();
          }
        }
      }

      try (Connection c = pool.open(db)) {
        c.setAutoCommit(false);
        exec(c, "SELECT 1");
      }
      int afterOpenTransaction = pid(pool, db);
      assertThat(afterOpenTransaction).as("left in a transaction, so closed").isNotEqualTo(first);

      try (Connection c = pool.open(db)) {
        assertThatThrownBy(() -> exec(c, "SELECT no_such_column")).isInstanceOf(SQLException.class);
      }
      assertThat(pid(pool, db)).as("a failure, so closed").isNotEqualTo(afterOpenTransaction);

      Connection c = pool.open(db);
      c.close();
      assertThat(c.isClosed()).isTrue();
      assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class);
    }
  }

  @AzurePostgresTest
  void managerBuiltFromCredentialsReusesConnections(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, db);
    try (AccessManager manager =
        AccessFixtures.manager(
            tc, AccessFixtures.integration(tc, 1), java.time.Clock.systemUTC())) {
      manager.leases();
      int before = connectorSessions(server, tc);
      for (int i = 0; i < 5; i++) {
        manager.leases();
      }
      assertThat(connectorSessions(server, tc)).isEqualTo(before);
    }
  }

  private static int connectorSessions(AzurePostgres server, TestConnector tc) throws Exception {
    try (Connection c = server.superuserConnection("postgres")) {
      return Integer.parseInt(
          query(c, "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + tc.name + "'"));
    }
  }

  private static int pid(ConnectionSource pool, String db) throws SQLException {
    try (Connection c = pool.open(db)) {
      return pid(c);
    }
  }

  private static int pid(Connection c) throws SQLException {
    return Integer.parseInt(query(c, "SELECT pg_backend_pid()"));
  }

  private static String query(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
