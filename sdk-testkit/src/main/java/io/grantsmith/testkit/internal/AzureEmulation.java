package io.grantsmith.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL and server settings that make a vanilla PostgreSQL look like Azure Database for
 * PostgreSQL Flexible Server to a client: the managed roles, the server admin with its exact
 * attributes, the managed databases and the ownership of {@code public}. Gated by major version.
 */
public final class AzureEmulation {
  /** Name of the Azure-style server admin. */
  public static final String ADMIN_USER = "serveradmin";

  /** The managed group role the admin belongs to. */
  public static final String AZURE_PG_ADMIN = "azure_pg_admin";

  private AzureEmulation() {}

  /** One step: SQL to run, as a superuser, connected to a database. */
  public record Step(String database, String sql) {}

  /** Predefined roles {@code azure_pg_admin} holds WITH ADMIN OPTION on this major version. */
  public static List<String> adminGroupRoles(int major) {
    List<String> roles =
        new ArrayList<>(
            List.of(
                "pg_monitor", "pg_read_all_settings", "pg_read_all_stats", "pg_stat_scan_tables"));
    if (major >= 14) {
      roles.add("pg_read_all_data");
    }
    if (major >= 15) {
      roles.add("pg_checkpoint");
    }
    if (major >= 16) {
      roles.add("pg_create_subscription");
    }
    return List.copyOf(roles);
  }

  /**
   * The emulation steps, in order, for a server of this major version. The first step runs in
   * {@code bootstrapDatabase} (the database the superuser first connects to).
   */
  public static List<Step> steps(int major, String adminPassword, String bootstrapDatabase) {
    String q = Identifiers.literal(adminPassword);
    StringBuilder roles = new StringBuilder();
    roles.append("SET password_encryption = 'scram-sha-256';\n");
    roles.append("CREATE ROLE azuresu SUPERUSER NOLOGIN;\n");
    roles.append(
        "CREATE ROLE azure_pg_admin NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;\n");
    roles
        .append("GRANT ")
        .append(String.join(", ", adminGroupRoles(major)))
        .append(" TO azure_pg_admin WITH ADMIN OPTION;\n");
    roles.append("CREATE ROLE replication LOGIN REPLICATION;\n");
    roles
        .append("CREATE ROLE ")
        .append(ADMIN_USER)
        .append(
            " LOGIN NOSUPERUSER INHERIT CREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ")
        .append(q)
        .append(";\n");
    roles.append("GRANT azure_pg_admin TO ").append(ADMIN_USER).append(" WITH ADMIN OPTION;\n");
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(bootstrapDatabase, roles.toString()));
    // CREATE DATABASE cannot run inside a multi-statement transaction block.
    steps.add(new Step(bootstrapDatabase, "CREATE DATABASE azure_maintenance"));
    steps.add(new Step(bootstrapDatabase, "CREATE DATABASE azure_sys"));
    steps.add(new Step(bootstrapDatabase, "REVOKE ALL ON DATABASE azure_maintenance FROM PUBLIC"));
    // As on Azure: postgres belongs to azure_pg_admin, the managed databases to azuresu.
    steps.add(
        new Step(
            bootstrapDatabase,
            "ALTER DATABASE postgres OWNER TO azure_pg_admin;\n"
                + "ALTER DATABASE azure_maintenance OWNER TO azuresu;\n"
                + "ALTER DATABASE azure_sys OWNER TO azuresu"));
    for (String db : List.of("template1", "postgres")) {
      steps.add(new Step(db, "ALTER SCHEMA public OWNER TO azure_pg_admin"));
    }
    return List.copyOf(steps);
  }

  /**
   * The emulation as one psql script for {@code /docker-entrypoint-initdb.d}, switching databases
   * with {@code \connect}.
   */
  public static String psqlScript(int major, String adminPassword, String bootstrapDatabase) {
    StringBuilder sb =
        new StringBuilder(
                "-- Grantsmith testkit: Azure Database for PostgreSQL emulation (PostgreSQL ")
            .append(major)
            .append(")\n");
    String current = bootstrapDatabase;
    for (Step step : steps(major, adminPassword, bootstrapDatabase)) {
      if (!step.database().equals(current)) {
        sb.append("\\connect ").append(Identifiers.quote(step.database())).append('\n');
        current = step.database();
      }
      String sql = step.sql().strip();
      sb.append(sql).append(sql.endsWith(";") ? "\n" : ";\n");
    }
    return sb.toString();
  }

  /**
   * Server settings: SCRAM password storage, room for many test connections and for creating
   * thousands of tables in one transaction, durability off for speed.
   */
  public static Map<String, String> serverSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("password_encryption", "scram-sha-256");
    settings.put("max_connections", "200");
    settings.put("max_locks_per_transaction", "256");
    settings.put("shared_buffers", "32MB");
    settings.put("fsync", "off");
    settings.put("synchronous_commit", "off");
    settings.put("full_page_writes", "off");
    settings.put("timezone", "UTC");
    return settings;
  }

  /**
   * A pg_hba.conf that trusts only the named superuser (over the Unix socket and loopback) and
   * requires a SCRAM password from every other role, so a wrong password really fails.
   */
  public static String pgHba(String superuser) {
    String su = Identifiers.quoteHba(superuser);
    return "# Grantsmith testkit: Azure-like authentication\n"
        + "# TYPE  DATABASE  USER  ADDRESS  METHOD\n"
        + "local   all       "
        + su
        + "  trust\n"
        + "host    all       "
        + su
        + "  127.0.0.1/32  trust\n"
        + "host    all       "
        + su
        + "  ::1/128       trust\n"
        + "local   all       all  scram-sha-256\n"
        + "host    all       all  127.0.0.1/32  scram-sha-256\n"
        + "host    all       all  ::1/128       scram-sha-256\n";
  }
}
