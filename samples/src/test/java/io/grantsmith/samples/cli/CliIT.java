package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.TestDatabase;
import io.grantsmith.testkit.internal.Psql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("unchecked")
class CliIT {

  static String field(String json, String name) {
    Matcher m =
        Pattern.compile("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[0-9]+|null)").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return m.group(2) != null ? m.group(2) : m.group(1);
  }

  @AzurePostgresTest
  void grantThenRevokeThroughTheCli(AzurePostgres server, TestDatabase db) throws SQLException {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
      st.execute("INSERT INTO sales.orders VALUES (1)");
    }
    String connector = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String password = "Conn-" + UUID.randomUUID();
    Integration integration =
        Integration.builder()
            .name("cli")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
    ConnectionSource admin =
        ConnectionSource.of(
            integration, Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .connectorName(connector)
            .majorVersion(server.majorVersion())
            .build();
    JdbcExecutor.builder().connections(admin).build().apply(setup.plan(Secret.of(password), admin));

    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", password);
    String[] conn = {
      "--host",
      server.host(),
      "--port",
      String.valueOf(server.port()),
      "--sslmode",
      "disable",
      "--user",
      connector,
      "--integration-name",
      "cli"
    };

    CliTest.Result plan =
        CliTest.run(
            env,
            concat(
                new String[] {"plan"},
                conn,
                "--grantee",
                "bob@example.com",
                "--resource",
                db.name() + "/sales"));
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("GRANT SELECT").doesNotContain(password);

    CliTest.Result grant =
        CliTest.run(
            env,
            concat(
                new String[] {"grant"},
                conn,
                "--grantee",
                "bob@example.com",
                "--resource",
                db.name() + "/sales",
                "--duration",
                "PT15M",
                "--cleanup-after-days",
                "0",
                "--request-id",
                "r-1",
                "--output",
                "json"));
    assertThat(grant.code()).as(grant.err()).isZero();
    String json = grant.out().trim();
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    String user = field(json, "username");
    String userPassword = field(json, "password");
    assertThat(user).startsWith("gs_bob_example_com_");
    assertThat(field(json, "host")).isEqualTo(server.host());
    assertThat(field(json, "port")).isEqualTo(String.valueOf(server.port()));
    assertThat(field(json, "database")).isEqualTo(db.name());
    assertThat(field(json, "jdbcUrl")).startsWith("jdbc:postgresql://");
    assertThat(java.time.Instant.parse(field(json, "expiresAt"))).isAfter(java.time.Instant.now());
    try (Connection bob = server.connect(db.name(), user, userPassword);
        ResultSet rs = bob.createStatement().executeQuery("SELECT count(*) FROM sales.orders")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }

    CliTest.Result text =
        CliTest.run(
            env,
            concat(
                new String[] {"grant"},
                conn,
                "--grantee",
                "carol@example.com",
                "--resource",
                db.name() + "/sales"));
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("username:").doesNotContain(password);

    CliTest.Result revoke =
        CliTest.run(
            env, concat(new String[] {"revoke"}, conn, "--request-id", "r-1", "--output", "json"));
    assertThat(revoke.code()).as(revoke.err()).isZero();
    assertThat(revoke.out()).contains("\"changed\":true");
    try (Connection bob = server.connect(db.name(), user, userPassword)) {
      throw new AssertionError("bob can still log in");
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isIn("28000", "28P01");
    }
    CliTest.Result sweep = CliTest.run(env, concat(new String[] {"sweep"}, conn));
    assertThat(sweep.code()).as(sweep.err()).isZero();
    CliTest.Result carol =
        CliTest.run(
            env,
            concat(
                new String[] {"revoke"},
                conn,
                "--username",
                io.grantsmith.postgres.azure.AccessManager.userName("cli", "carol@example.com")));
    assertThat(carol.code()).as(carol.err()).isZero();

    CliTest.Result wrongPassword =
        CliTest.run(Map.of("GRANTSMITH_PASSWORD", "wrong"), concat(new String[] {"sweep"}, conn));
    assertThat(wrongPassword.code()).as(wrongPassword.err()).isEqualTo(3);
    assertThat(wrongPassword.err()).contains("SQLSTATE 28P01");
  }

