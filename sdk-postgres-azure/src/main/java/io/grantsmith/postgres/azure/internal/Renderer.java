package io.grantsmith.postgres.azure.internal;

import static io.grantsmith.postgres.azure.internal.Sql.literal;

import io.grantsmith.api.DefaultPrivilege;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.postgresql.util.PasswordUtil;

/**
 * Renders every statement Grantsmith sends. Names go through {@link Sql#ident}, literals through
 * {@link Sql#literal}; a password (printable ASCII) is sent as a SCRAM-SHA-256 verifier computed on
 * the client by pgjdbc's {@link PasswordUtil#encodeScramSha256(char[])}, never in clear text, and
 * is replaced by {@code '****'} in the statement's redacted form. The connector setup's statements,
 * run by the server admin, are in their own block ({@code setup*}).
 */
public final class Renderer {
  /** What stands for a password in redacted SQL. */
  public static final String MASK = "'****'";

  /** The SQLSTATE the lifecycle's guards raise when a role or its lease changed concurrently. */
  public static final String CONFLICT_SQLSTATE = "GS409";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final int majorVersion;

  /**
   * A renderer for a server of this major version.
   *
   * @param majorVersion e.g. 17
   */
  public Renderer(int majorVersion) {
    this.majorVersion = majorVersion;
  }

  /**
   * Quotes a name exactly as this server version's {@code quote_ident} does.
   *
   * @param name an identifier
   * @return the quoted identifier
   */
  public String id(String name) {
    return Sql.ident(name, majorVersion);
  }

  /**
   * The server major version this renderer targets.
   *
   * @return e.g. 17
   */
  public int majorVersion() {
    return majorVersion;
  }

  /**
   * A timestamp literal in UTC, e.g. {@code '2026-11-25 10:00:00.000000+00'}.
   *
   * @param instant the instant
   * @return the literal
   */
  public static String timestamp(Instant instant) {
    return literal(TIMESTAMP.format(instant));
  }

  /**
   * {@code CREATE ROLE} with every attribute of the spec except LOGIN, which is always NOLOGIN
   * here: login is enabled last, by {@link #setLogin}.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @return the statement
   */
  public Statement createRole(String db, RoleSpec role) {
    String head =
        "CREATE ROLE "
            + id(role.name())
            + " WITH NOLOGIN "
            + (role.inherit() ? "INHERIT" : "NOINHERIT")
            + " CONNECTION LIMIT "
            + role.connectionLimit()
            + role.validUntil().map(v -> " VALID UNTIL " + timestamp(v)).orElse("");
    return withPassword(db, head, role.password().orElse(null), "create role " + role.name());
  }

  /**
   * {@code ALTER ROLE ... PASSWORD}.
   *
   * @param db the database the statement runs in
   * @param role the role's name
   * @param password the new password
   * @return the statement
   */
  public Statement setPassword(String db, String role, Secret password) {
    return withPassword(
        db, "ALTER ROLE " + id(role) + " WITH", password, "set the password of " + role);
  }

