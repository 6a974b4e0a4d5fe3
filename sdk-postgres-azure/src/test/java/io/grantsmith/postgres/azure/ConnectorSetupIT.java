package io.grantsmith.postgres.azure;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.TestDatabase;
import io.grantsmith.testkit.internal.Psql;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

class ConnectorSetupIT {

  /** Role names are server-wide: each test takes its own connector and marker. */
  static String unique(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  static Integration integration(AzurePostgres server) {
    return Integration.builder()
        .name("it")
        .hostname(server.host())
        .port(server.port())
        .sslMode(SslMode.DISABLE)
        .build();
  }

  static ConnectionSource asAdmin(AzurePostgres server) {
    return ConnectionSource.of(
        integration(server), Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
  }

  static ConnectionSource as(AzurePostgres server, String user, String password) {
    return ConnectionSource.of(integration(server), Credentials.of(user, Secret.of(password)));
  }

  static ConnectorSetup setup(AzurePostgres server) {
    return ConnectorSetup.builder()
        .majorVersion(server.majorVersion())
        .connectorName(unique("conn"))
        .markerRole(unique("marker"))
        .build();
  }

  /** Runs the setup as the admin through the JDBC executor, for every database. */
  static void applySetup(AzurePostgres server, ConnectorSetup setup, String password) {
    ConnectionSource admin = asAdmin(server);
    Plan plan = setup.plan(Secret.of(password), admin);
    JdbcExecutor.builder().connections(admin).build().apply(plan);
  }

  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  static void createSalesOrders(TestDatabase db) throws SQLException {
    try (Connection admin = db.adminConnection()) {
      exec(
          admin,
          "CREATE SCHEMA sales",
          "CREATE TABLE sales.orders (id int PRIMARY KEY, total numeric)",
          "INSERT INTO sales.orders VALUES (1, 9.5)");
    }
  }

  @AzurePostgresTest
  void connectorCreatesAUserWhoCanThenReadATableOfTheAdmin(AzurePostgres server, TestDatabase db)
      throws SQLException {
    createSalesOrders(db);
    ConnectorSetup setup = setup(server);
    String password = "Conn-" + UUID.randomUUID();
    applySetup(server, setup, password);

    String user = unique("user");
    String userPassword = "User-" + UUID.randomUUID();
    try (Connection connector = server.connect(db.name(), setup.connectorName(), password)) {
      exec(
          connector,
          "CREATE ROLE " + user + " LOGIN PASSWORD '" + userPassword + "'",
          "GRANT " + setup.markerRole() + " TO " + user,
          "GRANT USAGE ON SCHEMA sales TO " + user,
          "GRANT SELECT ON sales.orders TO " + user);
    }
    assertThat(server)
        .user(user, userPassword)
        .canLogin(db.name())
        .canSelectFrom(db.name(), "sales", "orders")
        .cannotInsertInto(db.name(), "sales", "orders");
  }

  @AzurePostgresTest
  void connectorCanEndTheSessionsOfAUserItCreated(AzurePostgres server, TestDatabase db)
      throws SQLException {
    ConnectorSetup setup = setup(server);
    String password = "Conn-" + UUID.randomUUID();
    applySetup(server, setup, password);
    String user = unique("user");
    try (Connection connector = server.connect(db.name(), setup.connectorName(), password)) {
      exec(connector, "CREATE ROLE " + user + " LOGIN PASSWORD 'pw-" + user + "'");
      if (server.majorVersion() < 16) {
        // On 16+ createrole_self_grant does this; before, CREATEROLE lets it grant any role.
        exec(connector, "GRANT " + user + " TO " + setup.connectorName());
      }
      try (Connection session = server.connect(db.name(), user, "pw-" + user)) {
        exec(
            connector,
            "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a"
                + " WHERE a.usename = '"
                + user
                + "'");
        assertThatThrownBy(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    exec(session, "SELECT 1");
                    Thread.sleep(20);
                  }
                })
            .isInstanceOf(SQLException.class);
      }
      // And it may drop the user again.
      exec(connector, "DROP ROLE " + user);
    }
    assertThat(server).role(user).doesNotExist();
  }

