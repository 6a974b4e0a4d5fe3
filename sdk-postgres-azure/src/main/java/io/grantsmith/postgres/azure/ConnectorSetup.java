package io.grantsmith.postgres.azure;

import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Identifiers;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Secret;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.Renderer;
import io.grantsmith.postgres.azure.internal.SetupQueries;
import io.grantsmith.postgres.azure.internal.SetupSql;
import io.grantsmith.postgres.azure.internal.SetupVerifier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The one-time setup of the connector's role on an Azure Database for PostgreSQL server, run by the
 * server admin, and its {@linkplain #verify verification}, run as the connector.
 *
 * <p>The setup follows the integration guide's four steps:
 *
 * <ol>
 *   <li>create the connector, a LOGIN role with CREATEROLE that is a member of {@code
 *       azure_pg_admin}, and the NOLOGIN marker role ({@value #DEFAULT_MARKER_ROLE}) whose members
 *       are the users the connector manages; the connector holds the marker WITH ADMIN OPTION. On
 *       PostgreSQL 16 and later, where CREATEROLE no longer lets a role grant or alter roles it did
 *       not create, the connector is also set to receive membership (SET and INHERIT) in every role
 *       it creates ({@code createrole_self_grant}), so that it may end their sessions and reassign
 *       what they own;
 *   <li>grant all privileges on every database (except {@code template0}, {@code azure_sys} and
 *       {@code azure_maintenance}) to {@code azure_pg_admin} WITH GRANT OPTION;
 *   <li>in each of those databases, grant all privileges on every schema (except {@code pg_*},
 *       {@code information_schema} and {@code cron}) and on all tables, sequences and routines in
 *       them to {@code azure_pg_admin} WITH GRANT OPTION, and the same as the admin's default
 *       privileges;
 *   <li>the same in {@code template1}, so that future databases start with it.
 * </ol>
 *
 * <p>Every statement is safe to run again. The setup is available as a psql script for a person
 * ({@link #script()}, {@link #script(Collection)}) or as a {@link Plan} for an {@code Executor}
 * that logs in as the admin ({@link #plan(Secret, ConnectionSource)}). A database created after the
 * setup gets its own part of it, steps 2 and 3 for that database only, with {@link
 * #scriptFor(String)} or {@link #planFor(String)}:
 *
 * <pre>{@code
 * ConnectorSetup setup = ConnectorSetup.builder().majorVersion(16).build();
 * Plan plan = setup.plan(connectorPassword, ConnectionSource.of(integration, adminCredentials));
 * JdbcExecutor.builder().connections(ConnectionSource.of(integration, adminCredentials)).build()
 *     .apply(plan);
 * SetupVerification check = setup.verify(ConnectionSource.of(integration, connectorCredentials));
 * }</pre>
 */
public final class ConnectorSetup {
  /** The connector's role name unless another is chosen. */
  public static final String DEFAULT_CONNECTOR_NAME = Conventions.DEFAULT_CONNECTOR_NAME;

  /** The NOLOGIN role whose members are the users the connector manages. */
  public static final String DEFAULT_MARKER_ROLE = Conventions.DEFAULT_MARKER_ROLE;

  /** The psql variable that holds the connector's password in printed scripts. */
  public static final String PASSWORD_VARIABLE = "connector_password";

  /** The file the self-discovering {@linkplain #script() script} writes and then runs. */
  public static final String GENERATED_FILE = "grantsmith-setup-databases.sql";

  /** The database role-level statements run in unless another is chosen. */
  public static final String DEFAULT_DATABASE = "postgres";

  private final String connectorName;
  private final String markerRole;
  private final int majorVersion;
  private final String database;

  private ConnectorSetup(Builder b) {
    this.connectorName =
        Identifiers.checkCreatableRole("ConnectorSetup.connectorName", b.connectorName);
    this.markerRole = Identifiers.checkCreatableRole("ConnectorSetup.markerRole", b.markerRole);
    if (connectorName.equals(markerRole)) {
      throw new InvalidValueException(
          "ConnectorSetup.markerRole", "must differ from the connector's name", markerRole);
    }
    if (b.majorVersion < 11) {
      throw new InvalidValueException(
          "ConnectorSetup.majorVersion",
          "must be set to a supported major version (11 or later)",
          b.majorVersion);
    }
    this.majorVersion = b.majorVersion;
    this.database = Identifiers.check("ConnectorSetup.database", b.database);
  }

  /**
   * A new builder; {@link Builder#majorVersion(int)} is required.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ConnectorSetup}. */
  public static final class Builder {
    private String connectorName = DEFAULT_CONNECTOR_NAME;
    private String markerRole = DEFAULT_MARKER_ROLE;
    private int majorVersion;
    private String database = DEFAULT_DATABASE;

    private Builder() {}

    /**
     * Sets the connector's role name (default {@value ConnectorSetup#DEFAULT_CONNECTOR_NAME}).
     *
     * @param connectorName a role name that is not reserved ({@code pg_*}, {@code azure_*}, ...)
     * @return this builder
     */
    public Builder connectorName(String connectorName) {
      this.connectorName = connectorName;
      return this;
    }

    /**
     * Sets the marker role's name (default {@value ConnectorSetup#DEFAULT_MARKER_ROLE}).
     *
     * @param markerRole a role name that is not reserved
     * @return this builder
     */
    public Builder markerRole(String markerRole) {
      this.markerRole = markerRole;
      return this;
    }

    /**
     * Sets the connector's name and the marker role from {@code conventions}, as the {@link
     * AccessManager} and {@link Discovery} of the same server read them.
     *
     * @param conventions the names
     * @return this builder
     */
    public Builder conventions(Conventions conventions) {
      this.connectorName = conventions.connectorName();
      this.markerRole = conventions.markerRole();
      return this;
    }

    /**
     * Sets the server's major version (required).
     *
     * @param majorVersion e.g. 16
     * @return this builder
     */
    public Builder majorVersion(int majorVersion) {
      this.majorVersion = majorVersion;
      return this;
    }

    /**
     * Sets the database the role-level statements run in and the databases are listed from (default
     * {@value ConnectorSetup#DEFAULT_DATABASE}).
     *
     * @param database a database the admin can connect to
     * @return this builder
     */
    public Builder database(String database) {
      this.database = database;
      return this;
    }

    /**
     * Builds and validates.
     *
     * @return the setup
     * @throws InvalidValueException if a name is invalid or reserved, or the version is unset
     */
    public ConnectorSetup build() {
      return new ConnectorSetup(this);
    }
  }

  /**
   * The connector's role name.
   *
   * @return e.g. {@value #DEFAULT_CONNECTOR_NAME}
   */
  public String connectorName() {
    return connectorName;
  }

  /**
   * The marker role's name.
   *
   * @return e.g. {@value #DEFAULT_MARKER_ROLE}
   */
  public String markerRole() {
    return markerRole;
  }

  /**
   * The server major version the SQL is rendered for.
   *
   * @return e.g. 16
   */
  public int majorVersion() {
    return majorVersion;
  }

  /**
   * The database role-level statements run in.
   *
   * @return e.g. {@value #DEFAULT_DATABASE}
   */
  public String database() {
    return database;
  }

  /**
   * The setup for the given databases as a {@link Plan} for an executor that logs in as the server
   * admin: step 1 in {@link #database()}, then one step per database. The password is sent as a
   * SCRAM-SHA-256 verifier and appears in {@link Statement#redacted()} and {@link Plan#toSql()}
   * only as the psql variable {@code :'connector_password'}.
   *
   * @param password the connector's password
   * @param databases the databases to set up (those of {@link #EXCLUDED} are ignored), e.g. from
   *     {@link #databases(ConnectionSource)}
   * @return the plan
   */
  public Plan plan(Secret password, Collection<String> databases) {
    Objects.requireNonNull(password, "password");
    Statement passwordStatement =
        new Renderer(majorVersion).setPassword(database, connectorName, password);
    passwordStatement = Statement.builder().from(passwordStatement).redacted(passwordSql()).build();
    return build(passwordStatement, databases);
  }

  /**
   * The setup for every database the admin can connect to: lists them with one query as the admin
   * (see {@link #databases(ConnectionSource)}) and returns {@link #plan(Secret, Collection)} for
   * them.
   *
   * @param password the connector's password
   * @param admin connections as the server admin
   * @return the plan
   * @throws GrantsmithException if the databases cannot be listed, or the server's major version is
   *     not {@link #majorVersion()}
   */
  public Plan plan(Secret password, ConnectionSource admin) {
    return plan(password, databases(admin));
  }

  /**
   * Databases the setup never touches: {@code template0}, {@code azure_sys}, {@code
   * azure_maintenance}.
   */
  public static final List<String> EXCLUDED = SetupSql.EXCLUDED_DATABASES;

  /**
   * Lists, with one query as the admin in {@link #database()}, the databases the setup covers:
   * those that accept connections and that the admin may connect to, except {@link #EXCLUDED};
   * {@code template1} included (step 4).
   *
   * @param admin connections as the server admin
   * @return the database names, sorted
   * @throws GrantsmithException if the query fails or the server's major version is not {@link
   *     #majorVersion()}
   */
  public List<String> databases(ConnectionSource admin) {
    try (Connection c = admin.open(database);
        java.sql.Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(SetupQueries.DATABASES)) {
      rs.next();
      int major = rs.getInt(1);
      if (major != majorVersion) {
        throw new GrantsmithException(
            "The server runs PostgreSQL "
                + major
                + " but the setup is rendered for "
                + majorVersion);
      }
      List<String> out = new ArrayList<>();
      for (Object o : (Object[]) rs.getArray(2).getArray()) {
        out.add((String) o);
      }
      return List.copyOf(out);
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot list the databases in "
              + database
              + " (SQLSTATE "
              + e.getSQLState()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The setup as a psql script for the given databases, to run as the server admin: {@code psql
   * "host=... user=<admin> dbname=postgres" -f setup.sql}. It asks for the connector's password
   * unless the variable {@code connector_password} is set ({@code -v connector_password=...}); the
   * password itself never appears in the script.
   *
   * @param databases the databases to set up, e.g. from {@link #databases(ConnectionSource)}
   * @return the script
   */
  public String script(Collection<String> databases) {
    return preamble()
        + build(
                Statement.of(database, passwordSql(), "set the password of " + connectorName),
                databases)
            .toSql();
  }

  /**
   * The setup as a psql script that finds the databases itself, to run as the server admin. Steps 1
   * and 2 run in the database psql connects to; for steps 3 and 4 the script lists the databases,
   * writes a {@code \connect} and the grant block for each to the file {@value #GENERATED_FILE} in
   * the current directory, and runs it with {@code \i}.
   *
   * @return the script
   */
  public String script() {
    StringBuilder out = new StringBuilder(preamble());
    out.append("-- 1. the connector ")
        .append(connectorName)
        .append(" and the marker role ")
        .append(markerRole)
        .append('\n');
    for (Statement s : roleStatements(Statement.of(database, passwordSql(), "password"))) {
      out.append(s.redacted()).append(";\n");
    }
    appendDatabaseSteps(out);
    return out.toString();
  }

  private void appendDatabaseSteps(StringBuilder out) {
    out.append("-- 2. all privileges on the databases to azure_pg_admin\n")
        .append(Renderer.setupGrantOnAllDatabases())
        .append(";\n")
        .append(
            "-- 3 and 4. in each database (template1 too): privileges on its schemas and"
                + " their objects\n")
        .append("\\pset tuples_only on\n\\pset format unaligned\n")
        .append(Renderer.setupScriptPerDatabase())
        .append("\\g ")
        .append(GENERATED_FILE)
        .append('\n')
        .append("\\pset format aligned\n\\pset tuples_only off\n")
        .append("\\i ")
        .append(GENERATED_FILE)
        .append('\n');
  }

  /**
   * The setup of databases created after the connector's setup, as a {@link Plan} for an executor
   * that logs in as the server admin: all privileges on each database to {@code azure_pg_admin}
   * WITH GRANT OPTION (run in {@link #database()}), then in each of them the same on its schemas
   * and their tables, sequences and routines, and the admin's default privileges there. The
   * connector and the marker role are left as they are. Until this runs, {@link
   * AccessManager#grant} refuses requests that touch such a database.
   *
   * <pre>{@code
   * Plan late = setup.planFor("late");
   * JdbcExecutor.builder().connections(adminConnections).build().apply(late);
   * }</pre>
   *
   * @param databases the databases, e.g. {@code List.of("late")}
   * @return the plan
   * @throws InvalidValueException if none is given, or a name is invalid or one of {@link
   *     #EXCLUDED}
   */
  public Plan planFor(Collection<String> databases) {
    Objects.requireNonNull(databases, "databases");
    List<String> dbs = new ArrayList<>();
    for (String d : databases) {
      Identifiers.check("ConnectorSetup.databases", d);
      InvalidValueException.check(
          !EXCLUDED.contains(d),
          "ConnectorSetup.databases",
          "must not name " + String.join(", ", EXCLUDED),
          d);
      if (!dbs.contains(d)) {
        dbs.add(d);
      }
    }
    InvalidValueException.check(
        !dbs.isEmpty(), "ConnectorSetup.databases", "must name at least one database", databases);
    return Plan.builder().addAllSteps(Renderer.setupDatabaseSteps(database, dbs)).build();
  }

  /**
   * {@link #planFor(Collection)} for one database.
   *
   * @param database the database, e.g. {@code "late"}
   * @return the plan
   * @throws InvalidValueException if the name is invalid or one of {@link #EXCLUDED}
   */
  public Plan planFor(String database) {
    return planFor(List.of(Objects.requireNonNull(database, "database")));
  }

  /**
   * {@link #planFor(Collection)} as a psql script to run as the server admin, as {@code grantsmith
   * setup-sql --database NAME} prints it: {@code psql "host=... user=<admin> dbname=postgres" -f
   * setup-late.sql}. It needs no password and does not touch the connector.
   *
   * @param databases the databases
   * @return the script
   * @throws InvalidValueException if none is given, or a name is invalid or one of {@link
   *     #EXCLUDED}
   */
  public String scriptFor(Collection<String> databases) {
    Plan plan = planFor(databases);
    return "-- Grantsmith connector setup for databases created after the connector setup\n"
        + "-- Run as the server admin with psql; the connector itself is left unchanged.\n"
        + "\\set ON_ERROR_STOP on\n"
        + plan.toSql();
  }

  /**
   * {@link #scriptFor(Collection)} for one database.
   *
   * @param database the database
   * @return the script
   * @throws InvalidValueException if the name is invalid or one of {@link #EXCLUDED}
   */
  public String scriptFor(String database) {
    return scriptFor(List.of(Objects.requireNonNull(database, "database")));
  }

  private String preamble() {
    return "-- Grantsmith connector setup for Azure Database for PostgreSQL "
        + majorVersion
        + "\n-- Run as the server admin with psql; the connector's password is the psql variable "
        + PASSWORD_VARIABLE
        + ".\n"
        + "\\set ON_ERROR_STOP on\n"
        + "\\if :{?"
        + PASSWORD_VARIABLE
        + "}\n"
        + "\\else\n"
        + "\\prompt "
        + SetupSql.psqlQuote("Password for " + connectorName + ": ")
        + " "
        + PASSWORD_VARIABLE
        + "\n"
        + "\\endif\n";
  }

  private String passwordSql() {
    return Renderer.setupPasswordFromVariable(connectorName, PASSWORD_VARIABLE);
  }

  private Plan build(Statement passwordStatement, Collection<String> databases) {
    return build(
        roleStatements(passwordStatement),
        "1. create the connector " + connectorName + " and the marker role " + markerRole,
        databases);
  }

  private Plan build(List<Statement> role, String roleDescription, Collection<String> databases) {
    Objects.requireNonNull(databases, "databases");
    List<String> dbs = new ArrayList<>();
    for (String d : databases) {
      Identifiers.check("ConnectorSetup.databases", d);
      if (!EXCLUDED.contains(d) && !dbs.contains(d)) {
        dbs.add(d);
      }
    }
    Plan.Builder plan = Plan.builder();
    plan.addStep(
        Step.builder()
            .database(database)
            .strict(false)
            .description(roleDescription)
            .addAllStatements(role)
            .build());
    plan.addAllSteps(Renderer.setupDatabaseSteps(database, dbs));
    return plan.build();
  }

  private List<Statement> roleStatements(Statement passwordStatement) {
    String db = database;
    Renderer render = new Renderer(majorVersion);
    List<Statement> out = new ArrayList<>();
    out.add(
        Statement.of(
            db,
            Renderer.setupCreateRoleIfMissing(connectorName),
            "create the role " + connectorName + " unless it exists"));
    out.add(
        Statement.of(
            db,
            Renderer.setupConnectorAttributes(connectorName),
            "let " + connectorName + " log in and create roles"));
    out.add(passwordStatement);
    out.add(
        Statement.of(
            db,
            Renderer.setupGrantAzurePgAdmin(connectorName),
            "make " + connectorName + " a member of azure_pg_admin"));
    if (majorVersion >= 16) {
      out.add(
          Statement.of(
              db,
              Renderer.setupCreateroleSelfGrant(connectorName),
              "make "
                  + connectorName
                  + " a member of every role it creates, so it may end their sessions"));
    }
    out.add(
        Statement.of(
            db,
            Renderer.setupCreateRoleIfMissing(markerRole),
            "create the marker role " + markerRole + " unless it exists"));
    out.add(
        Statement.of(
            db,
            render.setupGrantMarker(markerRole, connectorName),
            "let " + connectorName + " administer " + markerRole));
    return out;
  }

  /**
   * The setup for a connector that logs in with Microsoft Entra tokens, for an executor that logs
   * in as the server admin. The connector's role is not created, altered or given a password here:
   * it is the role of a Microsoft Entra administrator of the server, which an Azure administrator
   * adds in the portal or through ARM first (only Entra administrators may create Entra roles). The
   * plan makes it a member of {@code azure_pg_admin}, creates the marker role and gives the
   * connector ADMIN OPTION on it, and grants the same database, schema and object privileges to
   * {@code azure_pg_admin} as {@link #plan(Secret, Collection)} does. On PostgreSQL 16 and later
   * the connector then runs {@link #planForEntraConnectorItself()} once.
   *
   * @param databases the databases to set up (those of {@link #EXCLUDED} are ignored)
   * @return the plan
   */
  public Plan planForEntraAdministrator(Collection<String> databases) {
    return build(
        entraRoleStatements(),
        "1. the marker role " + markerRole + " for the Entra administrator " + connectorName,
        databases);
  }

  private List<Statement> entraRoleStatements() {
    Renderer render = new Renderer(majorVersion);
    List<Statement> role = new ArrayList<>();
    role.add(
        Statement.of(
            database,
            Renderer.setupGrantAzurePgAdmin(connectorName),
            "make " + connectorName + " a member of azure_pg_admin"));
    role.add(
        Statement.of(
            database,
            Renderer.setupCreateRoleIfMissing(markerRole),
            "create the marker role " + markerRole + " unless it exists"));
    role.add(
        Statement.of(
            database,
            render.setupGrantMarker(markerRole, connectorName),
            "let " + connectorName + " administer " + markerRole));
    return role;
  }

  /**
   * The part of the {@linkplain #planForEntraAdministrator Entra connector's setup} that the
   * connector runs itself, logged in with its token: on PostgreSQL 16 and later it asks for
   * membership (SET and INHERIT) in every role it creates ({@code createrole_self_grant}), which
   * the server admin cannot set for a role it did not create; empty before 16.
   *
   * @return the plan, for an executor that logs in as the connector
   */
  public Plan planForEntraConnectorItself() {
    Plan.Builder plan = Plan.builder();
    if (majorVersion >= 16) {
      plan.addStep(
          Step.builder()
              .database(database)
              .description("make " + connectorName + " a member of every role it creates")
              .addStatement(
                  Statement.of(
                      database,
                      Renderer.setupCreateroleSelfGrant(connectorName),
                      "make "
                          + connectorName
                          + " a member of every role it creates, so it may end their sessions"))
              .build());
    }
    return plan.build();
  }

  /**
   * {@link #planForEntraAdministrator} and {@link #planForEntraConnectorItself} as one psql script
   * with the Azure administrator's step first, as {@code grantsmith setup-sql --auth entra} prints
   * it. It needs no password.
   *
   * @param databases the databases to set up
   * @return the script
   */
  public String scriptForEntraAdministrator(Collection<String> databases) {
    return entraPreamble() + planForEntraAdministrator(databases).toSql() + entraSelfPart();
  }

  /**
   * {@link #scriptForEntraAdministrator(Collection)} as a script that finds the databases itself,
   * as {@link #script()} does, for the server admin's part.
   *
   * @return the script
   */
  public String scriptForEntraAdministrator() {
    StringBuilder out = new StringBuilder(entraPreamble());
    out.append("-- 1. the marker role ")
        .append(markerRole)
        .append(" for the Entra administrator ")
        .append(connectorName)
        .append('\n');
    for (Statement s : entraRoleStatements()) {
      out.append(s.redacted()).append(";\n");
    }
    appendDatabaseSteps(out);
    return out.append(entraSelfPart()).toString();
  }

  private String entraPreamble() {
    return "-- Grantsmith connector setup for a connector that logs in with Microsoft Entra"
        + " tokens\n-- (Azure Database for PostgreSQL "
        + majorVersion
        + ")\n"
        + "-- A. An Azure administrator makes the connector's identity a Microsoft Entra\n"
        + "--    administrator of the server: in the portal, Security > Authentication >\n"
        + "--    Add Microsoft Entra administrators; or with the Azure CLI:\n"
        + "--      az postgres flexible-server microsoft-entra-admin create -g RG -s SERVER\n"
        + "--        --display-name "
        + connectorName
        + " --object-id OBJECT_ID --type ServicePrincipal\n"
        + "--    (--type User or Group for a person or a group). Its role name is "
        + connectorName
        + ".\n"
        + "-- B. The server admin runs the rest of this script with psql (no password is set).\n"
        + "\\set ON_ERROR_STOP on\n";
  }

  private String entraSelfPart() {
    Plan self = planForEntraConnectorItself();
    if (self.steps().isEmpty()) {
      return "";
    }
    StringBuilder out =
        new StringBuilder("\n-- C. Then the connector runs once, logged in with its token:\n");
    for (Step step : self.steps()) {
      for (Statement s : step.statements()) {
        out.append("--    ").append(s.redacted()).append(";\n");
      }
    }
    return out.toString();
  }

  /**
   * Checks, logged in as the connector, that it can do its job on every database it can see (except
   * {@link #EXCLUDED}; for {@code template1} only the schemas): see {@link
   * #verify(ConnectionSource, Collection)}.
   *
   * @param connector connections as the connector
   * @return what is missing, if anything
   */
  public SetupVerification verify(ConnectionSource connector) {
    return verify(connector, List.of());
  }

  /**
   * Checks, logged in as the connector, that it can do its job: it may log in and create roles, it
   * inherits {@code azure_pg_admin}, the marker role exists and it holds it WITH ADMIN OPTION, on
   * PostgreSQL 16 and later its sessions run with {@code createrole_self_grant} naming {@code set}
   * and {@code inherit} (read with {@code current_setting} in its own session, so a server-wide
   * setting counts too; the fix, {@code ALTER ROLE ... SET createrole_self_grant}, is for the
   * connector to run itself), and in each database it may grant CONNECT, CREATE and TEMPORARY, and
   * USAGE and CREATE on every schema and all privileges on every table, sequence and routine in
   * them. When the connections {@linkplain ConnectionSource#logsInWithTokens() log in with tokens}
   * and the server lists its Entra administrators ({@code pgaadauth_list_principals(true)} in
   * {@link #database()}), the connector must be one of them. Nothing is changed; the check uses
   * {@code has_*_privilege(..., 'WITH GRANT OPTION')}.
   *
   * @param connector connections as the connector
   * @param databases the databases to check; empty for all it can see
   * @return what is missing, if anything; never throws for a missing privilege or a failed login,
   *     which are reported as problems
   */
  public SetupVerification verify(ConnectionSource connector, Collection<String> databases) {
    Objects.requireNonNull(connector, "connector");
    return new SetupVerifier(connectorName, markerRole, database, connector)
        .verify(List.copyOf(databases));
  }

  @Override
  public String toString() {
    return "ConnectorSetup{connector="
        + connectorName
        + ", marker="
        + markerRole
        + ", PostgreSQL "
        + majorVersion
        + "}";
  }
}