  private static Statement withPassword(String db, String head, Secret password, String what) {
    if (password == null) {
      return Statement.of(db, head, what);
    }
    String clear = password.reveal();
    // pgjdbc applies SASLprep before hashing, as the server does. The rule stays anyway: printable
    // ASCII is unchanged by SASLprep, so the verifier never depends on how the client and the
    // server treat other characters (the server hashes the raw bytes where SASLprep fails, e.g.
    // on prohibited characters), and such a password is safe to paste into shells, libpq
    // connection strings and URLs. Clear text would reach the server's logs.
    InvalidValueException.check(
        clear.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
        "password",
        "must be printable ASCII, so that it is sent only as a SCRAM-SHA-256 verifier",
        "****");
    char[] chars = clear.toCharArray();
    String verifier;
    try {
      verifier = PasswordUtil.encodeScramSha256(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
    return Statement.builder()
        .database(db)
        .sql(head + " PASSWORD " + literal(verifier))
        .redacted(head + " PASSWORD " + MASK)
        .description(what)
        .build();
  }

  /**
   * {@code ALTER ROLE ... LOGIN} or {@code NOLOGIN}.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @param login whether it may log in
   * @return the statement
   */
  public Statement setLogin(String db, String role, boolean login) {
    return Statement.of(
        db,
        "ALTER ROLE " + id(role) + " WITH " + (login ? "LOGIN" : "NOLOGIN"),
        (login ? "enable login of " : "disable login of ") + role);
  }

  /**
   * {@code ALTER ROLE ... VALID UNTIL}; {@code 'infinity'} when {@code validUntil} is null.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @param validUntil the instant, or null for no expiry
   * @return the statement
   */
  public Statement setValidUntil(String db, String role, Instant validUntil) {
    String value = validUntil == null ? literal("infinity") : timestamp(validUntil);
    return Statement.of(
        db,
        "ALTER ROLE " + id(role) + " WITH VALID UNTIL " + value,
        "set the expiry of " + role + " to " + (validUntil == null ? "never" : validUntil));
  }

  /**
   * {@code ALTER ROLE ... NOLOGIN VALID UNTIL}: login off and the expiry set in one statement.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @param validUntil the instant
   * @return the statement
   */
  public Statement disableLogin(String db, String role, Instant validUntil) {
    return Statement.of(
        db,
        "ALTER ROLE " + id(role) + " WITH NOLOGIN VALID UNTIL " + timestamp(validUntil),
        "disable login of " + role + " and set its expiry to " + validUntil);
  }

  /**
   * {@code ALTER ROLE ... INHERIT} or {@code NOINHERIT} and {@code CONNECTION LIMIT}.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @param inherit the INHERIT attribute
   * @param connectionLimit the limit, -1 for none
   * @return the statement
   */
  public Statement setAttributes(String db, String role, boolean inherit, int connectionLimit) {
    return Statement.of(
        db,
        "ALTER ROLE "
            + id(role)
            + " WITH "
            + (inherit ? "INHERIT" : "NOINHERIT")
            + " CONNECTION LIMIT "
            + connectionLimit,
        "set the attributes of " + role);
  }

  /**
   * {@code COMMENT ON ROLE}; {@code IS NULL} when {@code comment} is null.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @param comment the comment, or null to remove it
   * @return the statement
   */
  public Statement commentOnRole(String db, String role, String comment) {
    return Statement.of(
        db,
        "COMMENT ON ROLE " + id(role) + " IS " + (comment == null ? "NULL" : literal(comment)),
        "record the lease of " + role);
  }

  /**
   * {@code DROP ROLE}.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @return the statement
   */
  public Statement dropRole(String db, String role) {
    return Statement.of(db, "DROP ROLE IF EXISTS " + id(role), "drop role " + role);
  }

  /**
   * {@code DROP ROLE IF EXISTS a, b, ...}: one statement for many roles, all dropped or none.
   *
   * @param db the database the statement runs in
   * @param roles the roles, at least one
   * @return the statement
   */
  public Statement dropRoles(String db, Collection<String> roles) {
    return Statement.of(
        db, "DROP ROLE IF EXISTS " + idList(roles), "drop " + roles.size() + " role(s)");
  }

  /** The names quoted and joined with commas; at least one. */
  private String idList(Collection<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no role named");
    }
    return names.stream().map(this::id).collect(Collectors.joining(", "));
  }

  /**
   * {@code GRANT role TO member}, with ADMIN OPTION if asked.
   *
   * @param db the database the statement runs in
   * @param role the granted role
   * @param member the member
   * @param adminOption whether the member may grant the role on
   * @return the statement
   */
  public Statement grantRole(String db, String role, String member, boolean adminOption) {
    return Statement.of(
        db,
        "GRANT " + id(role) + " TO " + id(member) + (adminOption ? " WITH ADMIN OPTION" : ""),
        "make " + member + " a member of " + role);
  }

  /**
   * {@code GRANT role TO member} for a bundle role: on 16+ {@code WITH INHERIT TRUE, SET FALSE}, so
   * that the member uses the role's privileges but cannot {@code SET ROLE} to it (and so cannot
   * create objects owned by it); before 16 a plain membership, which PostgreSQL cannot restrict.
   *
   * @param db the database the statement runs in
   * @param role the bundle role
   * @param member the member
   * @return the statement
   */
  public Statement grantBundle(String db, String role, String member) {
    return Statement.of(
        db,
        "GRANT "
            + id(role)
            + " TO "
            + id(member)
            + (majorVersion >= 16 ? " WITH INHERIT TRUE, SET FALSE" : ""),
        "make " + member + " a member of the bundle " + role);
  }

  /**
   * {@code REVOKE role FROM member}.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @param member the member
   * @return the statement
   */
  public Statement revokeRole(String db, String role, String member) {
    return revokeRole(db, role, member, null);
  }

  /**
   * {@code REVOKE role FROM a, b, ...}: the current user's own grants of {@code role} to each
   * member, in one statement.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @param members the members, at least one
   * @return the statement
   */
  public Statement revokeRole(String db, String role, Collection<String> members) {
    return Statement.of(
        db,
        "REVOKE " + id(role) + " FROM " + idList(members),
        "remove " + members.size() + " member(s) from " + role);
  }

  /**
   * {@code REVOKE role FROM member GRANTED BY grantor} (16+: removes the grant that {@code grantor}
   * made, which the connector may attribute to a role whose privileges it has).
   *
   * @param db the database the statement runs in
   * @param role the role
   * @param member the member
   * @param grantor the grant's grantor, or null for the current user's own grant
   * @return the statement
   */
  public Statement revokeRole(String db, String role, String member, String grantor) {
    return Statement.of(
        db,
        "REVOKE "
            + id(role)
            + " FROM "
            + id(member)
            + (grantor != null ? " GRANTED BY " + id(grantor) : ""),
        "remove "
            + member
            + " from "
            + role
            + (grantor != null ? " (granted by " + grantor + ")" : ""));
  }

  /**
   * {@code SET LOCAL ROLE role}: act as another role until the transaction ends (or {@link
   * #resetRole}), to revoke what that role granted.
   *
   * @param db the database the statement runs in
   * @param role a role the current user may set
   * @return the statement
   */
  public Statement setRole(String db, String role) {
    return Statement.of(db, "SET LOCAL ROLE " + id(role), "act as " + role);
  }

  /**
   * {@code RESET ROLE}: act as the session's user again.
   *
   * @param db the database the statement runs in
   * @return the statement
   */
  public Statement resetRole(String db) {
    return Statement.of(db, "RESET ROLE", "act as the connector again");
  }

  /**
   * {@code GRANT privileges ON kind a, b, c TO grantee}: one statement for many objects of one
   * kind.
   *
   * @param db the database the statement runs in
   * @param privileges the privileges, each applying to the objects' kind
   * @param objects objects of one kind
   * @param grantee the role
   * @param grantOption whether to add WITH GRANT OPTION
   * @return the statement
   */
  public Statement grant(
      String db,
      Collection<Privilege> privileges,
      Collection<ResourceRef> objects,
      String grantee,
      boolean grantOption) {
    ResourceKind kind = kindOf(objects);
    return grant(
        db, privileges, kind, names(objects), describe(kind, objects), grantee, grantOption);
  }

  /**
   * {@code GRANT privileges ON kind a, b, c TO grantee} for objects already rendered by {@link
   * #objectName}.
   *
   * @param db the database the statement runs in
   * @param privileges the privileges, each applying to the objects' kind
   * @param kind the objects' kind
   * @param names the objects' quoted names, at least one
   * @param what the objects in words, for the description
   * @param grantee the role
   * @param grantOption whether to add WITH GRANT OPTION
   * @return the statement
   */
  public Statement grant(
      String db,
      Collection<Privilege> privileges,
      ResourceKind kind,
      List<String> names,
      String what,
      String grantee,
      boolean grantOption) {
    String list = privilegeList(privileges);
    StringBuilder sql =
        new StringBuilder(32 + names.size() * 24).append("GRANT ").append(list).append(" ON ");
    objectList(sql, kind, names).append(" TO ").append(id(grantee));
    if (grantOption) {
      sql.append(" WITH GRANT OPTION");
    }
    return Statement.of(db, sql.toString(), "grant " + list + " on " + what + " to " + grantee);
  }

  /**
   * {@code REVOKE [GRANT OPTION FOR] privileges ON kind a, b, c FROM grantee}.
   *
   * @param db the database the statement runs in
   * @param privileges the privileges
   * @param objects objects of one kind
   * @param grantee the role
   * @param grantOptionOnly true to revoke only the grant option
   * @return the statement
   */
  public Statement revoke(
      String db,
      Collection<Privilege> privileges,
      Collection<ResourceRef> objects,
      String grantee,
      boolean grantOptionOnly) {
    ResourceKind kind = kindOf(objects);
    return revoke(
        db, privileges, kind, names(objects), describe(kind, objects), grantee, grantOptionOnly);
  }

  /**
   * {@code REVOKE [GRANT OPTION FOR] privileges ON kind a, b, c FROM grantee} for objects already
   * rendered by {@link #objectName}.
   *
   * @param db the database the statement runs in
   * @param privileges the privileges
   * @param kind the objects' kind
   * @param names the objects' quoted names, at least one
   * @param what the objects in words, for the description
   * @param grantee the role
   * @param grantOptionOnly true to revoke only the grant option
   * @return the statement
   */
  public Statement revoke(
      String db,
      Collection<Privilege> privileges,
      ResourceKind kind,
      List<String> names,
      String what,
      String grantee,
      boolean grantOptionOnly) {
    String list = privilegeList(privileges);
    String option = grantOptionOnly ? "GRANT OPTION FOR " : "";
    StringBuilder sql =
        new StringBuilder(32 + names.size() * 24)
            .append("REVOKE ")
            .append(option)
            .append(list)
            .append(" ON ");
    objectList(sql, kind, names).append(" FROM ").append(id(grantee));
    return Statement.of(
        db,
        sql.toString(),
        "revoke " + option.toLowerCase(Locale.ROOT) + list + " on " + what + " from " + grantee);
  }

  /**
   * {@code ALTER DEFAULT PRIVILEGES FOR ROLE owner [IN SCHEMA s] GRANT|REVOKE ...}.
   *
   * @param db the database the statement runs in
   * @param d the default privilege
   * @param grant true to grant, false to revoke
   * @return the statement
   */
  public Statement defaultPrivileges(String db, DefaultPrivilege d, boolean grant) {
    String privileges = privilegeList(d.privileges());
    String sql =
        "ALTER DEFAULT PRIVILEGES FOR ROLE "
            + id(d.owner())
            + d.schema().map(s -> " IN SCHEMA " + id(s)).orElse("")
            + (grant ? " GRANT " : " REVOKE ")
            + privileges
            + " ON "
            + d.objectType().name()
            + (grant ? " TO " : " FROM ")
            + id(d.grantee())
            + (grant && d.withGrantOption() ? " WITH GRANT OPTION" : "");
    return Statement.of(
        db,
        sql,
        (grant ? "grant " : "revoke ")
            + "default "
            + privileges
            + " on "
            + d.objectType().name().toLowerCase(Locale.ROOT)
            + " of "
            + d.owner()
            + (grant ? " to " : " from ")
            + d.grantee());
  }

  /**
   * {@code REASSIGN OWNED BY role TO target}.
   *
   * @param db the database the statement runs in
   * @param role the old owner
   * @param target the new owner
   * @return the statement
   */
  public Statement reassignOwned(String db, String role, String target) {
    return Statement.of(
        db,
        "REASSIGN OWNED BY " + id(role) + " TO " + id(target),
        "give the objects of " + role + " in " + db + " to " + target);
  }

  /**
   * {@code DROP OWNED BY role}: drops what it owns in this database and removes every privilege
   * granted to it here (default privileges included) and on databases.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @return the statement
   */
  public Statement dropOwned(String db, String role) {
    return Statement.of(
        db, "DROP OWNED BY " + id(role), "remove every privilege of " + role + " in " + db);
  }

  /**
   * Ends every session of {@code role} on the server.
   *
   * @param db the database the statement runs in
   * @param role the role
   * @return the statement
   */
  public Statement terminateSessions(String db, String role) {
    return Statement.of(
        db,
        "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a "
            + "JOIN pg_roles r ON r.oid = a.usesysid WHERE r.rolname = "
            + literal(role)
            + " AND a.pid <> pg_backend_pid()",
        "end the open sessions of " + role);
  }

  /**
   * Ends every session of each of {@code roles} on the server, in one statement.
   *
   * @param db the database the statement runs in
   * @param roles the roles, at least one
   * @return the statement
   */
  public Statement terminateSessions(String db, Collection<String> roles) {
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("no role named");
    }
    return Statement.of(
        db,
        "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a "
            + "JOIN pg_roles r ON r.oid = a.usesysid WHERE r.rolname IN ("
            + roles.stream().map(Sql::literal).collect(Collectors.joining(", "))
            + ") AND a.pid <> pg_backend_pid()",
        "end the open sessions of " + roles.size() + " role(s)");
  }

