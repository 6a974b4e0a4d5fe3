package io.grantsmith.testkit;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.testkit.internal.AzureEmulation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The emulation really gives an Azure-shaped server on every version. */
class AzureEmulationIT {

  @AzurePostgresTest
  void adminHasExactlyTheAzureAttributes(AzurePostgres server) throws SQLException {
    try (Connection su = server.superuserConnection("postgres");
        Statement s = su.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
                    + " rolreplication, rolbypassrls FROM pg_roles WHERE rolname = 'serveradmin'")) {
      assertThat(rs.next()).isTrue();
      assertThat(
              List.of(
                  rs.getBoolean(1),
                  rs.getBoolean(2),
                  rs.getBoolean(3),
                  rs.getBoolean(4),
                  rs.getBoolean(5),
                  rs.getBoolean(6),
                  rs.getBoolean(7)))
          .containsExactly(false, true, true, true, true, false, false);
    }
    assertThat(server.adminUser()).isEqualTo("serveradmin");
    // On 16+ the admin also holds ADMIN OPTION on every role it created; only managed roles matter
    // here.
    assertThat(membersWithAdminOption(server, "serveradmin"))
        .filteredOn(r -> r.startsWith("azure") || r.startsWith("pg_") || r.equals("replication"))
        .containsExactly("azure_pg_admin");
    assertThat(membersWithAdminOption(server, "azure_pg_admin"))
        .containsExactlyInAnyOrderElementsOf(AzureEmulation.adminGroupRoles(server.majorVersion()));
  }

  @AzurePostgresTest
  void managedRolesAndDatabasesExist(AzurePostgres server, TestDatabase db) throws SQLException {
    assertThat(server).role("azuresu").exists().hasLoginDisabled();
    assertThat(server).role("azure_pg_admin").exists().hasLoginDisabled();
    assertThat(server).role("replication").canLogin();
    try (Connection su = server.superuserConnection("postgres");
        Statement s = su.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'azuresu'")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
      }
      try (ResultSet rs =
          s.executeQuery("SELECT rolreplication FROM pg_roles WHERE rolname = 'replication'")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT datname, has_database_privilege('public', oid, 'CONNECT')"
                  + " FROM pg_database WHERE datname IN ('azure_maintenance', 'azure_sys') ORDER BY 1")) {
        List<String> found = new ArrayList<>();
        while (rs.next()) {
          found.add(rs.getString(1) + "=" + rs.getBoolean(2));
        }
        assertThat(found).containsExactly("azure_maintenance=false", "azure_sys=true");
      }
    }
    for (String database : List.of("postgres", "template1", db.name())) {
      try (Connection su = server.superuserConnection(database);
          Statement s = su.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT pg_get_userbyid(nspowner) FROM pg_namespace"
                      + " WHERE nspname = 'public'")) {
        rs.next();
        assertThat(rs.getString(1))
            .as("owner of public in %s", database)
            .isEqualTo("azure_pg_admin");
      }
    }
  }

  @AzurePostgresTest
  void adminIsRefusedWhatOnlyASuperuserMayDo(Connection admin, TestDatabase db) {
    String role = db.name() + "_x";
    for (String sql :
        List.of(
            "ALTER SYSTEM SET work_mem = '8MB'",
            "CREATE ROLE " + role + " SUPERUSER",
            "CREATE ROLE " + role + " REPLICATION",
            "ALTER ROLE replication NOREPLICATION")) {
      assertThatThrownBy(() -> execute(admin, sql))
          .as(sql)
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    }
  }

  @AzurePostgresTest
  void adminCreatesRolesAndDatabasesAndOnlyTheRightPasswordLogsIn(
      AzurePostgres server, Connection admin, TestDatabase db) throws SQLException {
    String role = db.name() + "_login";
    execute(admin, "CREATE ROLE " + role + " LOGIN PASSWORD 'Right-pw-1'");
    execute(admin, "CREATE DATABASE " + role + "_db");
    try (Connection c = server.connect(db.name(), role, "Right-pw-1")) {
      assertThat(c.isValid(5)).isTrue();
    }
    assertThatThrownBy(() -> server.connect(db.name(), role, "Wrong-pw-1").close())
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    try (Connection su = server.superuserConnection("postgres");
        Statement s = su.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid"
                    + " WHERE rolname = '"
                    + role
                    + "'")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("password stored as SCRAM").isTrue();
    }
    execute(admin, "DROP DATABASE " + role + "_db");
    execute(admin, "DROP ROLE " + role);
  }

  private static List<String> membersWithAdminOption(AzurePostgres server, String member)
      throws SQLException {
    try (Connection su = server.superuserConnection("postgres");
        PreparedStatement ps =
            su.prepareStatement(
                "SELECT r.rolname FROM pg_auth_members m"
                    + " JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
                    + " WHERE u.rolname = ? AND m.admin_option")) {
      ps.setString(1, member);
      List<String> roles = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          roles.add(rs.getString(1));
        }
      }
      return roles;
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
