package io.grantsmith.testkit;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

class AzurePostgresExtensionIT {

  @AzurePostgresTest
  void injectsTheServerOfTheInvocationsVersionAFreshDatabaseAndAnAdminConnection(
      AzurePostgres server, TestDatabase db, Connection admin, TestInfo info) throws SQLException {
    assertThat(info.getDisplayName()).isEqualTo("[PostgreSQL " + server.majorVersion() + "]");
    assertThat(server).hasMajorVersion(server.majorVersion());
    assertThat(db.server()).isSameAs(server);
    assertThat(AzurePostgres.shared(server.majorVersion())).isSameAs(server);
    try (Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_database(), current_user,"
                    + " (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'public')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(db.name());
      assertThat(rs.getString(2)).isEqualTo("serveradmin");
      assertThat(rs.getInt(3)).as("fresh database is empty").isZero();
    }
    server.close();
    assertThat(server.adminConnection(db.name()).isValid(5))
        .as("closing a shared server does nothing")
        .isTrue();
  }

  @ExtendWith(AzurePostgresExtension.class)
  @Test
  void alsoInjectsIntoPlainTests(AzurePostgres server, TestDatabase db) throws SQLException {
    assertThat(server.majorVersion()).isEqualTo(PostgresVersion.configured().get(0).major());
    try (Connection c = db.adminConnection()) {
      assertThat(c.getCatalog()).isEqualTo(db.name());
    }
  }
}