  // ==== The connector's setup =================================================================
  // The statements of ConnectorSetup's script and plan, and of the fixes SetupVerifier proposes,
  // all run by the server admin. Names are quoted with every version's keywords (Sql.ident), so
  // the printed script is the same whatever server it is run on.

  /**
   * A {@code DO} block that creates a NOLOGIN role unless a role of that name exists.
   *
   * @param role the role
   * @return the statement
   */
  public static String setupCreateRoleIfMissing(String role) {
    return "DO "
        + SetupSql.dollarQuote(
            "\nBEGIN\n  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles"
                + " WHERE rolname = "
                + literal(role)
                + ") THEN\n    CREATE ROLE "
                + Sql.ident(role)
                + " WITH NOLOGIN;\n  END IF;\nEND\n");
  }

  /**
   * Lets the connector log in, inherit and create roles.
   *
   * @param connector the connector
   * @return the statement
   */
  public static String setupConnectorAttributes(String connector) {
    return "ALTER ROLE " + Sql.ident(connector) + " WITH LOGIN INHERIT CREATEROLE";
  }

  /**
   * Sets the connector's password from a psql variable, for printed scripts.
   *
   * @param connector the connector
   * @param variable the psql variable, e.g. {@code connector_password}
   * @return the statement, e.g. {@code ALTER ROLE c WITH PASSWORD :'connector_password'}
   */
  public static String setupPasswordFromVariable(String connector, String variable) {
    return "ALTER ROLE " + Sql.ident(connector) + " WITH PASSWORD :'" + variable + "'";
  }

