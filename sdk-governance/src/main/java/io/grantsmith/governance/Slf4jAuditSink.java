package io.grantsmith.governance;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.AuditException;
import io.grantsmith.api.AuditSink;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs each {@link AuditEvent} through SLF4J: one line per event on the logger {@value
 * #LOGGER_NAME}, at INFO ({@code WARN} for failures and refusals), with every field of the event as
 * a key-value pair (SLF4J 2's structured logging: a JSON encoder writes them as fields) and the
 * event's JSON ({@link AuditJson}) as the message's last part. While the line is logged, the MDC
 * holds {@value #MDC_REQUEST_ID} (when the event has a request id) and {@value #MDC_EVENT_ID}.
 *
 * <pre>{@code
 * AuditSink sink = new Slf4jAuditSink();
 * }</pre>
 */
public final class Slf4jAuditSink implements AuditSink {
  /** The logger's name. */
  public static final String LOGGER_NAME = "io.grantsmith.audit";

  /** The MDC key of the request id. */
  public static final String MDC_REQUEST_ID = "grantsmith.requestId";

  /** The MDC key of the event id. */
  public static final String MDC_EVENT_ID = "grantsmith.eventId";

  private final Logger logger;

  /** Logs on {@value #LOGGER_NAME}. */
  public Slf4jAuditSink() {
    this(LoggerFactory.getLogger(LOGGER_NAME));
  }

  /**
   * Logs on {@code logger}.
   *
   * @param logger the logger
   */
  public Slf4jAuditSink(Logger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  /**
   * Logs the event.
   *
   * @param event the event
   * @throws AuditException if the logging backend fails
   */
  @Override
  public void publish(AuditEvent event) {
    String previousRequest = MDC.get(MDC_REQUEST_ID);
    String previousEvent = MDC.get(MDC_EVENT_ID);
    try {
      event.requestId().ifPresent(id -> MDC.put(MDC_REQUEST_ID, id));
      MDC.put(MDC_EVENT_ID, event.id().toString());
      Level level =
          event.outcome() == AuditEvent.Outcome.SUCCESS
                  || event.outcome() == AuditEvent.Outcome.PENDING
              ? Level.INFO
              : Level.WARN;
      LoggingEventBuilder b =
          logger
              .atLevel(level)
              .addKeyValue("schemaVersion", event.schemaVersion())
              .addKeyValue("id", event.id().toString())
              .addKeyValue("type", event.type().name())
              .addKeyValue("time", event.time().toString())
              .addKeyValue("integration", event.integration())
              .addKeyValue("outcome", event.outcome().name())
              .addKeyValue("approvers", event.approvers())
              .addKeyValue("resources", event.resources());
      event.reason().ifPresent(r -> b.addKeyValue("reason", r.name()));
      event.requestId().ifPresent(v -> b.addKeyValue("requestId", v));
      event.requester().ifPresent(v -> b.addKeyValue("requester", v));
      event.grantee().ifPresent(v -> b.addKeyValue("grantee", v));
      event.user().ifPresent(v -> b.addKeyValue("user", v));
      event.level().map(AccessLevel::label).ifPresent(v -> b.addKeyValue("level", v));
      event.expiresAt().map(Instant::toString).ifPresent(v -> b.addKeyValue("expiresAt", v));
      event.detail().ifPresent(v -> b.addKeyValue("detail", v));
      b.log(
          "audit {} {} on {}: {}",
          event.type(),
          event.requestId().orElse("-"),
          event.integration(),
          AuditJson.write(event));
    } catch (RuntimeException e) {
      throw new AuditException("audit event " + event.id() + " could not be logged: " + e, e);
    } finally {
      restore(MDC_REQUEST_ID, previousRequest);
      restore(MDC_EVENT_ID, previousEvent);
    }
  }

  private static void restore(String key, String previous) {
    if (previous == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, previous);
    }
  }
}