  @AzurePostgresTest
  void setupGrantsEveryKindOfExistingObjectToAzurePgAdmin(AzurePostgres server, TestDatabase db)
      throws SQLException {
    String odd = "\"odd \"\"schema\"\"; $$x\"";
    try (Connection admin = db.adminConnection()) {
      exec(
          admin,
          "CREATE SCHEMA " + odd,
          "CREATE TABLE " + odd + ".t (id serial)",
          "CREATE VIEW " + odd + ".v AS SELECT 1 AS x",
          "CREATE MATERIALIZED VIEW " + odd + ".m AS SELECT 1 AS x",
          "CREATE TABLE " + odd + ".parted (id int) PARTITION BY RANGE (id)",
          "CREATE SEQUENCE " + odd + ".s",
          "CREATE FUNCTION " + odd + ".f(a int, b text) RETURNS int LANGUAGE sql AS 'SELECT 1'",
          "CREATE FUNCTION " + odd + ".f() RETURNS int LANGUAGE sql AS 'SELECT 2'",
          "CREATE PROCEDURE " + odd + ".p(a int) LANGUAGE sql AS 'SELECT 1'",
          "CREATE AGGREGATE " + odd + ".total(int) (sfunc = int4pl, stype = int)",
          "CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS 'SELECT $1'");
    }
    try (Connection su = server.superuserConnection(db.name())) {
      // An ordered-set aggregate: its signature has ORDER BY.
      exec(
          su,
          "CREATE AGGREGATE "
              + odd
              + ".pct(float8 ORDER BY anyelement) (sfunc ="
              + " ordered_set_transition, stype = internal, finalfunc = percentile_disc_final,"
              + " finalfunc_extra)",
          "ALTER AGGREGATE "
              + odd
              + ".pct(float8 ORDER BY anyelement)"
              + " OWNER TO "
              + server.adminUser());
    }
    applySetup(server, setup(server), "Conn-" + UUID.randomUUID());
    try (Connection su = server.superuserConnection(db.name());
        Statement st = su.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT o.what, EXISTS (SELECT 1 FROM aclexplode(o.acl) x"
                    + " WHERE x.grantee = 'azure_pg_admin'::regrole AND x.is_grantable)"
                    + " FROM (SELECT relname::text AS what, relacl AS acl FROM pg_class"
                    + "       WHERE relnamespace = to_regnamespace(quote_ident("
                    + lit(unquoted(odd))
                    + "))"
                    + "         AND relkind IN ('r', 'v', 'm', 'p', 'S')"
                    + "       UNION ALL SELECT p.oid::regprocedure::text, proacl FROM pg_proc p"
                    + "       WHERE pronamespace = to_regnamespace(quote_ident("
                    + lit(unquoted(odd))
                    + "))"
                    + "          OR p.oid = 'public.lower(text)'::regprocedure"
                    + "       UNION ALL SELECT nspname::text, nspacl FROM pg_namespace"
                    + "       WHERE nspname = "
                    + lit(unquoted(odd))
                    + ") o")) {
      List<String> seen = new ArrayList<>();
      while (rs.next()) {
        seen.add(rs.getString(1));
        org.assertj.core.api.Assertions.assertThat(rs.getBoolean(2))
            .as("azure_pg_admin holds everything WITH GRANT OPTION on " + rs.getString(1))
            .isTrue();
      }
      // schema, t, t_id_seq, v, m, parted, s, f(int, text), f(), p, total, pct, public.lower
      org.assertj.core.api.Assertions.assertThat(seen).hasSize(13);
    }
  }

  private static String unquoted(String quoted) {
    return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
  }