  /**
   * Makes a role a member of {@code azure_pg_admin}.
   *
   * @param member the role, e.g. the connector
   * @return the statement
   */
  public static String setupGrantAzurePgAdmin(String member) {
    return "GRANT " + Sql.ident(SetupSql.AZURE_PG_ADMIN) + " TO " + Sql.ident(member);
  }

  /**
   * Lets a member of {@code azure_pg_admin} inherit its privileges: on 16 and later an option of
   * the membership, before an attribute of the role.
   *
   * @param member the member
   * @return the statement
   */
  public String setupInheritAzurePgAdmin(String member) {
    return majorVersion >= 16
        ? setupGrantAzurePgAdmin(member) + " WITH INHERIT TRUE"
        : "ALTER ROLE " + Sql.ident(member) + " WITH INHERIT";
  }

  /**
   * Makes the connector a member (SET and INHERIT) of every role it creates, so it may end their
   * sessions and reassign what they own; for PostgreSQL 16 and later.
   *
   * @param connector the connector
   * @return the statement
   */
  public static String setupCreateroleSelfGrant(String connector) {
    return "ALTER ROLE "
        + Sql.ident(connector)
        + " SET createrole_self_grant = "
        + literal("set, inherit");
  }

  /**
   * Gives the connector ADMIN OPTION on the marker role; on 16 and later without INHERIT and SET,
   * so that it does not act with the privileges of the users it manages.
   *
   * @param marker the marker role
   * @param connector the connector
   * @return the statement
   */
  public String setupGrantMarker(String marker, String connector) {
    return "GRANT "
        + Sql.ident(marker)
        + " TO "
        + Sql.ident(connector)
        + " WITH ADMIN OPTION"
        + (majorVersion >= 16 ? ", INHERIT FALSE, SET FALSE" : "");
  }

