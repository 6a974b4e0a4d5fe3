package io.grantsmith.samples.cli;

import static io.grantsmith.samples.cli.CliIT.concat;
import static io.grantsmith.samples.cli.CliIT.field;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end on a real server: {@code grant --flows} without the approval the flow needs
 * exits with {@link GrantsmithCli#NOT_APPROVED} and leaves the server as it was; with it, the user
 * logs in; the {@code --audit-log} file holds every event in order and no password.
 */
class GovernanceCliIT {

  @TempDir Path dir;

  @AzurePostgresTest
  void grantWithFlowsRefusesWithoutApprovalGrantsWithItAndAuditsEverything(
      AzurePostgres server, TestDatabase db) throws Exception {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
      st.execute("INSERT INTO sales.orders VALUES (1)");
      st.execute("CREATE TABLE sales.secret (id int)");
    }
    CliIT.Connector c = CliIT.connector(server);
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", c.password());
    Path flows = dir.resolve("flows.json");
    Files.writeString(flows, FlowsFiles.salesRead(db.name()));
    Path audit = dir.resolve("audit.jsonl");
    String user = AccessManager.userName("cli", "alice@example.com");
    String[] request = {
      "--grantee",
      "alice@example.com",
      "--resource",
      db.name() + "/sales/orders",
      "--duration",
      "PT30M",
      "--cleanup-after-days",
      "0",
      "--request-id",
      "REQ-7",
      "--flows",
      flows.toString(),
      "--requester",
      "alice@example.com",
      "--justification",
      "INC-7",
      "--audit-log",
      audit.toString()
    };

    List<String> before = roles(db);
    // Approved by herself and by someone who is not an approver: neither counts.
    CliTest.Result refused =
        CliTest.run(
            env,
            concat(
                new String[] {"grant"},
                c.flags(),
                concat(
                    request,
                    new String[0],
                    "--approved-by",
                    "alice@example.com,carol@example.com")));
    assertThat(refused.code()).as(refused.err()).isEqualTo(GrantsmithCli.NOT_APPROVED);
    assertThat(refused.err()).contains("not approved").contains("bob@example.com");
    assertThat(refused.out()).isEmpty();
    assertThat(roles(db)).isEqualTo(before);
    assertThat(server).user(user, "any-password-1").cannotLogin(db.name());

    CliTest.Result granted =
        CliTest.run(
            env,
            concat(
                new String[] {"grant"},
                c.flags(),
                concat(
                    request,
                    new String[0],
                    "--approved-by",
                    "bob@example.com",
                    "--output",
                    "json")));
    assertThat(granted.code()).as(granted.err()).isZero();
    String password = field(granted.out().trim(), "password");
    assertThat(field(granted.out().trim(), "username")).isEqualTo(user);
    assertThat(server)
        .user(user, password)
        .canSelectFrom(db.name(), "sales.orders")
        .cannotSelectFrom(db.name(), "sales.secret")
        .cannotInsertInto(db.name(), "sales.orders");

    CliTest.Result revoked =
        CliTest.run(
            env,
            concat(
                new String[] {"revoke"},
                c.flags(),
                "--request-id",
                "REQ-7",
                "--audit-log",
                audit.toString()));
    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(server).user(user, password).cannotLogin(db.name());

    String text = Files.readString(audit, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain(password).doesNotContain(c.password());
    List<JsonNode> events = new ArrayList<>();
    for (String line : text.split("\n")) {
      events.add(Json.MAPPER.readTree(line));
    }
    assertThat(events.stream().map(e -> e.get("type").asText()).toList())
        .containsExactly(
            "REQUESTED", "DENIED", "REQUESTED", "APPROVED", "GRANTED", "REVOKED", "CLEANED_UP");
    assertThat(events).allSatisfy(e -> assertThat(e.get("requestId").asText()).isEqualTo("REQ-7"));
    assertThat(events.stream().map(e -> e.get("id").asText()).distinct()).hasSize(events.size());
    JsonNode denied = events.get(1);
    assertThat(denied.get("outcome").asText()).isEqualTo("REFUSED");
    assertThat(denied.get("detail").asText()).contains("bob@example.com");
    JsonNode grant = events.get(4);
    assertThat(grant.get("user").asText()).isEqualTo(user);
    assertThat(grant.get("requester").asText()).isEqualTo("alice@example.com");
    assertThat(grant.get("approvers").toString()).isEqualTo("[\"bob@example.com\"]");
    assertThat(events.get(5).get("reason").asText()).isEqualTo("MANUAL");
  }

  /**
   * {@code --audit-webhook}: the revocation's events reach a local endpoint, signed with the secret
   * of the environment, which appears in no payload.
   */
  @AzurePostgresTest
  void revokeWithAnAuditWebhookDeliversSignedEvents(AzurePostgres server, TestDatabase db)
      throws Exception {
    try (Connection admin = db.adminConnection();
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA sales");
      st.execute("CREATE TABLE sales.orders (id int)");
    }
    CliIT.Connector c = CliIT.connector(server);
    String secret = "hook-secret-" + java.util.UUID.randomUUID();
    Map<String, String> env =
        Map.of("GRANTSMITH_PASSWORD", c.password(), AuditOptions.SECRET_ENV, secret);
    List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> signatures = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer hook =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/events",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          bodies.add(new String(body, StandardCharsets.UTF_8));
          signatures.add(
              exchange
                  .getRequestHeaders()
                  .getFirst(io.grantsmith.governance.WebhookAuditSink.SIGNATURE_HEADER));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    hook.start();
    try {
      CliTest.Result granted =
          CliTest.run(
              env,
              concat(
                  new String[] {"grant"},
                  c.flags(),
                  "--grantee",
                  "erin@example.com",
                  "--resource",
                  db.name() + "/sales",
                  "--cleanup-after-days",
                  "0",
                  "--request-id",
                  "REQ-9",
                  "--output",
                  "json"));
      assertThat(granted.code()).as(granted.err()).isZero();
      String password = field(granted.out().trim(), "password");
      String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/events";
      CliTest.Result revoked =
          CliTest.run(
              env,
              concat(
                  new String[] {"revoke"},
                  c.flags(),
                  "--request-id",
                  "REQ-9",
                  "--audit-webhook",
                  url,
                  "--audit-spool",
                  dir.resolve("spool").toString()));
      assertThat(revoked.code()).as(revoked.err()).isZero();
      assertThat(bodies).hasSize(2);
      assertThat(bodies.get(0)).contains("\"type\":\"REVOKED\"").contains("REQ-9");
      assertThat(bodies.get(1)).contains("\"type\":\"CLEANED_UP\"");
      for (int i = 0; i < bodies.size(); i++) {
        assertThat(signatures.get(i))
            .isEqualTo(
                io.grantsmith.governance.WebhookAuditSink.sign(
                    io.grantsmith.api.Secret.of(secret),
                    bodies.get(i).getBytes(StandardCharsets.UTF_8)));
        assertThat(bodies.get(i)).doesNotContain(secret).doesNotContain(password);
      }
      assertThat(revoked.err()).doesNotContain(secret);
    } finally {
      hook.stop(0);
    }
  }

  /**
   * The README's command line: the example flows file, an integration file naming the owners, and
   * Carol (a sales lead, the owner of {@code orders/sales}) approving Alice's read.
   */
  @AzurePostgresTest
  void theReadmeExampleGrantsWithTheExampleFlowsFile(AzurePostgres server) throws Exception {
    try (Connection admin = server.adminConnection("postgres");
        Statement st = admin.createStatement()) {
      if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'orders'").next()) {
        server.createDatabase("orders");
      }
    }
    try (Connection admin = server.adminConnection("orders");
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS sales");
      st.execute("CREATE TABLE IF NOT EXISTS sales.items (id int)");
    }
    CliIT.Connector c = CliIT.connector(server);
    Map<String, String> env = Map.of("GRANTSMITH_PASSWORD", c.password());
    Path example = Path.of("flows", "orders-flows.json");
    CliTest.Result check = CliTest.run(env, "flows", "check", example.toString());
    assertThat(check.code()).as(check.err()).isZero();
    assertThat(check.out())
        .contains("3 flow(s), valid")
        .contains("orders-read")
        .contains("orders-peek")
        .contains("orders-write");

    Path integration = dir.resolve("orders-prod.json");
    Files.writeString(
        integration,
        ("{\"name\": \"orders-prod\", \"hostname\": \"%s\", \"port\": %d,"
                + " \"sslMode\": \"disable\", \"database\": \"orders\", \"user\": \"%s\","
                + " \"integrationOwners\": {\"okta group\": \"dba-team\"},"
                + " \"resourceOwners\": {\"owner\": \"okta group\"}}")
            .formatted(server.host(), server.port(), c.name()));
    Path audit = dir.resolve("audit.jsonl");
    String[] grant = {
      "grant",
      "--integration",
      integration.toString(),
      "--flows",
      example.toString(),
      "--requester",
      "alice@example.com",
      "--justification",
      "INC-311: refunds stuck",
      "--grantee",
      "alice@example.com",
      "--resource",
      "orders/sales",
      "--duration",
      "2h",
      "--request-id",
      "REQ-1043",
      "--audit-log",
      audit.toString(),
      "--output",
      "json"
    };
    CliTest.Result unapproved = CliTest.run(env, grant);
    assertThat(unapproved.code()).as(unapproved.err()).isEqualTo(GrantsmithCli.NOT_APPROVED);
    assertThat(unapproved.err()).contains("orders-read").contains("sales-leads");
    CliTest.Result approved =
        CliTest.run(env, concat(grant, new String[0], "--approved-by", "carol@example.com"));
    assertThat(approved.code()).as(approved.err()).isZero();
    String user = field(approved.out().trim(), "username");
    String password = field(approved.out().trim(), "password");
    assertThat(server).user(user, password).canSelectFrom("orders", "sales.items");
    assertThat(Files.readString(audit)).contains("approved by flow orders-read");
    CliTest.Result revoked =
        CliTest.run(
            env, "revoke", "--integration", integration.toString(), "--request-id", "REQ-1043");
    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(server).user(user, password).cannotLogin("orders");
  }

  /** Every role with its login and comment, and every membership, read as the superuser. */
  static List<String> roles(TestDatabase db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.adminConnection();
        Statement st = c.createStatement()) {
      for (String sql :
          List.of(
              "SELECT rolname || ' ' || rolcanlogin || ' '"
                  + " || coalesce(shobj_description(oid, 'pg_authid'), '-') FROM pg_roles ORDER BY 1",
              "SELECT roleid::regrole::text || ' > ' || member::regrole::text"
                  + " FROM pg_auth_members ORDER BY 1",
              "SELECT nspname || ' ' || coalesce(nspacl::text, '-') FROM pg_namespace ORDER BY 1",
              "SELECT oid::regclass::text || ' ' || coalesce(relacl::text, '-') FROM pg_class"
                  + " WHERE relnamespace = 'sales'::regnamespace ORDER BY 1",
              "SELECT datname || ' ' || coalesce(datacl::text, '-') FROM pg_database ORDER BY 1")) {
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    return out;
  }
}
