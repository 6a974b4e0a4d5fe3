package io.grantsmith.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.AuditException;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;
import org.slf4j.event.Level;

class AuditSinksTest {
  static final Instant T = Instant.parse("2026-03-02T09:00:00Z");
  static final UUID ID = UUID.fromString("6f1c2a4e-0d5b-4c1e-9a7f-2b8d3e4f5a60");

  static AuditEvent granted() {
    return AuditEvent.builder()
        .id(ID)
        .type(AuditEvent.Type.GRANTED)
        .time(T)
        .integration("orders-prod")
        .requestId("REQ-1042")
        .requester("alice@example.com")
        .grantee("alice@example.com")
        .user("jit_alice_3f2a")
        .addApprover("carol@example.com")
        .addResource("orders/sales")
        .level(AccessLevel.READ_ONLY)
        .expiresAt(T.plusSeconds(7200))
        .outcome(AuditEvent.Outcome.SUCCESS)
        .build();
  }

  @Test
  void theJsonHasEveryKeyInTheDocumentedOrder() {
    assertThat(AuditJson.write(granted()))
        .isEqualTo(
            "{\"schemaVersion\":1,\"id\":\"6f1c2a4e-0d5b-4c1e-9a7f-2b8d3e4f5a60\","
                + "\"type\":\"GRANTED\",\"reason\":null,\"time\":\"2026-03-02T09:00:00Z\","
                + "\"integration\":\"orders-prod\",\"requestId\":\"REQ-1042\","
                + "\"requester\":\"alice@example.com\",\"grantee\":\"alice@example.com\","
                + "\"user\":\"jit_alice_3f2a\",\"approvers\":[\"carol@example.com\"],"
                + "\"resources\":[\"orders/sales\"],\"level\":\"read-only\","
                + "\"expiresAt\":\"2026-03-02T11:00:00Z\",\"outcome\":\"SUCCESS\",\"detail\":null}");
  }

  @Test
  void theJsonReadsBackToTheSameEvent() {
    AuditEvent revoked =
        AuditEvent.builder()
            .type(AuditEvent.Type.REVOKED)
            .reason(AuditEvent.Reason.SWEEP)
            .time(T)
            .integration("orders-prod")
            .outcome(AuditEvent.Outcome.FAILURE)
            .detail("line one\nline \"two\" \u2028")
            .build();

    assertThat(AuditJson.read(AuditJson.write(granted()))).isEqualTo(granted());
    assertThat(AuditJson.read(AuditJson.write(revoked))).isEqualTo(revoked);
    assertThat(AuditJson.write(revoked)).doesNotContain("\n");
  }

  @Test
  void readingRefusesOtherVersionsAndUnknownKeys() {
    String json = AuditJson.write(granted());
    assertThatThrownBy(
            () -> AuditJson.read(json.replace("\"schemaVersion\":1", "\"schemaVersion\":2")))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("schemaVersion must be 1");
    assertThatThrownBy(() -> AuditJson.read(json.replace("\"detail\":null", "\"password\":\"x\"")))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("password is not a known key");
  }

