package io.grantsmith.postgres.azure.internal;

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
 * Runs the checks of {@code ConnectorSetup.verify} as the connector: one query for the role (and,
 * for a connector that logs in with tokens, one for the Entra administrators where the server lists
 * them), one for the databases, and one per database for its schemas and objects. Each gap it can
 * close comes with its fix: statements for the server admin, a statement for the connector itself,
 * or the step an Azure administrator takes.
 */
public final class SetupVerifier {
  /** How many objects per database are named before the rest is counted. */
  static final int MAX_OBJECTS_NAMED = 20;

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
    boolean listEntraAdministrators = false;
    try (Connection c = connections.open(database)) {
      int major = c.getMetaData().getDatabaseMajorVersion();
      try (PreparedStatement ps = c.prepareStatement(SetupQueries.ROLE)) {
        ps.setString(1, SetupSql.AZURE_PG_ADMIN);
        ps.setString(2, markerRole);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          me = rs.getString(1);
          Renderer render = new Renderer(major);
          if (!rs.getBoolean(2)) {
            gaps.add(
                me + " cannot log in (NOLOGIN)",
                "let " + me + " log in",
                roleStep("let " + me + " log in", Renderer.setupAllowLogin(me)));
          }
          if (!rs.getBoolean(3)) {
            gaps.add(
                me + " cannot create roles (NOCREATEROLE)",
                "let " + me + " create roles",
                roleStep("let " + me + " create roles", Renderer.setupAllowCreateRole(me)));
          }
          if (!rs.getBoolean(4)) {
            gaps.add("the role azure_pg_admin does not exist: this is not an Azure server");
          } else if (!rs.getBoolean(5)) {
            gaps.add(
                me + " is not a member of azure_pg_admin",
                "make " + me + " a member of azure_pg_admin",
                roleStep(
                    "make " + me + " a member of azure_pg_admin",
                    Renderer.setupGrantAzurePgAdmin(me)));
          } else if (!rs.getBoolean(6)) {
            // On 16 and later inheritance is an option of the membership, before of the role.
            gaps.add(
                me + " does not inherit the privileges of azure_pg_admin",
                "let " + me + " inherit the privileges of azure_pg_admin",
                roleStep(
                    "let " + me + " inherit the privileges of azure_pg_admin",
                    render.setupInheritAzurePgAdmin(me)));
          }
          String administer = "let " + me + " administer the marker role " + markerRole;
          if (!rs.getBoolean(7)) {
            gaps.add(
                "the marker role " + markerRole + " does not exist",
                "create the marker role " + markerRole + " and " + administer,
                roleStep(
                    "create the marker role " + markerRole + " and " + administer,
                    Renderer.setupCreateRoleIfMissing(markerRole),
                    render.setupGrantMarker(markerRole, me)));
          } else if (!rs.getBoolean(8)) {
            gaps.add(
                me
                    + " cannot administer the marker role "
                    + markerRole
                    + " (it needs ADMIN OPTION on it)",
                administer,
                roleStep(administer, render.setupGrantMarker(markerRole, me)));
          }
          if (major >= 16 && !setAndInherit(rs.getString(9))) {
            selfGrantGap(me, rs.getString(9), gaps);
          }
          listEntraAdministrators = rs.getBoolean(10);
        }
      }
      if (listEntraAdministrators && connections.logsInWithTokens()) {
        checkEntraAdministrator(c, me, gaps);
      }
      try (PreparedStatement ps = c.prepareStatement(SetupQueries.DATABASE_PRIVILEGES);
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
                      .addAllSteps(Renderer.setupDatabaseSteps(database, List.of(db)))
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

  /**
   * Whether a value of {@code createrole_self_grant} names both {@code set} and {@code inherit}: a
   * comma-separated list, case-insensitive, items optionally double-quoted, as PostgreSQL reads it.
   *
   * @param value the setting, or null where the server has none
   * @return true if both are named
   */
  static boolean setAndInherit(String value) {
    if (value == null) {
      return false;
    }
    boolean set = false;
    boolean inherit = false;
    for (String item : value.split(",", -1)) {
      String option = item.strip();
      if (option.length() >= 2 && option.startsWith("\"") && option.endsWith("\"")) {
        option = option.substring(1, option.length() - 1);
      }
      set |= option.equalsIgnoreCase("set");
      inherit |= option.equalsIgnoreCase("inherit");
    }
    return set && inherit;
  }

  /**
   * On 16 and later: the connector's sessions do not make it a member (SET, INHERIT) of the roles
   * it creates. This session's value is what its {@code CREATE ROLE} uses, wherever it comes from
   * (the role's own setting, which the setup makes, a database's, or the server's). The connector
   * sets it on itself, which any role may: the server admin cannot alter an Entra administrator's
   * role.
   */
  private void selfGrantGap(String me, String value, Gaps gaps) {
    String statement = Renderer.setupCreateroleSelfGrant(me);
    String description =
        "run as "
            + me
            + " itself, logged in as it (the server admin cannot alter the role of an Entra"
            + " administrator), then open new sessions: "
            + statement;
    Step step =
        Step.builder()
            .database(database)
            .strict(false)
            .description("make " + me + " a member of every role it creates")
            .addStatement(
                Statement.of(
                    database,
                    statement,
                    "make "
                        + me
                        + " a member of every role it creates, so it may end their sessions"))
            .build();
    gaps.add(
        me
            + " does not become a member (SET, INHERIT) of the roles it creates: its sessions run"
            + " with createrole_self_grant = '"
            + (value == null ? "" : value)
            + "'",
        description,
        Plan.builder().addStep(step).build(),
        Fix.RunAs.CONNECTOR);
  }

  /**
   * In Entra mode, where the server lists its Entra administrators ({@code
   * pgaadauth_list_principals(true)}, on Azure and in the testkit's emulation): whether the
   * connector is one of them. A server that refuses the list (SQLSTATE 42501) cannot say.
   */
  private static void checkEntraAdministrator(Connection c, String me, Gaps gaps) {
    boolean found = false;
    try (PreparedStatement ps = c.prepareStatement(SetupQueries.ENTRA_ADMINISTRATORS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        found |= me.equals(rs.getString(1));
      }
    } catch (SQLException e) {
      if (!"42501".equals(e.getSQLState())) {
        gaps.add(
            "cannot list the Microsoft Entra administrators (SQLSTATE "
                + e.getSQLState()
                + ": "
                + firstLine(e.getMessage())
                + ")");
      }
      return;
    }
    if (!found) {
      gaps.add(
          me + " is not a Microsoft Entra administrator of the server",
          "make "
              + me
              + " a Microsoft Entra administrator of the server, as an Azure administrator: in"
              + " the Azure portal, Security > Authentication > Add Microsoft Entra administrators,"
              + " or with the Azure CLI: az postgres flexible-server microsoft-entra-admin create"
              + " -g RG -s SERVER --display-name "
              + me
              + " --object-id OBJECT_ID --type ServicePrincipal (User or Group for a person or a"
              + " group)",
          Plan.builder().build(),
          Fix.RunAs.AZURE_ADMINISTRATOR);
    }
  }

  /** The missing items in order, and the fixes of those that have one. */
  private static final class Gaps {
    final List<String> missing = new ArrayList<>();
    final List<Fix> fixes = new ArrayList<>();

    void add(String item) {
      missing.add(item);
    }

    void add(String item, String description, Plan fix) {
      add(item, description, fix, Fix.RunAs.SERVER_ADMIN);
    }

    void add(String item, String description, Plan fix, Fix.RunAs runAs) {
      missing.add(item);
      fixes.add(new Fix(item, description, fix, runAs));
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
        PreparedStatement ps = c.prepareStatement(SetupQueries.UNGRANTABLE_OBJECTS);
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
                                  db, Renderer.setupGrantObject(keyword, object), description))
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
            Plan.builder().addStep(Renderer.setupInDatabaseStep(db)).build());
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
            Plan.builder().addAllSteps(Renderer.setupDatabaseSteps(database, List.of(db))).build());
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
