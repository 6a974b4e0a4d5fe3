package io.grantsmith.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sink against a local HTTP endpoint that refuses the first deliveries, goes away and
 * comes back, with a second JVM publishing into the same spool while it is away: every event
 * arrives, signed; no event arrives under two ids; no payload holds a secret.
 */
class WebhookAuditSinkIT {
  static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

  /** An event as an operation on a user whose password is {@code password} would publish it. */
  static AuditEvent event(String requestId, int i, Secret password) {
    AuditEvent.Type type = AuditEvent.Type.values()[i % AuditEvent.Type.values().length];
    AuditEvent.Builder b =
        AuditEvent.builder()
            .type(type)
            .time(T.plusSeconds(i))
            .integration("orders-prod")
            .requestId(requestId)
            .requester("alice@example.com")
            .grantee("alice@example.com")
            .user("jit_alice_" + i)
            .addResource("orders/sales")
            .level(AccessLevel.READ_ONLY)
            .expiresAt(T.plusSeconds(7200))
            .outcome(AuditEvent.Outcome.SUCCESS)
            // What careless code would write: the Secret renders as ****.
            .detail("credentials issued, password " + password);
    if (type == AuditEvent.Type.REVOKED) {
      b.reason(AuditEvent.Reason.MANUAL);
    }
    return b.build();
  }

  /** One request the endpoint received. */
  record Received(int status, String eventIdHeader, String signature, String body) {}

  /** An HTTP endpoint that answers 503 to its first {@code refuse} requests, then 204. */
  static final class Endpoint {
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger refusals = new AtomicInteger();
    private HttpServer server;

    void start(int port, int refuse) throws IOException {
      AtomicInteger left = new AtomicInteger(refuse);
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.createContext(
          "/audit",
          exchange -> {
            String body = read(exchange);
            int status = left.getAndDecrement() > 0 ? 503 : 204;
            if (status == 503) {
              refusals.incrementAndGet();
            }
            received.add(
                new Received(
                    status,
                    exchange.getRequestHeaders().getFirst(WebhookAuditSink.EVENT_ID_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookAuditSink.SIGNATURE_HEADER),
                    body));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void stop() {
      server.stop(0);
    }

    List<Received> accepted() {
      return received.stream().filter(r -> r.status() == 204).toList();
    }

    private static String read(HttpExchange exchange) throws IOException {
      try (InputStream in = exchange.getRequestBody()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  private static String random(String prefix) {
    byte[] b = new byte[12];
    new SecureRandom().nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  private static WebhookAuditSink sink(URI uri, String secret, Path spool) {
    return WebhookAuditSink.builder(uri, Secret.of(secret), spool)
        .initialBackoff(Duration.ofMillis(50))
        .maxBackoff(Duration.ofMillis(400))
        .requestTimeout(Duration.ofSeconds(2))
        .closeTimeout(Duration.ofMillis(500))
        .build();
  }

  @Test
  void everyEventArrivesOnceSignedWithoutSecretsThroughRefusalsAnOutageAndARestart(
      @TempDir Path dir) throws Exception {
    String secret = random("whsec-");
    List<String> passwords = List.of(random("pw-a-"), random("pw-b-"), random("pw-c-"));
    Path spool = dir.resolve("spool");
    Endpoint endpoint = new Endpoint();
    endpoint.start(0, 3);
    int port = endpoint.port();
    URI uri = URI.create("http://127.0.0.1:" + port + "/audit");
    List<UUID> published = new ArrayList<>();

    // 1. The endpoint refuses the first three deliveries; the sink retries until all arrive.
    WebhookAuditSink first = sink(uri, secret, spool);
    for (int i = 0; i < 5; i++) {
      AuditEvent e = event("REQ-A", i, Secret.of(passwords.get(0)));
      first.publish(e);
      published.add(e.id());
    }
    assertThat(first.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(endpoint.refusals.get()).isEqualTo(3);
    assertThat(endpoint.accepted()).hasSize(5);

    // 2. The endpoint goes away: events wait in the spool, and stay there when the sink closes.
    endpoint.stop();
    for (int i = 5; i < 7; i++) {
      AuditEvent e = event("REQ-A", i, Secret.of(passwords.get(0)));
      first.publish(e);
      published.add(e.id());
    }
    assertThat(first.flush(Duration.ofMillis(500))).isFalse();
    first.close();
    assertThat(first.pending()).isEqualTo(2);

    // 3. Another JVM publishes into the same spool while the endpoint is away, and exits.
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WebhookChild.class.getName(),
                uri.toString(),
                spool.toString(),
                "4",
                passwords.get(1))
            .redirectError(dir.resolve("child.err").toFile());
    pb.environment().put("TEST_WEBHOOK_SECRET", secret);
    Process child = pb.start();
    String out;
    try (InputStream in = child.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue())
        .as(java.nio.file.Files.readString(dir.resolve("child.err")))
        .isZero();
    for (String line : out.strip().split("\\R")) {
      published.add(UUID.fromString(line));
    }
    assertThat(published).hasSize(11);
    try (var files = java.nio.file.Files.list(spool)) {
      assertThat(files.filter(f -> f.toString().endsWith(".json")).count())
          .as("events spooled by both processes while the endpoint was away")
          .isEqualTo(6);
    }

    // 4. The endpoint comes back (refusing twice more); a new sink delivers what is spooled.
    endpoint.start(port, 2);
    try (WebhookAuditSink second = sink(uri, secret, spool)) {
      AuditEvent last = event("REQ-B", 7, Secret.of(passwords.get(2)));
      second.publish(last);
      published.add(last.id());
      assertThat(second.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(second.pending()).isZero();
    }
    endpoint.stop();

    // Every event arrived, with its id in the header, and a valid signature.
    Map<UUID, Set<String>> bodiesById = new HashMap<>();
    Map<String, Set<UUID>> idsByContent = new HashMap<>();
    for (Received r : endpoint.accepted()) {
      assertThat(r.signature())
          .isEqualTo(
              WebhookAuditSink.sign(Secret.of(secret), r.body().getBytes(StandardCharsets.UTF_8)));
      AuditEvent e = AuditJson.read(r.body());
      assertThat(r.eventIdHeader()).isEqualTo(e.id().toString());
      bodiesById.computeIfAbsent(e.id(), k -> new HashSet<>()).add(r.body());
      String content = r.body().replace(e.id().toString(), "");
      idsByContent.computeIfAbsent(content, k -> new HashSet<>()).add(e.id());
    }
    assertThat(bodiesById.keySet()).containsExactlyInAnyOrderElementsOf(published);
    // A re-delivery repeats the same body under the same id; no event arrives under two ids.
    assertThat(bodiesById.values()).allSatisfy(bodies -> assertThat(bodies).hasSize(1));
    assertThat(idsByContent.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    assertThat(endpoint.refusals.get()).isEqualTo(5);
    // No payload, delivered or refused, holds the signing secret or a password.
    assertThat(endpoint.received).hasSizeGreaterThanOrEqualTo(17);
    for (Received r : endpoint.received) {
      assertThat(r.body()).doesNotContain(secret);
      for (String pw : passwords) {
        assertThat(r.body()).doesNotContain(pw);
      }
      assertThat(r.body()).contains("password ****");
    }
  }
}
