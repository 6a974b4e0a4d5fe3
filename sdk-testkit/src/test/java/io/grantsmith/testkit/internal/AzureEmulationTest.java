package io.grantsmith.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AzureEmulationTest {

  @Test
  void adminGroupRolesDependOnTheVersion() {
    assertThat(AzureEmulation.adminGroupRoles(13))
        .containsExactly(
            "pg_monitor", "pg_read_all_settings", "pg_read_all_stats", "pg_stat_scan_tables");
    assertThat(AzureEmulation.adminGroupRoles(14))
        .contains("pg_read_all_data")
        .doesNotContain("pg_checkpoint");
    assertThat(AzureEmulation.adminGroupRoles(15))
        .contains("pg_checkpoint")
        .doesNotContain("pg_create_subscription");
    assertThat(AzureEmulation.adminGroupRoles(16))
        .contains("pg_read_all_data", "pg_checkpoint", "pg_create_subscription");
    assertThat(AzureEmulation.adminGroupRoles(18)).doesNotContain("pg_write_all_data");
  }

  @Test
  void psqlScriptCreatesTheAdminAndSwitchesDatabases() {
    String script = AzureEmulation.psqlScript(16, "it's-secret", "test");
    assertThat(script)
        .contains("CREATE ROLE azuresu SUPERUSER NOLOGIN;")
        .contains(
            "CREATE ROLE serveradmin LOGIN NOSUPERUSER INHERIT CREATEDB CREATEROLE NOREPLICATION "
                + "NOBYPASSRLS PASSWORD 'it''s-secret';")
        .contains("GRANT azure_pg_admin TO serveradmin WITH ADMIN OPTION;")
        .contains("pg_create_subscription TO azure_pg_admin WITH ADMIN OPTION;")
        .contains("CREATE ROLE replication LOGIN REPLICATION;")
        .contains("CREATE DATABASE azure_maintenance;")
        .contains("CREATE DATABASE azure_sys;")
        .contains("REVOKE ALL ON DATABASE azure_maintenance FROM PUBLIC;")
        .contains("\\connect template1\nALTER SCHEMA public OWNER TO azure_pg_admin;")
        .contains("\\connect postgres\nALTER SCHEMA public OWNER TO azure_pg_admin;");
    assertThat(AzureEmulation.psqlScript(13, "pw", "test")).doesNotContain("pg_read_all_data");
  }

  @Test
  void hbaTrustsOnlyTheSuperuserAndRequiresScramFromEveryoneElse() {
    String hba = AzureEmulation.pgHba("postgres");
    assertThat(hba)
        .contains("host    all       postgres  127.0.0.1/32  trust")
        .contains("host    all       all  127.0.0.1/32  scram-sha-256")
        .contains("host    all       all  ::1/128       scram-sha-256")
        .doesNotContain("md5")
        .doesNotContainPattern("(?m)^host\\s+all\\s+all\\s+\\S+\\s+trust");
  }

  @Test
  void serverSettingsStoreScramAndAllowManyConnectionsAndLocks() {
    assertThat(AzureEmulation.serverSettings())
        .containsEntry("password_encryption", "scram-sha-256")
        .containsEntry("max_connections", "200")
        .containsEntry("max_locks_per_transaction", "256");
  }
}