  @Test
  void jsonLinesAppendsOneWholeLinePerEventFromManyThreads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Files.writeString(file, "{\"earlier\":true}\n");
    JsonLinesAuditSink sink = new JsonLinesAuditSink(file);
    List<UUID> published = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<UUID>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String detail = "x".repeat(i * 20);
        futures.add(
            pool.submit(
                () -> {
                  AuditEvent e =
                      AuditEvent.builder()
                          .from(granted())
                          .id(UUID.randomUUID())
                          .detail(detail)
                          .build();
                  sink.publish(e);
                  return e.id();
                }));
      }
      for (Future<UUID> f : futures) {
        published.add(f.get());
      }
    } finally {
      pool.shutdown();
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(201).first().isEqualTo("{\"earlier\":true}");
    Set<UUID> read = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      read.add(AuditJson.read(line).id());
    }
    assertThat(read).containsExactlyInAnyOrderElementsOf(published);
  }

  @Test
  void jsonLinesFailsWithAnAuditExceptionWhenItCannotWrite(@TempDir Path dir) {
    JsonLinesAuditSink sink = new JsonLinesAuditSink(dir.resolve("missing-dir").resolve("a.jsonl"));

    assertThatThrownBy(() -> sink.publish(granted()))
        .isInstanceOf(AuditException.class)
        .hasMessageContaining(ID.toString())
        .hasMessageContaining("missing-dir");
  }

  @Test
  void slf4jLogsEveryFieldAsAKeyValueWithTheRequestIdInTheMdc() {
    String logger = "test.audit." + UUID.randomUUID();
    MDC.put(Slf4jAuditSink.MDC_REQUEST_ID, "outer");
    try {
      new Slf4jAuditSink(org.slf4j.LoggerFactory.getLogger(logger)).publish(granted());
      AuditEvent failed =
          AuditEvent.builder()
              .from(granted())
              .type(AuditEvent.Type.FAILED)
              .outcome(AuditEvent.Outcome.FAILURE)
              .build();
      new Slf4jAuditSink(org.slf4j.LoggerFactory.getLogger(logger)).publish(failed);
      // The caller's MDC is as it was.
      assertThat(MDC.get(Slf4jAuditSink.MDC_REQUEST_ID)).isEqualTo("outer");
      assertThat(MDC.get(Slf4jAuditSink.MDC_EVENT_ID)).isNull();
    } finally {
      MDC.clear();
    }

    List<CapturingSlf4jProvider.Captured> logged = CapturingSlf4jProvider.of(logger);
    assertThat(logged).hasSize(2);
    CapturingSlf4jProvider.Captured first = logged.get(0);
    assertThat(first.level()).isEqualTo(Level.INFO);
    assertThat(first.mdc())
        .containsEntry(Slf4jAuditSink.MDC_REQUEST_ID, "REQ-1042")
        .containsEntry(Slf4jAuditSink.MDC_EVENT_ID, ID.toString());
    assertThat(first.keyValues())
        .containsEntry("type", "GRANTED")
        .containsEntry("requestId", "REQ-1042")
        .containsEntry("grantee", "alice@example.com")
        .containsEntry("user", "jit_alice_3f2a")
        .containsEntry("level", "read-only")
        .containsEntry("approvers", List.of("carol@example.com"))
        .containsEntry("outcome", "SUCCESS");
    assertThat(first.message())
        .isEqualTo("audit GRANTED REQ-1042 on orders-prod: " + AuditJson.write(granted()));
    assertThat(logged.get(1).level()).isEqualTo(Level.WARN);
  }

  @Test
  void aWebhookSignatureIsTheHexHmacSha256OfTheBody() {
    // RFC 4231 test case 2.
    assertThat(
            WebhookAuditSink.sign(
                Secret.of("Jefe"),
                "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void aWebhookNeedsAnAbsoluteHttpUrlAndSaneTimings(@TempDir Path dir) {
    Secret s = Secret.of("k");
    assertThatThrownBy(
            () -> WebhookAuditSink.builder(java.net.URI.create("file:///tmp/x"), s, dir).build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("WebhookAuditSink.endpoint must be an absolute http or https URL");
    assertThatThrownBy(
            () ->
                WebhookAuditSink.builder(
                        java.net.URI.create("https://user:pw@audit.example.com/in?token=t"), s, dir)
                    .initialBackoff(java.time.Duration.ofMinutes(10))
                    .maxBackoff(java.time.Duration.ofMinutes(1))
                    .build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("WebhookAuditSink.initialBackoff must not exceed maxBackoff");
    assertThatThrownBy(
            () ->
                WebhookAuditSink.builder(java.net.URI.create("ftp://user:pw@h/x?token=t"), s, dir))
        .hasMessageNotContaining("pw")
        .hasMessageNotContaining("token");
  }
}
