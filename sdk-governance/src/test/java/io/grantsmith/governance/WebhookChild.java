package io.grantsmith.governance;

import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A separate process for {@link WebhookAuditSinkIT}: publishes events through a webhook sink while
 * the endpoint is down, prints their ids, and exits with them still spooled.
 *
 * <p>Arguments: endpoint URL, spool directory, number of events, a password that must never reach a
 * payload. The signing secret comes from the environment variable {@code TEST_WEBHOOK_SECRET}.
 */
public final class WebhookChild {
  private WebhookChild() {}

  public static void main(String[] args) {
    URI endpoint = URI.create(args[0]);
    Path spool = Path.of(args[1]);
    int count = Integer.parseInt(args[2]);
    Secret password = Secret.of(args[3]);
    try (WebhookAuditSink sink =
        WebhookAuditSink.builder(endpoint, Secret.of(System.getenv("TEST_WEBHOOK_SECRET")), spool)
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofMillis(200))
            .requestTimeout(Duration.ofSeconds(2))
            .closeTimeout(Duration.ofMillis(500))
            .build()) {
      for (int i = 0; i < count; i++) {
        AuditEvent e = WebhookAuditSinkIT.event("CHILD-" + i, i, password);
        sink.publish(e);
        System.out.println(e.id());
      }
    }
    System.out.flush();
  }
}