  private static String lit(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  @AzurePostgresTest
  void verifyPassesAfterTheSetup(AzurePostgres server, TestDatabase db) throws SQLException {
    createSalesOrders(db);
    ConnectorSetup setup = setup(server);
    String password = "Conn-" + UUID.randomUUID();
    applySetup(server, setup, password);
    try (Connection admin = db.adminConnection()) {
      // Created after the setup: covered by the admin's default privileges.
      exec(
          admin,
          "CREATE SCHEMA later",
          "CREATE TABLE later.t (id int)",
          "CREATE SEQUENCE later.s",
          "CREATE FUNCTION later.f(a int, b text) RETURNS int" + " LANGUAGE sql AS 'SELECT 1'");
    }
    SetupVerification check =
        setup.verify(as(server, setup.connectorName(), password), List.of(db.name()));
    assertThat(check.missing()).isEmpty();
    assertThat(check.isOk()).isTrue();
    assertThat(check.connector()).isEqualTo(setup.connectorName());
    assertThat(check.checkedDatabases()).containsExactly(db.name());
  }

  @AzurePostgresTest
  void verifyChecksCreateroleSelfGrantFrom16OnWithAFixTheConnectorRunsItself(
      AzurePostgres server, TestDatabase db) throws SQLException {
    ConnectorSetup setup = setup(server);
    String me = setup.connectorName();
    String password = "Conn-" + UUID.randomUUID();
    applySetup(server, setup, password);
    ConnectionSource connector = as(server, me, password);
    if (server.majorVersion() < 16) {
      // No such setting before 16: CREATEROLE already lets the connector grant any role to itself.
      SetupVerification check = setup.verify(connector, List.of(db.name()));
      assertThat(check.missing()).isEmpty();
      try (Connection c = server.connect(db.name(), me, password)) {
        assertThatThrownBy(() -> exec(c, "SET createrole_self_grant = 'set, inherit'"))
            .hasFieldOrPropertyWithValue("SQLState", "42704");
      }
      return;
    }
    // A connector set up without it: the admin takes the setting away again.
    try (Connection admin = server.adminConnection("postgres")) {
      exec(admin, "ALTER ROLE " + me + " RESET createrole_self_grant");
    }
    String gap = me + " does not become a member (SET, INHERIT) of the roles it creates";
    SetupVerification check = setup.verify(connector, List.of(db.name()));
    assertThat(check.missing())
        .singleElement()
        .asString()
        .startsWith(gap)
        .endsWith("createrole_self_grant = ''");
    SetupVerification.Fix fix = check.fixes().get(0);
    String statement = "ALTER ROLE " + me + " SET createrole_self_grant = 'set, inherit'";
    assertThat(fix.runAs()).isEqualTo(SetupVerification.Fix.RunAs.CONNECTOR);
    assertThat(fix.description()).startsWith("run as " + me + " itself").endsWith(statement);
    assertThat(fix.sql()).contains(statement + ";");
    assertThat(check.fixScript()).as("nothing for the server admin").isEmpty();
    assertThat(check.connectorFixScript()).contains(statement + ";");

    // Only part of it still counts as missing.
    try (Connection c = server.connect(db.name(), me, password)) {
      exec(c, "ALTER ROLE " + me + " SET createrole_self_grant = 'inherit'");
    }
    assertThat(setup.verify(connector, List.of(db.name())).missing())
        .singleElement()
        .asString()
        .endsWith("createrole_self_grant = 'inherit'");

    // The connector closes the gap itself; a role it creates then has it as a member.
    JdbcExecutor.builder().connections(connector).build().apply(check.connectorFixPlan());
    assertThat(setup.verify(connector, List.of(db.name())).missing()).isEmpty();
    String user = unique("user");
    try (Connection c = server.connect(db.name(), me, password);
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + user);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT pg_has_role('" + user + "', 'USAGE'), pg_has_role('" + user + "', 'SET')")) {
        rs.next();
        assertThat(rs.getBoolean(1)).isTrue();
        assertThat(rs.getBoolean(2)).isTrue();
      }
      st.execute("DROP ROLE " + user);
    }
  }

  @AzurePostgresTest
  void verifyListsWhatIsMissingWithoutAzurePgAdmin(AzurePostgres server, TestDatabase db)
      throws SQLException {
    createSalesOrders(db);
    ConnectorSetup setup = setup(server);
    String password = "Conn-" + UUID.randomUUID();
    try (Connection admin = db.adminConnection()) {
      exec(
          admin,
          "CREATE ROLE " + setup.connectorName() + " LOGIN CREATEROLE PASSWORD '" + password + "'");
    }
    SetupVerification check =
        setup.verify(as(server, setup.connectorName(), password), List.of(db.name()));
    assertThat(check.isOk()).isFalse();
    assertThat(check.missing())
        .contains(
            setup.connectorName() + " is not a member of azure_pg_admin",
            "the marker role " + setup.markerRole() + " does not exist",
            "cannot grant CONNECT on database " + db.name(),
            "cannot grant USAGE on schema sales in database " + db.name(),
            "cannot grant SELECT on table sales.orders in database " + db.name());
    assertThat(check.missing()).noneMatch(m -> m.contains("CREATEROLE"));
  }

  @AzurePostgresTest
  void verifyReportsAFailedLogin(AzurePostgres server) {
    ConnectorSetup setup = setup(server);
    SetupVerification check = setup.verify(as(server, setup.connectorName(), "nope"));
    assertThat(check.isOk()).isFalse();
    assertThat(check.missing())
        .singleElement()
        .asString()
        .startsWith(setup.connectorName() + " cannot log in to database postgres")
        .contains("28P01");
  }

  @AzurePostgresTest
  void setupCanRunTwice(AzurePostgres server, TestDatabase db) throws SQLException {
    ConnectorSetup setup = setup(server);
    applySetup(server, setup, "first-" + UUID.randomUUID());
    String second = "second-" + UUID.randomUUID();
    applySetup(server, setup, second);
    assertThat(server).user(setup.connectorName(), second).canLogin(db.name());
  }

  @AzurePostgresTest
  void printedScriptWorksStatementByStatementThroughJdbc(AzurePostgres server, TestDatabase db)
      throws SQLException {
    createSalesOrders(db);
    ConnectorSetup setup = setup(server);
    String password = "Conn-" + UUID.randomUUID();
    String script = setup.script(List.of(db.name()));
    String current = null;
    StringBuilder chunk = new StringBuilder();
    List<String[]> chunks = new ArrayList<>();
    for (String line : script.split("\n", -1)) {
      if (line.startsWith("\\connect ")) {
        if (current != null) {
          chunks.add(new String[] {current, chunk.toString()});
        }
        String arg = line.substring("\\connect ".length());
        current = arg.substring(1, arg.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
        chunk.setLength(0);
      } else if (!line.startsWith("\\")) {
        chunk.append(line.replace(":'connector_password'", "'" + password + "'")).append('\n');
      }
    }
    chunks.add(new String[] {current, chunk.toString()});
    for (String[] c : chunks) {
      try (Connection admin = server.adminConnection(c[0])) {
        exec(admin, c[1]);
      }
    }
    SetupVerification check =
        setup.verify(as(server, setup.connectorName(), password), List.of(db.name()));
    assertThat(check.missing()).isEmpty();
  }

  @AzurePostgresTest
  void selfDiscoveringScriptRunsInPsql(AzurePostgres server, TestDatabase db) throws Exception {
    Path psql = Psql.executable(); // fails naming psql and postgresql-client when missing
    createSalesOrders(db);
    ConnectorSetup setup = setup(server);
    String password = "Conn'-" + UUID.randomUUID();
    Path dir = Files.createTempDirectory("grantsmith-setup");
    Path file = dir.resolve("setup.sql");
    Files.writeString(file, setup.script(), StandardCharsets.UTF_8);
    ProcessBuilder pb =
        new ProcessBuilder(
                psql.toString(),
                "-X",
                "-q",
                "-v",
                "connector_password=" + password,
                "-f",
                file.toString(),
                "host="
                    + server.host()
                    + " port="
                    + server.port()
                    + " user="
                    + server.adminUser()
                    + " dbname=postgres sslmode=disable")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", server.adminPassword());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(Files.readString(dir.resolve(ConnectorSetup.GENERATED_FILE)))
        .contains("\\connect '" + db.name() + "'");
    SetupVerification check =
        setup.verify(as(server, setup.connectorName(), password), List.of(db.name()));
    assertThat(check.missing()).isEmpty();
    assertThat(server).user(setup.connectorName(), password).canLogin(db.name());
    deleteQuietly(dir);
  }

  @AzurePostgresTest
  void planRefusesAnotherMajorVersion(AzurePostgres server) {
    ConnectorSetup wrong =
        ConnectorSetup.builder().majorVersion(server.majorVersion() == 16 ? 15 : 16).build();
    assertThatThrownBy(() -> wrong.plan(Secret.of("x"), asAdmin(server)))
        .hasMessageContaining("but the setup is rendered for");
  }

  @AzurePostgresTest
  void databasesListsConnectableOnesWithoutAzureOrTemplate0(AzurePostgres server, TestDatabase db)
      throws SQLException {
    List<String> dbs = setup(server).databases(asAdmin(server));
    assertThat(dbs)
        .contains(db.name(), "postgres", "template1")
        .doesNotContain("template0", "azure_sys", "azure_maintenance");
    try (Connection c = server.adminConnection(db.name());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("tests run as the admin, not a superuser").isFalse();
    }
  }

  private static void deleteQuietly(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }
}
