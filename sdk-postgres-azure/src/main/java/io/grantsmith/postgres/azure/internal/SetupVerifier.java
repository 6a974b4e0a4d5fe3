package io.grantsmith.postgres.azure.internal;

import static io.grantsmith.postgres.azure.internal.Sql.ident;

import io.grantsmith.api.Plan;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.SetupVerification;
import io.grantsmith.postgres.azure.SetupVerification.Fix;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the checks of {@code ConnectorSetup.verify} as the connector: one query for the role, one
 * for the databases, and one per database for its schemas and objects. Each gap it can close comes
 * with the statements, for the server admin, that close it.
 */
public final class SetupVerifier {
  /** How many objects per database are named before the rest is counted. */
  static final int MAX_OBJECTS_NAMED = 20;

  private static final String ROLE_QUERY =
      "SELECT r.rolname, r.rolcanlogin, r.rolcreaterole,"
          + " a.oid IS NOT NULL AS azure_exists,"
          + " coalesce(pg_has_role(r.oid, a.oid, 'MEMBER'), false) AS azure_member,"
          + " coalesce(pg_has_role(r.oid, a.oid, 'USAGE'), false) AS azure_usage,"
          + " m.oid IS NOT NULL AS marker_exists,"
          + " coalesce(pg_has_role(r.oid, m.oid, 'MEMBER WITH ADMIN OPTION'), false) AS marker_admin"
          + " FROM pg_catalog.pg_roles r"
          + " LEFT JOIN pg_catalog.pg_roles a ON a.rolname = ?"
          + " LEFT JOIN pg_catalog.pg_roles m ON m.rolname = ?"
          + " WHERE r.rolname = current_user";

  private static final String DATABASE_QUERY =
      "SELECT datname,"
          + " has_database_privilege(oid, 'CONNECT WITH GRANT OPTION'),"
          + " has_database_privilege(oid, 'CREATE WITH GRANT OPTION'),"
          + " has_database_privilege(oid, 'TEMPORARY WITH GRANT OPTION'),"
          + " has_database_privilege(oid, 'CONNECT')"
          + " FROM pg_catalog.pg_database WHERE datallowconn AND "
          + SetupSql.databaseFilter("datname")
          + " ORDER BY datname";