  /**
   * Lets a role log in.
   *
   * @param role the role
   * @return the statement
   */
  public static String setupAllowLogin(String role) {
    return "ALTER ROLE " + Sql.ident(role) + " WITH LOGIN";
  }

  /**
   * Lets a role create roles.
   *
   * @param role the role
   * @return the statement
   */
  public static String setupAllowCreateRole(String role) {
    return "ALTER ROLE " + Sql.ident(role) + " WITH CREATEROLE";
  }

  /**
   * All privileges on one object to {@code azure_pg_admin} WITH GRANT OPTION.
   *
   * @param keyword the object's kind, e.g. {@code TABLE}
   * @param object the object's name, quoted and qualified as the keyword needs
   * @return the statement
   */
  public static String setupGrantObject(String keyword, String object) {
    return "GRANT ALL PRIVILEGES ON "
        + keyword
        + " "
        + object
        + " TO "
        + Sql.ident(SetupSql.AZURE_PG_ADMIN)
        + " WITH GRANT OPTION";
  }

  /**
   * The reference's step 2 as one {@code DO} block: {@code GRANT ALL PRIVILEGES ON DATABASE} to
   * {@code azure_pg_admin} WITH GRANT OPTION for every database the current user may connect to,
   * except {@link SetupSql#EXCLUDED_DATABASES}.
   *
   * @return the statement
   */
  public static String setupGrantOnAllDatabases() {
    return "DO "
        + SetupSql.dollarQuote(
            "\nDECLARE\n  d text;\nBEGIN\n"
                + "  FOR d IN SELECT datname FROM pg_catalog.pg_database WHERE datallowconn AND "
                + SetupSql.databaseFilter("datname")
                + " AND has_database_privilege(oid, 'CONNECT')"
                + " ORDER BY datname LOOP\n"
                + "    EXECUTE format('GRANT ALL PRIVILEGES ON DATABASE %I TO %I WITH GRANT OPTION', d, "
                + literal(SetupSql.AZURE_PG_ADMIN)
                + ");\n"
                + "  END LOOP;\nEND\n");
  }

  /**
   * The query of the self-discovering setup script that writes, for each database the admin may
   * connect to (except {@link SetupSql#EXCLUDED_DATABASES}), a psql {@code \connect} to it and
   * {@link #setupGrantInDatabase()}, one line per database for psql's unaligned output.
   *
   * @return the query, ending in a newline, without a terminator (psql's {@code \g} runs it)
   */
  public static String setupScriptPerDatabase() {
    return "SELECT format(E'\\\\connect %s\\n', "
        + SetupSql.psqlQuoteSql("datname")
        + ") || "
        + literal(setupGrantInDatabase())
        + " || ';'\n"
        + "  FROM pg_catalog.pg_database WHERE datallowconn AND "
        + SetupSql.databaseFilter("datname")
        + " AND has_database_privilege(oid, 'CONNECT') ORDER BY datname\n";
  }

