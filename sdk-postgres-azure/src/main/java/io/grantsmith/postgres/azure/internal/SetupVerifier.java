package io.grantsmith.postgres.azure.internal;

import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.SetupVerification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the checks of {@code ConnectorSetup.verify} as the connector: one query for the role,
 * one for the databases, and one per database for its schemas and objects.
 */
public final class SetupVerifier {
  /** How many objects per database are named before the rest is counted. */
  static final int MAX_OBJECTS_NAMED = 20;

  private static final String ROLE_QUERY = "SELECT r.rolname, r.rolcanlogin, r.rolcreaterole,"
      + " a.oid IS NOT NULL AS azure_exists,"
      + " coalesce(pg_has_role(r.oid, a.oid, 'MEMBER'), false) AS azure_member,"
      + " coalesce(pg_has_role(r.oid, a.oid, 'USAGE'), false) AS azure_usage,"
      + " m.oid IS NOT NULL AS marker_exists,"
      + " coalesce(pg_has_role(r.oid, m.oid, 'MEMBER WITH ADMIN OPTION'), false) AS marker_admin"
      + " FROM pg_catalog.pg_roles r"
      + " LEFT JOIN pg_catalog.pg_roles a ON a.rolname = ?"
      + " LEFT JOIN pg_catalog.pg_roles m ON m.rolname = ?"
      + " WHERE r.rolname = current_user";

  private static final String DATABASE_QUERY = "SELECT datname,"
      + " has_database_privilege(oid, 'CONNECT WITH GRANT OPTION'),"
      + " has_database_privilege(oid, 'CREATE WITH GRANT OPTION'),"
      + " has_database_privilege(oid, 'TEMPORARY WITH GRANT OPTION'),"
      + " has_database_privilege(oid, 'CONNECT')"
      + " FROM pg_catalog.pg_database WHERE datallowconn AND "
      + SetupSql.databaseFilter("datname") + " ORDER BY datname";

  /** Per object: the first privilege the current user cannot grant, or no row. */
  private static final String OBJECT_QUERY = "WITH s AS (SELECT oid, nspname FROM"
      + " pg_catalog.pg_namespace WHERE " + SetupSql.schemaFilter("nspname") + "),"
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
  public SetupVerifier(String connectorName, String markerRole, String database,
      ConnectionSource connections) {
    this.connectorName = connectorName;
    this.markerRole = markerRole;
    this.database = database;
    this.connections = connections;
  }

  private static String tableChecks(String... privileges) {
    StringBuilder b = new StringBuilder();
    for (String p : privileges) {
      b.append(" WHEN NOT has_table_privilege(c.oid, '").append(p)
          .append(" WITH GRANT OPTION') THEN '").append(p).append('\'');
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
    List<String> missing = new ArrayList<>();
    String me = connectorName;
    List<String> databases = new ArrayList<>();
    try (Connection c = connections.open(database)) {
      try (PreparedStatement ps = c.prepareStatement(ROLE_QUERY)) {
        ps.setString(1, SetupSql.AZURE_PG_ADMIN);
        ps.setString(2, markerRole);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          me = rs.getString(1);
          if (!rs.getBoolean(2)) {
            missing.add(me + " cannot log in (NOLOGIN)");
          }
          if (!rs.getBoolean(3)) {
            missing.add(me + " cannot create roles (NOCREATEROLE)");
          }
          if (!rs.getBoolean(4)) {
            missing.add("the role azure_pg_admin does not exist: this is not an Azure server");
          } else if (!rs.getBoolean(5)) {
            missing.add(me + " is not a member of azure_pg_admin");
          } else if (!rs.getBoolean(6)) {
            missing.add(me + " does not inherit the privileges of azure_pg_admin");
          }
          if (!rs.getBoolean(7)) {
            missing.add("the marker role " + markerRole + " does not exist");
          } else if (!rs.getBoolean(8)) {
            missing.add(me + " cannot administer the marker role " + markerRole
                + " (it needs ADMIN OPTION on it)");
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
            continue;  // Only its schemas matter: they are copied into new databases.
          }
          String[] names = {"CONNECT", "CREATE", "TEMPORARY"};
          for (int i = 0; i < names.length; i++) {
            if (!rs.getBoolean(2 + i)) {
              missing.add("cannot grant " + names[i] + " on database " + db);
            }
          }
        }
      }
    } catch (SQLException e) {
      missing.add(me + " cannot log in to database " + database + " (SQLSTATE "
          + e.getSQLState() + ": " + firstLine(e.getMessage()) + ")");
      return result.connector(me).addAllMissing(missing).build();
    }
    for (String db : only) {
      if (!databases.contains(db)) {
        missing.add("database " + db + " does not exist or does not accept connections");
      }
    }
    for (String db : databases) {
      result.addCheckedDatabase(db);
      checkObjects(db, missing);
    }
    return result.connector(me).addAllMissing(missing).build();
  }

  private void checkObjects(String db, List<String> missing) {
    try (Connection c = connections.open(db);
        PreparedStatement ps = c.prepareStatement(OBJECT_QUERY);
        ResultSet rs = ps.executeQuery()) {
      int count = 0;
      while (rs.next()) {
        if (++count <= MAX_OBJECTS_NAMED) {
          String kind = rs.getString(1);
          String schema = rs.getString(2);
          String name = rs.getString(3);
          String object = kind.equals("schema") ? Sql.ident(schema)
              : kind.equals("function") || kind.equals("procedure")
                  ? Sql.ident(schema) + "." + name : Sql.qualified(schema, name);
          missing.add("cannot grant " + rs.getString(4) + " on " + kind + " " + object
              + " in database " + db);
        }
      }
      if (count > MAX_OBJECTS_NAMED) {
        missing.add("... and " + (count - MAX_OBJECTS_NAMED) + " more objects in database " + db
            + " on which a privilege cannot be granted");
      }
    } catch (SQLException e) {
      missing.add("cannot check database " + db + " (SQLSTATE " + e.getSQLState() + ": "
          + firstLine(e.getMessage()) + ")");
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
