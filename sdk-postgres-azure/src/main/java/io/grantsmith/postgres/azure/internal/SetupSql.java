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
   * (functions and procedures) to {@code azure_pg_admin} WITH GRANT OPTION, then the current
   * user's default privileges. A schema the current user may not grant on is reported with a
   * WARNING instead of failing the block.
   *
   * @return the statement
   */
  public static String grantInDatabase() {
    String to = " TO " + ident(AZURE_PG_ADMIN) + " WITH GRANT OPTION";
    StringBuilder b = new StringBuilder("\nDECLARE\n  s text;\nBEGIN\n")
        .append("  FOR s IN SELECT nspname FROM pg_catalog.pg_namespace WHERE ")
        .append(schemaFilter("nspname")).append(" ORDER BY nspname LOOP\n")
        .append("    BEGIN\n");
    for (String what : List.of("SCHEMA %I", "ALL TABLES IN SCHEMA %I",
        "ALL SEQUENCES IN SCHEMA %I", "ALL ROUTINES IN SCHEMA %I")) {
      b.append("      EXECUTE format(").append(literal("GRANT ALL PRIVILEGES ON " + what + to))
          .append(", s);\n");
    }
    b.append("    EXCEPTION WHEN insufficient_privilege THEN\n")
        .append("      RAISE WARNING 'Grantsmith setup: cannot grant on schema % in database %: %',")
        .append(" quote_ident(s), quote_ident(current_database()), SQLERRM;\n")
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