  /**
   * The setup of the given databases, to run as the server admin: one step in {@code adminDatabase}
   * that grants all privileges on each of them to {@code azure_pg_admin} WITH GRANT OPTION (the
   * reference's step 2), then one step per database that does the same for its schemas and their
   * objects ({@link #setupInDatabaseStep(String)}, steps 3 and 4), {@code template1} last. The
   * steps are not strict: like the reference script they grant what the admin can.
   *
   * @param adminDatabase the database the admin's session for step 2 runs in
   * @param databases the databases, checked and without duplicates
   * @return the steps; empty for no database
   */
  public static List<Step> setupDatabaseSteps(String adminDatabase, List<String> databases) {
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
              setupGrantObject("DATABASE", Sql.ident(d)),
              "grant all privileges on database " + d + " to azure_pg_admin"));
    }
    out.add(step2.build());
    // template1 last: while anyone is connected to it, CREATE DATABASE fails.
    List<String> ordered = new ArrayList<>(databases);
    if (ordered.remove("template1")) {
      ordered.add("template1");
    }
    for (String d : ordered) {
      out.add(setupInDatabaseStep(d));
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
  public static Step setupInDatabaseStep(String database) {
    return Step.builder()
        .database(database)
        .strict(false)
        .description(
            (database.equals("template1") ? "4" : "3")
                + ". grant all privileges on the schemas of "
                + database
                + " and their objects to azure_pg_admin with grant option")
        .addStatement(
            Statement.of(database, setupGrantInDatabase(), "grant on the schemas of " + database))
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
  public static String setupGrantInDatabase() {
    String to = " TO " + Sql.ident(SetupSql.AZURE_PG_ADMIN) + " WITH GRANT OPTION";
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
            .append(SetupSql.schemaFilter("cn.nspname"))
            .append("\n")
            .append("      GROUP BY c.relnamespace) r ON r.relnamespace = n.oid\n")
            // regprocedure's text names the routine exactly (qualified where the search path
            // would find another), also aggregates whose signature has ORDER BY.
            .append("    LEFT JOIN (SELECT p.pronamespace,")
            .append(" string_agg(p.oid::pg_catalog.regprocedure::text, ', ') AS routines\n")
            .append("      FROM pg_catalog.pg_proc p")
            .append(" JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace\n")
            .append("      WHERE ")
            .append(SetupSql.schemaFilter("pn.nspname"))
            .append("\n")
            .append("      GROUP BY p.pronamespace) f ON f.pronamespace = n.oid\n")
            .append("    WHERE ")
            .append(SetupSql.schemaFilter("n.nspname"))
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
    return "DO " + SetupSql.dollarQuote(b.toString());
  }

  // ==== End of the connector's setup =========================================================

  /**
   * The comma-separated privilege keywords, in declaration order.
   *
   * @param privileges the privileges
   * @return e.g. {@code SELECT, INSERT}
   */
  public static String privilegeList(Collection<Privilege> privileges) {
    return privileges.stream().sorted().map(Privilege::keyword).collect(Collectors.joining(", "));
  }

  /**
   * The object kind keyword followed by the quoted object names.
   *
   * @param kind the objects' kind
   * @param objects the objects
   * @return e.g. {@code TABLE s.a, s.b}
   */
  private static StringBuilder objectList(
      StringBuilder out, ResourceKind kind, List<String> names) {
    switch (kind) {
      case DATABASE:
        out.append("DATABASE ");
        break;
      case SCHEMA:
        out.append("SCHEMA ");
        break;
      case RELATION:
        out.append("TABLE ");
        break;
      case SEQUENCE:
        out.append("SEQUENCE ");
        break;
      case FUNCTION:
        out.append("ROUTINE ");
        break;
      default:
        throw new IllegalArgumentException("no privileges on a " + kind);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no objects");
    }
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(names.get(i));
    }
    return out;
  }

  private List<String> names(Collection<ResourceRef> objects) {
    List<String> out = new ArrayList<>(objects.size());
    for (ResourceRef o : objects) {
      out.add(objectName(o));
    }
    return out;
  }

  /**
   * One object's quoted name as GRANT expects it.
   *
   * @param ref the object
   * @return e.g. {@code sales.invoices} or {@code sales.total(integer)}
   */
  public String objectName(ResourceRef ref) {
    switch (ref.kind()) {
      case DATABASE:
        return id(ref.database().get());
      case SCHEMA:
        return id(ref.schema().get());
      case FUNCTION:
        // The argument list is the server's own pg_get_function_identity_arguments text, read
        // from the catalog; the planner accepts only functions found in a snapshot.
        return id(ref.schema().get())
            + "."
            + id(ref.name().get())
            + "("
            + ref.arguments().get()
            + ")";
      default:
        return id(ref.schema().get()) + "." + id(ref.name().get());
    }
  }

  private static ResourceKind kindOf(Collection<ResourceRef> objects) {
    if (objects.isEmpty()) {
      throw new IllegalArgumentException("no objects");
    }
    ResourceKind kind = objects.iterator().next().kind();
    for (ResourceRef r : objects) {
      if (r.kind() != kind) {
        throw new IllegalArgumentException("objects of mixed kinds: " + kind + " and " + r.kind());
      }
    }
    return kind;
  }

  private static String describe(ResourceKind kind, Collection<ResourceRef> objects) {
    return describe(kind, objects.size(), objects.iterator().next());
  }

  /**
   * Objects in words, for a statement's description: the object itself if there is one, else how
   * many of which kind.
   *
   * @param kind their kind
   * @param count how many
   * @param first one of them
   * @return e.g. {@code shop/sales.orders} or {@code 25 relations}
   */
  public static String describe(ResourceKind kind, int count, ResourceRef first) {
    if (count == 1) {
      return first.toString();
    }
    String noun = kind.name().toLowerCase(Locale.ROOT);
    return count + " " + noun + (noun.endsWith("s") ? "es" : "s");
  }

  /**
   * {@code SET LOCAL statement_timeout} and {@code SET LOCAL lock_timeout}, in milliseconds: the
   * timeouts of the transaction they run in, and of no other, so that they hold through a
   * transaction-pooling PgBouncer as on a direct connection.
   *
   * @param statement the statement timeout, 0 for none
   * @param lock the lock timeout, 0 for none
   * @return the two statements
   */
  public static List<String> transactionTimeouts(Duration statement, Duration lock) {
    return List.of(
        "SET LOCAL statement_timeout = " + statement.toMillis(),
        "SET LOCAL lock_timeout = " + lock.toMillis());
  }

  /**
   * The statement that takes the transaction-scoped advisory lock {@code key}: a DO block, so that
   * it can be sent in a batch, which takes no rows.
   *
   * @param key the lock key
   * @return the SQL
   */
  public static String transactionLock(long key) {
    return "DO $grantsmith$ BEGIN PERFORM pg_advisory_xact_lock(" + key + "); END $grantsmith$";
  }

  /**
   * Creates the NOLOGIN marker role, with its comment, unless it exists.
   *
   * @param db the database the statement runs in
   * @param markerRole the marker role's name
   * @return the statement
   */
  public static Statement ensureMarker(String db, String markerRole) {
    return Statement.of(
        db,
        "DO $grantsmith$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles"
            + " WHERE rolname = "
            + literal(markerRole)
            + ") THEN CREATE ROLE "
            + Sql.ident(markerRole)
            + " NOLOGIN; COMMENT ON ROLE "
            + Sql.ident(markerRole)
            + " IS 'Members are users managed by Grantsmith'; END IF; END $grantsmith$",
        "create the marker role " + markerRole + " if it is missing");
  }

  /**
   * Creates the NOLOGIN NOINHERIT role that marks bundle roles (it is made a member of each, with
   * neither INHERIT nor SET on 16+), with its comment, unless it exists.
   *
   * @param db the database the statement runs in
   * @param bundleMarker the role's name
   * @return the statement
   */
  public static Statement ensureBundleMarker(String db, String bundleMarker) {
    return Statement.of(
        db,
        "DO $grantsmith$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles"
            + " WHERE rolname = "
            + literal(bundleMarker)
            + ") THEN CREATE ROLE "
            + Sql.ident(bundleMarker)
            + " NOLOGIN NOINHERIT; COMMENT ON ROLE "
            + Sql.ident(bundleMarker)
            + " IS 'Member of the bundle roles managed by Grantsmith'; END IF; END $grantsmith$",
        "create the bundle marker role " + bundleMarker + " if it is missing");
  }

  /**
   * Brings a bundle role to the state a grant planned from: creates it NOLOGIN (the bundle marker
   * and the connector members of it, its key as comment) if it is missing and was read missing; if
   * it exists, sets its comment to {@code key} (which ends a recorded "unused" state). Fails with
   * {@link #CONFLICT_SQLSTATE} if it was dropped since it was read, or its comment is neither what
   * was read nor {@code key}: the grant reads again.
   *
   * @param db the database the statement runs in
   * @param bundle the bundle role
   * @param bundleMarker the bundle marker role
   * @param connector the connector
   * @param read the comment read, or null if the role was missing
   * @param key the key's text, the comment of a bundle in use
   * @return the statement
   */
  public Statement ensureBundle(
      String db, String bundle, String bundleMarker, String connector, String read, String key) {
    String b = Sql.ident(bundle);
    String current =
        "(SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = "
            + literal(bundle)
            + ")";
    String readText = read == null ? "NULL" : literal(read);
    String body =
        " BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            + literal(bundle)
            + ") THEN "
            + (read != null
                ? "RAISE EXCEPTION 'bundle % was dropped concurrently', "
                    + literal(bundle)
                    + " USING ERRCODE = '"
                    + CONFLICT_SQLSTATE
                    + "'; "
                : "")
            + "CREATE ROLE "
            + b
            + " NOLOGIN; GRANT "
            + b
            + " TO "
            + Sql.ident(bundleMarker)
            + (majorVersion >= 16 ? " WITH INHERIT FALSE, SET FALSE" : "")
            + "; GRANT "
            + b
            + " TO "
            + Sql.ident(connector)
            + "; COMMENT ON ROLE "
            + b
            + " IS "
            + literal(key)
            + "; ELSIF "
            + current
            + " IS DISTINCT FROM "
            + literal(key)
            + " THEN IF "
            + current
            + " IS DISTINCT FROM "
            + readText
            + " THEN RAISE EXCEPTION 'bundle % changed concurrently', "
            + literal(bundle)
            + " USING ERRCODE = '"
            + CONFLICT_SQLSTATE
            + "'; END IF; COMMENT ON ROLE "
            + b
            + " IS "
            + literal(key)
            + "; END IF; END ";
    return Statement.of(db, "DO " + dollar(body) + "", "create or claim the bundle " + bundle);
  }

  /**
   * Fails with {@link #CONFLICT_SQLSTATE} if the comment of bundle role {@code bundle} is no longer
   * {@code comment} (a sweep began to drop it, or a grant claimed it).
   *
   * @param db the database the statement runs in
   * @param bundle the bundle role
   * @param comment the comment it must have
   * @return the statement
   */
  public static Statement guardBundle(String db, String bundle, String comment) {
    return conflictIf(
        db,
        "(SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = "
            + literal(bundle)
            + ") IS DISTINCT FROM "
            + literal(comment),
        "the bundle % changed concurrently",
        bundle,
        "check that the bundle " + bundle + " is unchanged");
  }

  /**
   * Fails with {@link #CONFLICT_SQLSTATE} if bundle role {@code bundle} has a member other than the
   * current user, the bundle marker and those administering it ({@link
   * BundleQueries#notAdministering}).
   *
   * @param db the database the statement runs in
   * @param bundle the bundle role
   * @param bundleMarker the bundle marker role
   * @param marker the marker role
   * @return the statement
   */
  public static Statement guardUnused(
      String db, String bundle, String bundleMarker, String marker) {
    String oid = "(SELECT oid FROM pg_roles WHERE rolname = " + literal(bundle) + ")";
    return conflictIf(
        db,
        "EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles u ON u.oid = m.member"
            + " WHERE m.roleid = "
            + oid
            + " AND NOT m.admin_option AND "
            + BundleQueries.notAdministering(oid, "u", literal(bundleMarker), literal(marker))
            + ")",
        "the bundle % gained a member concurrently",
        bundle,
        "check that the bundle " + bundle + " has no members");
  }

  /** {@code $tag$body$tag$} with a tag that the body does not contain. */
  private static String dollar(String body) {
    String tag = "$grantsmith$";
    for (int i = 0; body.contains(tag); i++) {
      tag = "$grantsmith" + i + "$";
    }
    return tag + body + tag;
  }

  /**
   * Fails with {@link #CONFLICT_SQLSTATE} if a role named {@code user} exists.
   *
   * @param db the database the statement runs in
   * @param user the role that must not exist yet
   * @return the statement
   */
  public static Statement guardAbsent(String db, String user) {
    return conflictIf(
        db,
        "EXISTS (SELECT 1 FROM pg_roles WHERE rolname = " + literal(user) + ")",
        "role % was created concurrently",
        user,
        "check that " + user + " does not exist yet");
  }

  /**
   * Fails with {@link #CONFLICT_SQLSTATE} if the comment of {@code user} is no longer {@code
   * comment}.
   *
   * @param db the database the statement runs in
   * @param user the role
   * @param comment the comment it must still have, or null for none
   * @return the statement
   */
  public static Statement guardComment(String db, String user, String comment) {
    return conflictIf(
        db,
        "(SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = "
            + literal(user)
            + ") IS DISTINCT FROM "
            + (comment == null ? "NULL" : literal(comment)),
        "the lease of % changed concurrently",
        user,
        "check that the lease of " + user + " is unchanged");
  }

  /**
   * Fails with {@link #CONFLICT_SQLSTATE}, naming the first such role, if the comment of any of the
   * roles is no longer the one given for it (or the role is gone): {@link #guardComment} for many
   * roles in one statement.
   *
   * @param db the database the statement runs in
   * @param comments each role's name and the comment it must still have, at least one
   * @return the statement
   */
  public static Statement guardComments(String db, Map<String, String> comments) {
    if (comments.isEmpty()) {
      throw new IllegalArgumentException("no role named");
    }
    StringBuilder values = new StringBuilder();
    comments.forEach(
        (role, comment) ->
            values
                .append(values.length() == 0 ? "" : ", ")
                .append('(')
                .append(literal(role))
                .append(", ")
                .append(comment == null ? "NULL" : literal(comment))
                .append("::text)"));
    String body =
        " DECLARE changed text; BEGIN SELECT v.n INTO changed FROM (VALUES "
            + values
            + ") v(n, c) LEFT JOIN pg_roles r ON r.rolname = v.n"
            + " WHERE shobj_description(r.oid, 'pg_authid') IS DISTINCT FROM v.c LIMIT 1;"
            + " IF FOUND THEN RAISE EXCEPTION 'the lease of % changed concurrently', changed"
            + " USING ERRCODE = '"
            + CONFLICT_SQLSTATE
            + "'; END IF; END ";
    return Statement.of(
        db,
        "DO " + dollar(body),
        "check that the leases of " + comments.size() + " role(s) are unchanged");
  }

  /**
   * A DO block that raises {@code message} (its {@code %} the user) with {@link #CONFLICT_SQLSTATE}
   * when {@code condition} holds. The dollar quote is chosen so that no literal in the condition
   * can end it.
   */
  private static Statement conflictIf(
      String db, String condition, String message, String user, String description) {
    String tag = "$grantsmith$";
    for (int i = 0; condition.contains(tag); i++) {
      tag = "$grantsmith" + i + "$";
    }
    return Statement.of(
        db,
        "DO "
            + tag
            + " BEGIN IF "
            + condition
            + " THEN RAISE EXCEPTION "
            + literal(message)
            + ", "
            + literal(user)
            + " USING ERRCODE = '"
            + CONFLICT_SQLSTATE
            + "'; END IF; END "
            + tag,
        description);
  }

  /**
   * {@code plan} with, at the start of every transaction after the first, a {@linkplain
   * #guardComment check} that the user's comment is still {@code comment} (what the first
   * transaction wrote): a concurrent change stops the rest of the plan, and LOGIN is never enabled
   * over a concurrent revocation.
   *
   * @param plan the plan
   * @param user the managed user
   * @param comment the comment its first transaction leaves
   * @return the guarded plan
   */
  public static Plan guarded(Plan plan, String user, String comment) {
    Plan.Builder out = Plan.builder();
    Step previous = null;
    for (Step s : plan.steps()) {
      boolean newRun =
          previous != null
              && (s.autocommit()
                  || previous.autocommit()
                  || !previous.database().equals(s.database()));
      if (newRun && !s.autocommit()) {
        List<Statement> st = new ArrayList<>();
        st.add(guardComment(s.database(), user, comment));
        st.addAll(s.statements());
        out.addStep(
            Step.builder()
                .database(s.database())
                .description(s.description())
                .addAllStatements(st)
                .build());
      } else {
        out.addStep(s);
      }
      previous = s;
    }
    return out.build();
  }
}