  /** A connector made by the admin, as the setup SQL would. */
  record Connector(String name, String password, String[] flags) {}

  static Connector connector(AzurePostgres server) {
    String connector = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String password = "Conn-" + UUID.randomUUID();
    Integration integration =
        Integration.builder()
            .name("cli")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
    ConnectionSource admin =
        ConnectionSource.of(
            integration, Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .connectorName(connector)
            .majorVersion(server.majorVersion())
            .build();
    JdbcExecutor.builder().connections(admin).build().apply(setup.plan(Secret.of(password), admin));
    return new Connector(
        connector,
        password,
        new String[] {
          "--host",
          server.host(),
          "--port",
          String.valueOf(server.port()),
          "--sslmode",
          "disable",
          "--user",
          connector,
          "--integration-name",
          "cli"
        });
  }

  static Instant validUntil(TestDatabase db, String role) throws SQLException {
    try (Connection admin = db.adminConnection();
        PreparedStatement ps =
            admin.prepareStatement("SELECT rolvaliduntil FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as(role).isTrue();
        java.sql.Timestamp t = rs.getTimestamp(1);
        return t == null ? null : t.toInstant();
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String out) {
    String json = out.trim();
    assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
    try {
      return Json.MAPPER.readValue(json, Map.class);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  @AzurePostgresTest
  void extendByUsernameAndByRequestId(AzurePostgres server, TestDatabase db) throws SQLException {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
    }
    Connector c = connector(server);
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", c.password());
    CliTest.Result grant =
        CliTest.run(
            env,
            concat(
                new String[] {"grant"},
                c.flags(),
                "--grantee",
                "dan@example.com",
                "--resource",
                db.name() + "/sales",
                "--duration",
                "PT15M",
                "--request-id",
                "ext-1",
                "--output",
                "json"));
    assertThat(grant.code()).as(grant.err()).isZero();
    String user = field(grant.out(), "username");
    Instant granted = Instant.parse(field(grant.out(), "expiresAt"));
    Instant roleBefore = validUntil(db, user);
    assertThat(roleBefore).isNotNull();

    CliTest.Result byName =
        CliTest.run(
            env,
            concat(
                new String[] {"extend"},
                c.flags(),
                "--username",
                user,
                "--by",
                "30m",
                "--output",
                "json"));
    assertThat(byName.code()).as(byName.err()).isZero();
    Map<String, Object> first = parse(byName.out());
    assertThat(first).containsEntry("username", user).containsEntry("requestId", "ext-1");
    Instant afterName = Instant.parse((String) first.get("expiresAt"));
    assertThat(Duration.between(granted.plus(Duration.ofMinutes(30)), afterName).abs())
        .isLessThan(Duration.ofSeconds(1));
    Instant roleAfterName = validUntil(db, user);
    assertThat(roleAfterName).isAfter(roleBefore);
    assertThat(Duration.between(roleAfterName, afterName).abs()).isLessThan(Duration.ofSeconds(1));

    CliTest.Result byRequest =
        CliTest.run(
            env,
            concat(
                new String[] {"extend"},
                c.flags(),
                "--request-id",
                "ext-1",
                "--by",
                "PT1H",
                "--output",
                "json"));
    assertThat(byRequest.code()).as(byRequest.err()).isZero();
    Map<String, Object> second = parse(byRequest.out());
    assertThat(second).containsEntry("username", user).containsEntry("requestId", "ext-1");
    Instant afterRequest = Instant.parse((String) second.get("expiresAt"));
    assertThat(Duration.between(afterName.plus(Duration.ofHours(1)), afterRequest).abs())
        .isLessThan(Duration.ofSeconds(1));
    Instant roleAfterRequest = validUntil(db, user);
    assertThat(roleAfterRequest).isAfter(roleAfterName);
    assertThat(Duration.between(roleAfterRequest, afterRequest).abs())
        .isLessThan(Duration.ofSeconds(1));

    CliTest.Result unknown =
        CliTest.run(
            env,
            concat(
                new String[] {"extend"},
                c.flags(),
                "--request-id",
                "no-such-request",
                "--by",
                "1h"));
    assertThat(unknown.code()).as(unknown.err()).isEqualTo(1);
    assertThat(unknown.err()).contains("no active grant");
  }

  @AzurePostgresTest
  void rotateConnectorPasswordWritesAPrivateFileAndNeverPrintsIt(
      AzurePostgres server, @TempDir Path dir) throws Exception {
    Connector c = connector(server);
    Path file = dir.resolve("connector.pw");
    CliTest.Result r =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", c.password()),
            concat(
                new String[] {"rotate-connector-password"},
                c.flags(),
                "--password-file",
                file.toString()));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String fresh = Files.readString(file).strip();
    assertThat(fresh).isNotEmpty().isNotEqualTo(c.password());
    assertThat(r.out() + r.err()).doesNotContain(fresh).doesNotContain(c.password());
    assertThat(r.out()).contains(c.name()).contains(file.toString());
    try (Connection ok = server.connect("postgres", c.name(), fresh);
        ResultSet rs = ok.createStatement().executeQuery("SELECT current_user")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(c.name());
    }
    try (Connection old = server.connect("postgres", c.name(), c.password())) {
      throw new AssertionError("the old password still logs in");
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isEqualTo("28P01");
    }
    CliTest.Result sweep =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", fresh), concat(new String[] {"sweep"}, c.flags()));
    assertThat(sweep.code()).as(sweep.err()).isZero();
  }

  @AzurePostgresTest
  void rotateConnectorPasswordPrintsJsonWithEverySettingFromTheEnvironment(
      AzurePostgres server, @TempDir Path dir) throws Exception {
    Connector c = connector(server);
    Path file = dir.resolve("connector.pw");
    Map<String, String> env =
        Map.of(
            "GRANTSMITH_PASSWORD", c.password(),
            "GRANTSMITH_HOST", server.host(),
            "GRANTSMITH_PORT", String.valueOf(server.port()),
            "GRANTSMITH_SSLMODE", "disable",
            "GRANTSMITH_USER", c.name(),
            "GRANTSMITH_INTEGRATION_NAME", "cli",
            "GRANTSMITH_OUTPUT", "json");
    CliTest.Result r =
        CliTest.run(env, "rotate-connector-password", "--password-file", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String fresh = Files.readString(file).strip();
    assertThat(r.out() + r.err()).doesNotContain(fresh).doesNotContain(c.password());
    assertThat(parse(r.out()))
        .containsOnly(Map.entry("username", c.name()), Map.entry("passwordFile", file.toString()));
    // A flag wins over its variable: the wrong port from the flag fails to connect.
    CliTest.Result flagWins =
        CliTest.run(
            Map.of(
                "GRANTSMITH_PASSWORD", fresh,
                "GRANTSMITH_HOST", server.host(),
                "GRANTSMITH_PORT", String.valueOf(server.port()),
                "GRANTSMITH_SSLMODE", "disable",
                "GRANTSMITH_USER", c.name()),
            "discover",
            "--port",
            String.valueOf(CliTest.closedPort()));
    assertThat(flagWins.code()).as(flagWins.err()).isEqualTo(GrantsmithCli.CANNOT_CONNECT);
    CliTest.Result envOnly =
        CliTest.run(
            Map.of(
                "GRANTSMITH_PASSWORD", fresh,
                "GRANTSMITH_HOST", server.host(),
                "GRANTSMITH_PORT", String.valueOf(server.port()),
                "GRANTSMITH_SSLMODE", "disable",
                "GRANTSMITH_USER", c.name()),
            "discover");
    assertThat(envOnly.code()).as(envOnly.err()).isZero();
  }

  @AzurePostgresTest
  void verifySetupAndDiscoverPrintJson(AzurePostgres server, TestDatabase db) throws SQLException {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA inventory");
      st.execute("CREATE TABLE inventory.items (id int)");
    }
    Connector c = connector(server);
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", c.password());

    CliTest.Result verify =
        CliTest.run(env, concat(new String[] {"verify-setup"}, c.flags(), "--output", "json"));
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    Map<String, Object> v = parse(verify.out());
    assertThat(v)
        .containsEntry("connector", c.name())
        .containsEntry("ok", true)
        .containsEntry("missing", List.of());
    assertThat((List<Object>) v.get("checkedDatabases")).contains(db.name());

    CliTest.Result discover =
        CliTest.run(env, concat(new String[] {"discover"}, c.flags(), "--output", "json"));
    assertThat(discover.code()).as(discover.err()).isZero();
    Map<String, Object> d = parse(discover.out());
    assertThat(d.get("majorVersion")).isEqualTo(server.majorVersion());
    List<Object> dbs = (List<Object>) d.get("databases");
    Map<String, Object> mine =
        dbs.stream()
            .map(o -> (Map<String, Object>) o)
            .filter(m -> db.name().equals(m.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(db.name() + " not in " + discover.out()));
    assertThat((List<Object>) mine.get("schemas")).contains("inventory");
    assertThat((List<Object>) mine.get("objects"))
        .anySatisfy(
            o ->
                assertThat((Map<String, Object>) o)
                    .containsEntry("schema", "inventory")
                    .containsEntry("name", "items"));
    assertThat(verify.out() + verify.err() + discover.out() + discover.err())
        .doesNotContain(c.password());
  }

  @AzurePostgresTest
  void aDatabaseCreatedAfterTheSetupIsRefusedListedWithItsFixAndSetUpWithSetupSql(
      AzurePostgres server) throws Exception {
    Connector c = connector(server);
    String late = server.createDatabase();
    try (Connection admin = server.adminConnection(late);
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
      st.execute("INSERT INTO sales.orders VALUES (1), (2)");
    }
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", c.password());
    String[] request = {
      "--grantee",
      "lena@example.com",
      "--resource",
      late + "/sales",
      "--duration",
      "PT15M",
      "--cleanup-after-days",
      "0",
      "--output",
      "json"
    };
    String user = io.grantsmith.postgres.azure.AccessManager.userName("cli", "lena@example.com");

    CliTest.Result refused = CliTest.run(env, concat(new String[] {"grant"}, c.flags(), request));
    assertThat(refused.code()).as(refused.err()).isEqualTo(2);
    assertThat(refused.err())
        .contains(
            "database " + late + " was created after the connector setup",
            "grantsmith setup-sql --database " + late)
        .doesNotContain(c.password());
    assertThat(refused.out()).isEmpty();
    assertThat(roleExists(server, user)).as("role created by a refused grant").isFalse();

    CliTest.Result text = CliTest.run(env, concat(new String[] {"verify-setup"}, c.flags()));
    assertThat(text.code()).as(text.out() + text.err()).isEqualTo(1);
    assertThat(text.out())
        .contains(
            "  missing: cannot grant CONNECT on database "
                + late
                + "\n    fix: the setup of database "
                + late
                + " (grantsmith setup-sql --database "
                + late
                + "), in the script below\n")
        .contains("To close these gaps, run this as the server admin")
        .contains(
            "GRANT ALL PRIVILEGES ON DATABASE " + late + " TO azure_pg_admin WITH GRANT OPTION;\n",
            "\\connect '" + late + "'\n");
    CliTest.Result json =
        CliTest.run(env, concat(new String[] {"verify-setup"}, c.flags(), "--output", "json"));
    assertThat(json.code()).isEqualTo(1);
    Map<String, Object> v = parse(json.out());
    assertThat(v).containsEntry("ok", false).containsKeys("connector", "checkedDatabases");
    assertThat((List<Object>) v.get("missing"))
        .contains("cannot grant CONNECT on database " + late);
    assertThat((List<Object>) v.get("fixes"))
        .anySatisfy(
            o -> {
              Map<String, Object> f = (Map<String, Object>) o;
              assertThat(f).containsEntry("missing", "cannot grant CONNECT on database " + late);
              assertThat((String) f.get("sql"))
                  .contains("GRANT ALL PRIVILEGES ON DATABASE " + late);
            });
    assertThat((String) v.get("fixSql")).contains("\\connect '" + late + "'");

    // The admin runs what setup-sql --database prints; the grant then works.
    CliTest.Result setupSql = CliTest.run(Map.of(), "setup-sql", "--database", late);
    assertThat(setupSql.code()).as(setupSql.err()).isZero();
    runAsAdmin(server, setupSql.out());
    CliTest.Result ok = CliTest.run(env, concat(new String[] {"verify-setup"}, c.flags()));
    assertThat(ok.code()).as(ok.out()).isZero();
    assertThat(ok.out()).startsWith("Setup OK for " + c.name()).doesNotContain("missing");
    CliTest.Result okJson =
        CliTest.run(env, concat(new String[] {"verify-setup"}, c.flags(), "--output", "json"));
    assertThat(parse(okJson.out()))
        .containsEntry("missing", List.of())
        .containsEntry("fixes", List.of())
        .containsEntry("fixSql", "");

    CliTest.Result grant = CliTest.run(env, concat(new String[] {"grant"}, c.flags(), request));
    assertThat(grant.code()).as(grant.err()).isZero();
    Map<String, Object> g = parse(grant.out());
    assertThat(g).containsEntry("username", user).containsEntry("database", late);
    try (Connection lena = server.connect(late, user, (String) g.get("password"));
        ResultSet rs = lena.createStatement().executeQuery("SELECT count(*) FROM sales.orders")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }

    // Each database the revocation changed is named once: only the shared one, where the
    // membership in the bundle goes (the bundle keeps its privileges in the late database).
    CliTest.Result revoke =
        CliTest.run(env, concat(new String[] {"revoke"}, c.flags(), "--username", user));
    assertThat(revoke.code()).as(revoke.err()).isZero();
    Matcher m =
        Pattern.compile("^Revoked " + Pattern.quote(user) + " \\(changes in \\[(.*)\\]\\)$")
            .matcher(revoke.out().strip());
    assertThat(m.matches()).as(revoke.out()).isTrue();
    assertThat(List.of(m.group(1).split(", "))).doesNotHaveDuplicates().containsExactly("postgres");
    CliTest.Result revokeJson =
        CliTest.run(
            env,
            concat(new String[] {"revoke"}, c.flags(), "--username", user, "--output", "json"));
    assertThat(revokeJson.code()).as(revokeJson.err()).isZero();
    assertThat(parse(revokeJson.out())).containsEntry("changed", false);
  }

  static boolean roleExists(AzurePostgres server, String role) throws SQLException {
    try (Connection admin = server.adminConnection("postgres");
        PreparedStatement ps =
            admin.prepareStatement("SELECT count(*) FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) > 0;
      }
    }
  }

  /**
   * Runs a printed psql script as the admin with psql, as the README tells the admin to. Fails,
   * naming psql and the postgresql-client package, when psql is not installed.
   */
  static void runAsAdmin(AzurePostgres server, String script) throws Exception {
    runPsql(server, server.adminUser(), server.adminPassword(), script);
  }

  /** Runs a printed psql script as {@code user} with psql, in the database postgres. */
  static void runPsql(AzurePostgres server, String user, String password, String script)
      throws Exception {
    Path psql = Psql.executable();
    ProcessBuilder pb =
        new ProcessBuilder(
                psql.toString(),
                "-X",
                "-q",
                "-f",
                "-",
                "host="
                    + server.host()
                    + " port="
                    + server.port()
                    + " user="
                    + "'"
                    + user.replace("\\", "\\\\").replace("'", "\\'")
                    + "'"
                    + " dbname=postgres sslmode=disable")
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", password);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String output =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }

  @AzurePostgresTest
  void grantFromAnIntegrationFile(AzurePostgres server, TestDatabase db, @TempDir Path dir)
      throws Exception {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
    }
    Connector c = connector(server);
    Path file = dir.resolve("integration.json");
    Files.writeString(
        file,
        "{\n  \"name\": \"filecli\",\n  \"hostname\": "
            + Json.write(TextNode.valueOf(server.host()))
            + ",\n  \"port\": "
            + server.port()
            + ",\n  \"database\":"
            + " \"postgres\",\n  \"sslMode\": \"disable\",\n  \"user\": "
            + Json.write(TextNode.valueOf(c.name()))
            + ",\n  \"userCleanupAfterDays\": 0,\n  \"customAccessDetails\": \"Ask \\u0023dba\","
            + "\n  \"maxAccessDuration\": \"PT2H\"\n}\n");
    CliTest.Result grant =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", c.password()),
            "grant",
            "--integration",
            file.toString(),
            "--grantee",
            "erin@example.com",
            "--resource",
            db.name() + "/sales",
            "--duration",
            "PT15M",
            "--output",
            "json");
    assertThat(grant.code()).as(grant.err()).isZero();
    Map<String, Object> g = parse(grant.out());
    assertThat(g.get("username"))
        .isEqualTo(
            io.grantsmith.postgres.azure.AccessManager.userName("filecli", "erin@example.com"));
    assertThat(g)
        .containsEntry("host", server.host())
        .containsEntry("sslmode", "disable")
        .containsEntry("database", db.name());
    try (Connection erin =
            server.connect(db.name(), (String) g.get("username"), (String) g.get("password"));
        ResultSet rs = erin.createStatement().executeQuery("SELECT count(*) FROM sales.orders")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }

    // A flag given explicitly overrides the file.
    CliTest.Result plan =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", c.password()),
            "plan",
            "--integration",
            file.toString(),
            "--integration-name",
            "flagcli",
            "--grantee",
            "erin@example.com",
            "--resource",
            db.name() + "/sales",
            "--output",
            "json");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(parse(plan.out()))
        .containsEntry(
            "username",
            io.grantsmith.postgres.azure.AccessManager.userName("flagcli", "erin@example.com"));
  }

  @AzurePostgresTest
  void grantAgainSaysThePasswordWasKeptAndNewPasswordSetsOne(AzurePostgres server, TestDatabase db)
      throws SQLException {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
    }
    Connector c = connector(server);
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", c.password());
    String[] grant =
        concat(
            new String[] {"grant"},
            c.flags(),
            "--grantee",
            "fay@example.com",
            "--resource",
            db.name() + "/sales",
            "--request-id",
            "np-1");
    CliTest.Result first = CliTest.run(env, concat(grant, new String[] {"--output", "json"}));
    assertThat(first.code()).as(first.err()).isZero();
    Map<String, Object> g1 = parse(first.out());
    assertThat(g1).containsEntry("passwordKept", false);
    String user = (String) g1.get("username");
    String lost = (String) g1.get("password");

    CliTest.Result kept = CliTest.run(env, concat(grant, new String[] {"--output", "json"}));
    assertThat(kept.code()).as(kept.err()).isZero();
    assertThat(parse(kept.out()))
        .containsEntry("username", user)
        .containsEntry("password", null)
        .containsEntry("passwordKept", true);
    CliTest.Result text = CliTest.run(env, grant);
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("unchanged (kept from the earlier grant", "--new-password");

    CliTest.Result fresh =
        CliTest.run(env, concat(grant, new String[] {"--new-password", "--output", "json"}));
    assertThat(fresh.code()).as(fresh.err()).isZero();
    Map<String, Object> g2 = parse(fresh.out());
    assertThat(g2)
        .containsEntry("username", user)
        .containsEntry("passwordKept", false)
        .containsEntry("database", db.name());
    String pw = (String) g2.get("password");
    assertThat(pw).isNotEmpty().isNotEqualTo(lost);
    assertThat(fresh.err()).doesNotContain(pw);
    try (Connection fay = server.connect(db.name(), user, pw);
        ResultSet rs = fay.createStatement().executeQuery("SELECT count(*) FROM sales.orders")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
    try (Connection old = server.connect(db.name(), user, lost)) {
      throw new AssertionError("the old password still logs in");
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isEqualTo("28P01");
    }
  }

  @AzurePostgresTest
  void driftAndLeftoversHaveTheirOwnExitCodes(AzurePostgres server, TestDatabase db)
      throws SQLException {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
      st.execute("CREATE TABLE sales_secret (id int)");
    }
    Connector c = connector(server);
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", c.password());
    String[] conn = {
      "--host",
      server.host(),
      "--port",
      String.valueOf(server.port()),
      "--sslmode",
      "disable",
      "--user",
      c.name(),
      "--integration-name",
      "drift-" + c.name()
    };
    CliTest.Result grant =
        CliTest.run(
            env,
            concat(
                new String[] {"grant"},
                conn,
                "--grantee",
                "dora",
                "--resource",
                db.name() + "/sales",
                "--output",
                "json"));
    assertThat(grant.code()).as(grant.err()).isZero();
    String user = field(grant.out(), "username");

    CliTest.Result clean =
        CliTest.run(env, concat(new String[] {"drift"}, conn, "--output", "json"));
    assertThat(clean.code()).as(clean.err() + clean.out()).isZero();
    assertThat((Boolean) parse(clean.out()).get("clean")).isTrue();

    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("GRANT SELECT ON public.sales_secret TO " + user);
    }
    CliTest.Result drift =
        CliTest.run(env, concat(new String[] {"drift"}, conn, "--output", "json"));
    assertThat(drift.code()).as(drift.err()).isEqualTo(GrantsmithCli.DRIFT);
    List<Map<String, Object>> items = (List<Map<String, Object>>) parse(drift.out()).get("drift");
    assertThat(items)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.get("kind")).isEqualTo("UNAPPROVED_PRIVILEGE");
              assertThat(d.get("role")).isEqualTo(user);
              assertThat(d.get("grantor")).isEqualTo(server.adminUser());
              assertThat(d.get("object")).isEqualTo("table public.sales_secret");
            });

    CliTest.Result revoke =
        CliTest.run(env, concat(new String[] {"revoke"}, conn, "--username", user));
    assertThat(revoke.code()).as(revoke.err()).isEqualTo(GrantsmithCli.LEFTOVERS);
    assertThat(revoke.err())
        .contains(
            "as "
                + server.adminUser()
                + " run: REVOKE SELECT ON TABLE"
                + " public.sales_secret FROM "
                + user);
  }

  @AzurePostgresTest
  void wrongHostExitsFour(AzurePostgres server) {
    CliTest.Result r =
        CliTest.run(
            Map.of("GRANTSMITH_PASSWORD", "x"),
            "grant",
            "--host",
            "nowhere.invalid",
            "--port",
            String.valueOf(server.port()),
            "--sslmode",
            "disable",
            "--user",
            "u",
            "--grantee",
            "a@example.com",
            "--resource",
            "postgres");
    assertThat(r.code()).as(r.err()).isEqualTo(4);
    assertThat(r.err()).contains("SQLSTATE 08");
  }

  static String[] concat(String[] a, String[] b, String... c) {
    String[] out = new String[a.length + b.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }
}
