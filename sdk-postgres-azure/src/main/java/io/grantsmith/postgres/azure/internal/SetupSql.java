package io.grantsmith.postgres.azure.internal;

import static io.grantsmith.postgres.azure.internal.Sql.literal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the connector setup, its verification and discovery share: which databases and schemas are
 * left alone (as SQL conditions), the quoting of psql scripts, and the command that prints a
 * database's setup. The setup's statements are rendered by {@link Renderer}, the verification's
 * queries are in {@link SetupQueries}.
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
