package io.grantsmith.postgres.azure.internal;

import static io.grantsmith.postgres.azure.internal.Sql.ident;
import static io.grantsmith.postgres.azure.internal.Sql.literal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL shared by the connector setup, its verification and discovery: which databases and
 * schemas are left alone, and the blocks that grant {@code azure_pg_admin} its privileges.
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
   * A condition true for the schemas the setup grants on and discovery reads: not
   * {@code pg_*} (system, toast and temporary schemas), {@code information_schema} or
   * {@code cron}.
   *
   * @param column the expression holding the schema name, e.g. {@code n.nspname}
   * @return the SQL condition
   */
  public static String schemaFilter(String column) {
    return "left(" + column + ", 3) <> 'pg_' AND " + column + " NOT IN ("
        + EXCLUDED_SCHEMAS.stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
  }

  /**
   * A condition true for the databases the setup grants on.
   *
   * @param column the expression holding the database name
   * @return the SQL condition
   */
  public static String databaseFilter(String column) {
    return column + " NOT IN ("
        + EXCLUDED_DATABASES.stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")";
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
    return "DO " + dollarQuote("\nBEGIN\n  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles"
        + " WHERE rolname = " + literal(role) + ") THEN\n    CREATE ROLE " + ident(role)
        + " WITH NOLOGIN;\n  END IF;\nEND\n");
  }

  /**
   * The reference's step 2 as one {@code DO} block: {@code GRANT ALL PRIVILEGES ON DATABASE}
   * to {@code azure_pg_admin} WITH GRANT OPTION for every database the current user may connect
   * to, except {@link #EXCLUDED_DATABASES}.
   *
   * @return the statement
   */
  public static String grantOnAllDatabases() {
    return "DO " + dollarQuote("\nDECLARE\n  d text;\nBEGIN\n"
        + "  FOR d IN SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND "
        + databaseFilter("datname") + " AND has_database_privilege(oid, 'CONNECT')"
        + " ORDER BY datname LOOP\n"
        + "    EXECUTE format('GRANT ALL PRIVILEGES ON DATABASE %I TO %I WITH GRANT OPTION', d, "
        + literal(AZURE_PG_ADMIN) + ");\n"
        + "  END LOOP;\nEND\n");
  }

  /**
   * The reference's steps 3 and 4 for the current database as one {@code DO} block: for each
   * schema, {@code GRANT ALL PRIVILEGES} on it and on all its tables, sequences and routines
   * (functions, procedures and aggregates) to {@code azure_pg_admin} WITH GRANT OPTION, then the
   * current user's default privileges. A schema the current user may not grant on is reported
   * with a WARNING instead of failing the block.
   *
   * <p>The objects are listed by one pass over {@code pg_class} and one over {@code pg_proc},
   * grouped by schema, and granted with one statement per schema and kind naming them all.
   * {@code GRANT ... ON ALL TABLES IN SCHEMA}, as the reference does, scans the whole of
   * {@code pg_class} for every schema: quadratic, minutes for 3,200 schemas of 25 tables.
   *
   * @return the statement
   */
  public static String grantInDatabase() {
    String to = " TO " + ident(AZURE_PG_ADMIN) + " WITH GRANT OPTION";
    StringBuilder b = new StringBuilder("\nDECLARE\n  s record;\nBEGIN\n")
        .append("  FOR s IN SELECT n.nspname, r.tables, r.sequences, f.routines\n")
        .append("    FROM pg_catalog.pg_namespace n\n")
        .append("    LEFT JOIN (SELECT c.relnamespace,\n")
        .append("        string_agg(format('%I.%I', cn.nspname, c.relname), ', ')")
        .append(" FILTER (WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p')) AS tables,\n")
        .append("        string_agg(format('%I.%I', cn.nspname, c.relname), ', ')")
        .append(" FILTER (WHERE c.relkind = 'S') AS sequences\n")
        .append("      FROM pg_catalog.pg_class c")
        .append(" JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace\n")
        .append("      WHERE ").append(schemaFilter("cn.nspname")).append("\n")
        .append("      GROUP BY c.relnamespace) r ON r.relnamespace = n.oid\n")
        // regprocedure's text names the routine exactly (qualified where the search path
        // would find another), also aggregates whose signature has ORDER BY.
        .append("    LEFT JOIN (SELECT p.pronamespace,")
        .append(" string_agg(p.oid::pg_catalog.regprocedure::text, ', ') AS routines\n")
        .append("      FROM pg_catalog.pg_proc p")
        .append(" JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace\n")
        .append("      WHERE ").append(schemaFilter("pn.nspname")).append("\n")
        .append("      GROUP BY p.pronamespace) f ON f.pronamespace = n.oid\n")
        .append("    WHERE ").append(schemaFilter("n.nspname")).append(" ORDER BY n.nspname LOOP\n")
        .append("    BEGIN\n")
        .append("      EXECUTE format(").append(literal("GRANT ALL PRIVILEGES ON SCHEMA %I" + to))
        .append(", s.nspname);\n");
    for (String[] kind : new String[][] {{"TABLE", "tables"}, {"SEQUENCE", "sequences"},
        {"ROUTINE", "routines"}}) {
      b.append("      IF s.").append(kind[1]).append(" IS NOT NULL THEN\n")
          .append("        EXECUTE ").append(literal("GRANT ALL PRIVILEGES ON " + kind[0] + " "))
          .append(" || s.").append(kind[1]).append(" || ").append(literal(to)).append(";\n")
          .append("      END IF;\n");
    }
    b.append("    EXCEPTION WHEN insufficient_privilege THEN\n")
        .append("      RAISE WARNING")
        .append(" 'Grantsmith setup: cannot grant on schema % in database %: %',")
        .append(" quote_ident(s.nspname), quote_ident(current_database()), SQLERRM;\n")
        .append("    END;\n  END LOOP;\n");
    for (String kind : List.of("TABLES", "SEQUENCES", "FUNCTIONS", "SCHEMAS")) {
      b.append("  ALTER DEFAULT PRIVILEGES GRANT ALL PRIVILEGES ON ").append(kind).append(to)
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
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
        .replace("\r", "\\r") + "'";
  }

  /**
   * A SQL expression computing {@link #psqlQuote} of a text column, for scripts that write
   * psql scripts.
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
