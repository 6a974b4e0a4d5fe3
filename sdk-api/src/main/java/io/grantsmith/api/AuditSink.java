package io.grantsmith.api;

import java.util.List;

/**
 * Where {@link AuditEvent}s go: a log, a file, a webhook, a SIEM. The {@code sdk-governance} module
 * ships SLF4J, JSON Lines and webhook sinks.
 *
 * <p>{@link #publish} returns once the event is recorded durably enough for the sink (written and
 * flushed, spooled to disk, or delivered); it is called from the thread doing the operation, so a
 * slow destination belongs behind a spool. Implementations must be safe for use by several threads.
 */
@FunctionalInterface
public interface AuditSink {
  /**
   * Records an event.
   *
   * @param event the event
   * @throws AuditException if it could not be recorded
   */
  void publish(AuditEvent event);

  /**
   * A sink that drops every event.
   *
   * @return the sink
   */
  static AuditSink none() {
    return event -> {};
  }

  /**
   * A sink that publishes to each of {@code sinks} in turn. Every sink is tried even when an
   * earlier one fails; then the first failure is thrown with the others suppressed.
   *
   * @param sinks the sinks
   * @return the sink
   */
  static AuditSink all(AuditSink... sinks) {
    List<AuditSink> copy = List.of(sinks);
    return event -> {
      AuditException failure = null;
      for (AuditSink sink : copy) {
        try {
          sink.publish(event);
        } catch (RuntimeException e) {
          AuditException wrapped =
              e instanceof AuditException
                  ? (AuditException) e
                  : new AuditException("audit sink failed: " + e, e);
          if (failure == null) {
            failure = wrapped;
          } else {
            failure.addSuppressed(wrapped);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    };
  }
}
