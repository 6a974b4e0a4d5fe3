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
      }

      try (Connection c = pool.open(db)) {
        c.setAutoCommit(false);
        exec(c, "SELECT 1");
      }
      int afterOpenTransaction = pid(pool, db);
      assertThat(afterOpenTransaction).as("left in a transaction, so closed").isNotEqualTo(first);

      try (Connection c = pool.open(db)) {
        assertThatThrownBy(() -> exec(c, "SELECT no_such_column")).isInstanceOf(
            SQLException.class);
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
    try (AccessManager manager = AccessFixtures.manager(tc,
        AccessFixtures.integration(tc, 1), java.time.Clock.systemUTC())) {
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
      return Integer.parseInt(query(c, "SELECT count(*) FROM pg_stat_activity WHERE usename = '"
          + tc.name + "'"));
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
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
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
