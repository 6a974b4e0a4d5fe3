package io.grantsmith.postgres.azure.internal;

import static io.grantsmith.postgres.azure.internal.Sql.ident;
import static io.grantsmith.postgres.azure.internal.Sql.literal;

import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL shared by the connector setup, its verification and discovery: which databases and schemas
 * are left alone, and the blocks that grant {@code azure_pg_admin} its privileges.
 */
public final class SetupSql {
  /** The Azure group role the connector acts through. */
  public static final String AZURE_PG_ADMIN = "azure_pg_admin";

  /** Databases the setup never touches: not connectable, or Azure's own. */
  public static final List<String> EXCLUDED_DATABASES =
      List.of("template0", "azure_sys", "azure_maintenance");

  /** Schemas (besides {@code pg_*}) the setup and discovery skip. */
  public static final List<String> EXCLUDED_SCHEMAS = List.of("information_schema", "cron");

  private SetupSql() {}

  /**
   * A condition true for the schemas the setup grants on and discovery reads: not {@code pg_*}
   * (system, toast and temporary schemas), {@code information_schema} or {@code cron}.
   *
   * @param column the expression holding the schema name, e.g. {@code n.nspname}
   * @return the SQL condition
   */
  public static String schemaFilter(String column) {
    return "left("
        + column
        + ", 3) <> 'pg_' AND "
        + column
        + " NOT IN ("
        + EXCLUDED_SCHEMAS.stream().map(Sql::literal).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * A condition true for the databases the setup grants on.
   *
   * @param column the expression holding the database name
   * @return the SQL condition
   */
  public static String databaseFilter(String column) {
    return column
        + " NOT IN ("
        + EXCLUDED_DATABASES.stream().map(Sql::literal).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * {@code body} between dollar quotes whose tag does not occur in it.
   *
   * @param body the text
   * @return e.g. {@code $gs$body$gs$}
   */
  public static String dollarQuote(String body) {
    String tag = "$gs$";
    for (int i = 1; body.contains(tag); i++) {
      tag = "$gs" + i + "$";
    }
    return tag + body + tag;
  }

  /**
   * A {@code DO} block that creates a NOLOGIN role unless a role of that name exists.
   *
   * @param role the role
   * @return the statement
   */
  public static String createRoleIfMissing(String role) {
    return "DO "
        + dollarQuote(
            "\nBEGIN\n  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles"
                + " WHERE rolname = "
                + literal(role)
                + ") THEN\n    CREATE ROLE "
                + ident(role)
                + " WITH NOLOGIN;\n  END IF;\nEND\n");
  }

  /**
   * Gives the connector ADMIN OPTION on the marker role; on 16 and later without INHERIT and SET,
   * so that it does not act with the privileges of the users it manages.
   *
   * @param marker the marker role
   * @param connector the connector
   * @param majorVersion the server's major version
   * @return the statement
   */
  public static String grantMarker(String marker, String connector, int majorVersion) {
    return "GRANT "
        + ident(marker)
        + " TO "
        + ident(connector)
        + " WITH ADMIN OPTION"
        + (majorVersion >= 16 ? ", INHERIT FALSE, SET FALSE" : "");
  }

  /**
   * The command that prints the setup of databases created after the connector setup, with each
   * name quoted for a POSIX shell where it needs it.
   *
   * @param databases the databases
   * @return e.g. {@code grantsmith setup-sql --database late}
   */
  public static String setupCommand(List<String> databases) {
    StringBuilder b = new StringBuilder("grantsmith setup-sql");
    for (String d : databases) {
      // A name that starts with '-' would read as an option: it is attached with '='.
      boolean plain = d.matches("[A-Za-z0-9_.@%+=:,/-]+");
      b.append(" --database")
          .append(d.startsWith("-") ? '=' : ' ')
          .append(plain ? d : "'" + d.replace("'", "'\\''") + "'");
    }
    return b.toString();
  }

  /**
   * The reference's step 2 as one {@code DO} block: {@code GRANT ALL PRIVILEGES ON DATABASE} to
   * {@code azure_pg_admin} WITH GRANT OPTION for every database the current user may connect to,
   * except {@link #EXCLUDED_DATABASES}.
   *
   * @return the statement
   */
  public static String grantOnAllDatabases() {
    return "DO "
        + dollarQuote(
            "\nDECLARE\n  d text;\nBEGIN\n"
                + "  FOR d IN SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND "
                + databaseFilter("datname")
                + " AND has_database_privilege(oid, 'CONNECT')"
                + " ORDER BY datname LOOP\n"
                + "    EXECUTE format('GRANT ALL PRIVILEGES ON DATABASE %I TO %I WITH GRANT OPTION', d, "
                + literal(AZURE_PG_ADMIN)
                + ");\n"
                + "  END LOOP;\nEND\n");
  }

  /**
   * The setup of the given databases, to run as the server admin: one step in {@code adminDatabase}
   * that grants all privileges on each of them to {@code azure_pg_admin} WITH GRANT OPTION (the
   * reference's step 2), then one step per database that does the same for its schemas and their
   * objects ({@link #grantInDatabase()}, steps 3 and 4), {@code template1} last. The steps are not
   * strict: like the reference script they grant what the admin can.
   *
   * @param adminDatabase the database the admin's session for step 2 runs in
   * @param databases the databases, checked and without duplicates
   * @return the steps; empty for no database
   */
  public static List<Step> databaseSteps(String adminDatabase, List<String> databases) {
    List<Step> out = new ArrayList<>();
    if (databases.isEmpty()) {
      return out;
    }
    Step.Builder step2 =
        Step.builder()
            .database(adminDatabase)
            .strict(false)
            .description(
                "2. grant all privileges on "
                    + (databases.size() == 1
                        ? "database " + databases.get(0)
                        : databases.size() + " databases")
                    + " to azure_pg_admin with grant option");
    for (String d : databases) {
      step2.addStatement(
          Statement.of(
              adminDatabase,
              "GRANT ALL PRIVILEGES ON DATABASE "
                  + ident(d)
                  + " TO "
                  + ident(AZURE_PG_ADMIN)
                  + " WITH GRANT OPTION",
              "grant all privileges on database " + d + " to azure_pg_admin"));
    }
    out.add(step2.build());
    // template1 last: while anyone is connected to it, CREATE DATABASE fails.
    List<String> ordered = new ArrayList<>(databases);
    if (ordered.remove("template1")) {
      ordered.add("template1");
    }
    for (String d : ordered) {
      out.add(inDatabaseStep(d));
    }
    return out;
  }

  /**
   * The reference's step 3 (or 4, for {@code template1}) for one database: all privileges on its
   * schemas and their objects to {@code azure_pg_admin} WITH GRANT OPTION, and the admin's default
   * privileges there.
   *
   * @param database the database
   * @return the step, not strict
   */
  public static Step inDatabaseStep(String database) {
    return Step.builder()
        .database(database)
        .strict(false)
        .description(
            (database.equals("template1") ? "4" : "3")
                + ". grant all privileges on the schemas of "
                + database
                + " and their objects to azure_pg_admin with grant option")
        .addStatement(
            Statement.of(database, grantInDatabase(), "grant on the schemas of " + database))
        .build();
  }

  /**
   * The reference's steps 3 and 4 for the current database as one {@code DO} block: for each
   * schema, {@code GRANT ALL PRIVILEGES} on it and on all its tables, sequences and routines
   * (functions, procedures and aggregates) to {@code azure_pg_admin} WITH GRANT OPTION, then the
   * current user's default privileges. A schema the current user may not grant on is reported with
   * a WARNING instead of failing the block.
   *
   * <p>The objects are listed by one pass over {@code pg_class} and one over {@code pg_proc},
   * grouped by schema, and granted with one statement per schema and kind naming them all. {@code
   * GRANT ... ON ALL TABLES IN SCHEMA}, as the reference does, scans the whole of {@code pg_class}
   * for every schema: quadratic, minutes for 3,200 schemas of 25 tables.
   *
   * @return the statement
   */
  public static String grantInDatabase() {
    String to = " TO " + ident(AZURE_PG_ADMIN) + " WITH GRANT OPTION";
    StringBuilder b =
        new StringBuilder("\nDECLARE\n  s record;\nBEGIN\n")
            .append("  FOR s IN SELECT n.nspname, r.tables, r.sequences, f.routines\n")
            .append("    FROM pg_catalog.pg_namespace n\n")
            .append("    LEFT JOIN (SELECT c.relnamespace,\n")
            .append("        string_agg(format('%I.%I', cn.nspname, c.relname), ', ')")
            .append(" FILTER (WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p')) AS tables,\n")
            .append("        string_agg(format('%I.%I', cn.nspname, c.relname), ', ')")
            .append(" FILTER (WHERE c.relkind = 'S') AS sequences\n")
            .append("      FROM pg_catalog.pg_class c")
            .append(" JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace\n")
            .append("      WHERE ")
            .append(schemaFilter("cn.nspname"))
            .append("\n")
            .append("      GROUP BY c.relnamespace) r ON r.relnamespace = n.oid\n")
            // regprocedure's text names the routine exactly (qualified where the search path
            // would find another), also aggregates whose signature has ORDER BY.
            .append("    LEFT JOIN (SELECT p.pronamespace,")
            .append(" string_agg(p.oid::pg_catalog.regprocedure::text, ', ') AS routines\n")
            .append("      FROM pg_catalog.pg_proc p")
            .append(" JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace\n")
            .append("      WHERE ")
            .append(schemaFilter("pn.nspname"))
            .append("\n")
            .append("      GROUP BY p.pronamespace) f ON f.pronamespace = n.oid\n")
            .append("    WHERE ")
            .append(schemaFilter("n.nspname"))
            .append(" ORDER BY n.nspname LOOP\n")
            .append("    BEGIN\n")
            .append("      EXECUTE format(")
            .append(literal("GRANT ALL PRIVILEGES ON SCHEMA %I" + to))
            .append(", s.nspname);\n");
    for (String[] kind :
        new String[][] {{"TABLE", "tables"}, {"SEQUENCE", "sequences"}, {"ROUTINE", "routines"}}) {
      b.append("      IF s.")
          .append(kind[1])
          .append(" IS NOT NULL THEN\n")
          .append("        EXECUTE ")
          .append(literal("GRANT ALL PRIVILEGES ON " + kind[0] + " "))
          .append(" || s.")
          .append(kind[1])
          .append(" || ")
          .append(literal(to))
          .append(";\n")
          .append("      END IF;\n");
    }
    b.append("    EXCEPTION WHEN insufficient_privilege THEN\n")
        .append("      RAISE WARNING")
        .append(" 'Grantsmith setup: cannot grant on schema % in database %: %',")
        .append(" quote_ident(s.nspname), quote_ident(current_database()), SQLERRM;\n")
        .append("    END;\n  END LOOP;\n");
    for (String kind : List.of("TABLES", "SEQUENCES", "FUNCTIONS", "SCHEMAS")) {
      b.append("  ALTER DEFAULT PRIVILEGES GRANT ALL PRIVILEGES ON ")
          .append(kind)
          .append(to)
          .append(";\n");
    }
    b.append("END\n");
    return "DO " + dollarQuote(b.toString());
  }

  /**
   * Quotes an argument of a psql meta-command such as {@code \connect}.
   *
   * @param text the argument
   * @return it in single quotes, with psql escapes
   */
  public static String psqlQuote(String text) {
    return "'"
        + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        + "'";
  }

  /**
   * A SQL expression computing {@link #psqlQuote} of a text column, for scripts that write psql
   * scripts.
   *
   * @param column the expression
   * @return the SQL expression
   */
  public static String psqlQuoteSql(String column) {
    String e = column;
    e = "replace(" + e + ", " + literal("\\") + ", " + literal("\\\\") + ")";
    e = "replace(" + e + ", " + literal("'") + ", " + literal("\\'") + ")";
    e = "replace(" + e + ", chr(10), " + literal("\\n") + ")";
    e = "replace(" + e + ", chr(13), " + literal("\\r") + ")";
    return "'''' || " + e + " || ''''";
  }
}