  /** Per object: the first privilege the current user cannot grant, or no row. */
  private static final String OBJECT_QUERY =
      "WITH s AS (SELECT oid, nspname FROM"
          + " pg_catalog.pg_namespace WHERE "
          + SetupSql.schemaFilter("nspname")
          + "),"
          + " o AS ("
          + "SELECT 1 AS ord, 'schema' AS kind, s.nspname::text AS schema, NULL::text AS name,"
          + " CASE WHEN NOT has_schema_privilege(s.oid, 'USAGE WITH GRANT OPTION') THEN 'USAGE'"
          + " WHEN NOT has_schema_privilege(s.oid, 'CREATE WITH GRANT OPTION') THEN 'CREATE' END"
          + " AS missing FROM s"
          + " UNION ALL SELECT 2, CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN"
          + " 'materialized view' WHEN 'f' THEN 'foreign table' ELSE 'table' END, s.nspname,"
          + " c.relname, CASE"
          + tableChecks("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
          + " END FROM pg_catalog.pg_class c JOIN s ON s.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relispartition"
          + " UNION ALL SELECT 3, 'sequence', s.nspname, c.relname, CASE"
          + " WHEN NOT has_sequence_privilege(c.oid, 'USAGE WITH GRANT OPTION') THEN 'USAGE'"
          + " WHEN NOT has_sequence_privilege(c.oid, 'SELECT WITH GRANT OPTION') THEN 'SELECT'"
          + " WHEN NOT has_sequence_privilege(c.oid, 'UPDATE WITH GRANT OPTION') THEN 'UPDATE' END"
          + " FROM pg_catalog.pg_class c JOIN s ON s.oid = c.relnamespace WHERE c.relkind = 'S'"
          + " UNION ALL SELECT 4, CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,"
          + " s.nspname, quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
          + " CASE WHEN NOT has_function_privilege(p.oid, 'EXECUTE WITH GRANT OPTION')"
          + " THEN 'EXECUTE' END"
          + " FROM pg_catalog.pg_proc p JOIN s ON s.oid = p.pronamespace"
          + " WHERE p.prokind IN ('f', 'p'))"
          + " SELECT kind, schema, name, missing FROM o WHERE missing IS NOT NULL"
          + " ORDER BY ord, schema, name";

  private final String connectorName;
  private final String markerRole;
  private final String database;
  private final ConnectionSource connections;

  /**
   * A verifier.
   *
   * @param connectorName the connector's configured name, for messages when login fails
   * @param markerRole the marker role
   * @param database the database to connect to first
   * @param connections connections as the connector
   */
  public SetupVerifier(
      String connectorName, String markerRole, String database, ConnectionSource connections) {
    this.connectorName = connectorName;
    this.markerRole = markerRole;
    this.database = database;
    this.connections = connections;
  }

  private static String tableChecks(String... privileges) {
    StringBuilder b = new StringBuilder();
    for (String p : privileges) {
      b.append(" WHEN NOT has_table_privilege(c.oid, '")
          .append(p)
          .append(" WITH GRANT OPTION') THEN '")
          .append(p)
          .append('\'');
    }
    return b.toString();
  }

  /**
   * Runs the checks.
   *
   * @param only the databases to check; empty for all the connector can see
   * @return the result
   */
  public SetupVerification verify(List<String> only) {
    SetupVerification.Builder result = SetupVerification.builder();
    Gaps gaps = new Gaps();
    String me = connectorName;
    List<String> databases = new ArrayList<>();
    try (Connection c = connections.open(database)) {
      int major = c.getMetaData().getDatabaseMajorVersion();
      try (PreparedStatement ps = c.prepareStatement(ROLE_QUERY)) {
        ps.setString(1, SetupSql.AZURE_PG_ADMIN);
        ps.setString(2, markerRole);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          me = rs.getString(1);
          String conn = ident(me);
          String azure = ident(SetupSql.AZURE_PG_ADMIN);
          if (!rs.getBoolean(2)) {
            gaps.add(
                me + " cannot log in (NOLOGIN)",
                "let " + me + " log in",
                roleStep("let " + me + " log in", "ALTER ROLE " + conn + " WITH LOGIN"));
          }
          if (!rs.getBoolean(3)) {
            gaps.add(
                me + " cannot create roles (NOCREATEROLE)",
                "let " + me + " create roles",
                roleStep("let " + me + " create roles", "ALTER ROLE " + conn + " WITH CREATEROLE"));
          }
          if (!rs.getBoolean(4)) {
            gaps.add("the role azure_pg_admin does not exist: this is not an Azure server");
          } else if (!rs.getBoolean(5)) {
            gaps.add(
                me + " is not a member of azure_pg_admin",
                "make " + me + " a member of azure_pg_admin",
                roleStep(
                    "make " + me + " a member of azure_pg_admin",
                    "GRANT " + azure + " TO " + conn));
          } else if (!rs.getBoolean(6)) {
            // On 16 and later inheritance is an option of the membership, before of the role.
            gaps.add(
                me + " does not inherit the privileges of azure_pg_admin",
                "let " + me + " inherit the privileges of azure_pg_admin",
                roleStep(
                    "let " + me + " inherit the privileges of azure_pg_admin",
                    major >= 16
                        ? "GRANT " + azure + " TO " + conn + " WITH INHERIT TRUE"
                        : "ALTER ROLE " + conn + " WITH INHERIT"));
          }
          String administer = "let " + me + " administer the marker role " + markerRole;
          if (!rs.getBoolean(7)) {
            gaps.add(
                "the marker role " + markerRole + " does not exist",
                "create the marker role " + markerRole + " and " + administer,
                roleStep(
                    "create the marker role " + markerRole + " and " + administer,
                    SetupSql.createRoleIfMissing(markerRole),
                    SetupSql.grantMarker(markerRole, me, major)));
          } else if (!rs.getBoolean(8)) {
            gaps.add(
                me
                    + " cannot administer the marker role "
                    + markerRole
                    + " (it needs ADMIN OPTION on it)",
                administer,
                roleStep(administer, SetupSql.grantMarker(markerRole, me, major)));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(DATABASE_QUERY);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String db = rs.getString(1);
          if (!only.isEmpty() && !only.contains(db)) {
            continue;
          }
          databases.add(db);
          if (db.equals("template1")) {
            continue; // Only its schemas matter: they are copied into new databases.
          }
          String[] names = {"CONNECT", "CREATE", "TEMPORARY"};
          for (int i = 0; i < names.length; i++) {
            if (!rs.getBoolean(2 + i)) {
              // Typically a database created after the setup: its own setup closes the gap.
              gaps.add(
                  "cannot grant " + names[i] + " on database " + db,
                  databaseSetup(db),
                  Plan.builder()
                      .addAllSteps(SetupSql.databaseSteps(database, List.of(db)))
                      .build());
            }
          }
        }
      }
    } catch (SQLException e) {
      gaps.add(
          me
              + " cannot log in to database "
              + database
              + " (SQLSTATE "
              + e.getSQLState()
              + ": "
              + firstLine(e.getMessage())
              + ")");
      return gaps.into(result.connector(me)).build();
    }
    for (String db : only) {
      if (!databases.contains(db)) {
        gaps.add("database " + db + " does not exist or does not accept connections");
      }
    }
    for (String db : databases) {
      result.addCheckedDatabase(db);
      checkObjects(db, gaps);
    }
    return gaps.into(result.connector(me)).build();
  }

  /** The missing items in order, and the fixes of those that have one. */
  private static final class Gaps {
    final List<String> missing = new ArrayList<>();
    final List<Fix> fixes = new ArrayList<>();

    void add(String item) {
      missing.add(item);
    }

    void add(String item, String description, Plan fix) {
      missing.add(item);
      fixes.add(new Fix(item, description, fix));
    }

    SetupVerification.Builder into(SetupVerification.Builder b) {
      return b.addAllMissing(missing).addAllFixes(fixes);
    }
  }

  private Plan roleStep(String description, String... sql) {
    Step.Builder step = Step.builder().database(database).strict(false).description(description);
    for (String s : sql) {
      step.addStatement(Statement.of(database, s, description));
    }
    return Plan.builder().addStep(step.build()).build();
  }

  private static String databaseSetup(String db) {
    return "the setup of database " + db + " (" + SetupSql.setupCommand(List.of(db)) + ")";
  }

  private void checkObjects(String db, Gaps gaps) {
    try (Connection c = connections.open(db);
        PreparedStatement ps = c.prepareStatement(OBJECT_QUERY);
        ResultSet rs = ps.executeQuery()) {
      int count = 0;
      while (rs.next()) {
        if (++count <= MAX_OBJECTS_NAMED) {
          String kind = rs.getString(1);
          String schema = rs.getString(2);
          String name = rs.getString(3);
          String object =
              kind.equals("schema")
                  ? Sql.ident(schema)
                  : kind.equals("function") || kind.equals("procedure")
                      ? Sql.ident(schema) + "." + name
                      : Sql.qualified(schema, name);
          String keyword =
              switch (kind) {
                case "schema", "sequence", "function", "procedure" -> kind.toUpperCase(Locale.ROOT);
                default -> "TABLE";
              };
          String description =
              "grant all privileges on "
                  + kind
                  + " "
                  + object
                  + " in database "
                  + db
                  + " to azure_pg_admin (as the admin or its owner)";
          gaps.add(
              "cannot grant "
                  + rs.getString(4)
                  + " on "
                  + kind
                  + " "
                  + object
                  + " in database "
                  + db,
              description,
              Plan.builder()
                  .addStep(
                      Step.builder()
                          .database(db)
                          .strict(false)
                          .description(description)
                          .addStatement(
                              Statement.of(
                                  db,
                                  "GRANT ALL PRIVILEGES ON "
                                      + keyword
                                      + " "
                                      + object
                                      + " TO "
                                      + ident(SetupSql.AZURE_PG_ADMIN)
                                      + " WITH GRANT OPTION",
                                  description))
                          .build())
                  .build());
        }
      }
      if (count > MAX_OBJECTS_NAMED) {
        gaps.add(
            "... and "
                + (count - MAX_OBJECTS_NAMED)
                + " more objects in database "
                + db
                + " on which a privilege cannot be granted",
            "the setup of the schemas and objects" + " of database " + db,
            Plan.builder().addStep(SetupSql.inDatabaseStep(db)).build());
      }
    } catch (SQLException e) {
      String item =
          "cannot check database "
              + db
              + " (SQLSTATE "
              + e.getSQLState()
              + ": "
              + firstLine(e.getMessage())
              + ")";
      if ("42501".equals(e.getSQLState())) {
        // The connector may not connect to it: the database's setup grants CONNECT.
        gaps.add(
            item,
            databaseSetup(db),
            Plan.builder().addAllSteps(SetupSql.databaseSteps(database, List.of(db))).build());
      } else {
        gaps.add(item);
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
