package io.grantsmith.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class CliIT {

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[0-9]+|null)")
        .matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return m.group(2) != null ? m.group(2) : m.group(1);
  }

  @AzurePostgresTest
  void grantThenRevokeThroughTheCli(AzurePostgres server, TestDatabase db) throws SQLException {
    try (Connection admin = db.adminConnection(); Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
      st.execute("INSERT INTO sales.orders VALUES (1)");
    }
    String connector = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String password = "Conn-" + UUID.randomUUID();
    Integration integration = Integration.builder().name("cli").hostname(server.host())
        .port(server.port()).sslMode(SslMode.DISABLE).build();
    ConnectionSource admin = ConnectionSource.of(integration,
        Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));
    ConnectorSetup setup = ConnectorSetup.builder().connectorName(connector)
        .majorVersion(server.majorVersion()).build();
    JdbcExecutor.builder().connections(admin).build().apply(setup.plan(Secret.of(password), admin));

    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", password);
    String[] conn = {"--host", server.host(), "--port", String.valueOf(server.port()),
        "--sslmode", "disable", "--user", connector, "--integration-name", "cli"};

    CliTest.Result plan = CliTest.run(env, concat(new String[] {"plan"}, conn,
        "--grantee", "bob@example.com", "--resource", db.name() + "/sales"));
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("GRANT SELECT").doesNotContain(password);

    CliTest.Result grant = CliTest.run(env, concat(new String[] {"grant"}, conn,
        "--grantee", "bob@example.com", "--resource", db.name() + "/sales", "--duration",
        "PT15M", "--cleanup-after-days", "0", "--request-id", "r-1", "--output", "json"));
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

    CliTest.Result text = CliTest.run(env, concat(new String[] {"grant"}, conn,
        "--grantee", "carol@example.com", "--resource", db.name() + "/sales"));
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("username:").doesNotContain(password);

    CliTest.Result revoke = CliTest.run(env, concat(new String[] {"revoke"}, conn,
        "--request-id", "r-1", "--output", "json"));
    assertThat(revoke.code()).as(revoke.err()).isZero();
    assertThat(revoke.out()).contains("\"changed\":true");
    try (Connection bob = server.connect(db.name(), user, userPassword)) {
      throw new AssertionError("bob can still log in");
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isIn("28000", "28P01");
    }
    CliTest.Result sweep = CliTest.run(env, concat(new String[] {"sweep"}, conn));
    assertThat(sweep.code()).as(sweep.err()).isZero();
    CliTest.Result carol = CliTest.run(env, concat(new String[] {"revoke"}, conn,
        "--username", io.grantsmith.postgres.azure.AccessManager.userName("cli",
            "carol@example.com")));
    assertThat(carol.code()).as(carol.err()).isZero();

    CliTest.Result wrongPassword = CliTest.run(Map.of("GRANTSMITH_PASSWORD", "wrong"),
        concat(new String[] {"sweep"}, conn));
    assertThat(wrongPassword.code()).as(wrongPassword.err()).isEqualTo(3);
    assertThat(wrongPassword.err()).contains("SQLSTATE 28P01");
  }

  @AzurePostgresTest
  void wrongHostExitsFour(AzurePostgres server) {
    CliTest.Result r = CliTest.run(Map.of("GRANTSMITH_PASSWORD", "x"), "grant",
        "--host", "nowhere.invalid", "--port", String.valueOf(server.port()), "--sslmode",
        "disable", "--user", "u", "--grantee", "a@example.com", "--resource", "postgres");
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
