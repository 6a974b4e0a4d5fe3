package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.AuditException;
import io.grantsmith.api.AuditSink;
import io.grantsmith.api.Lease;
import io.grantsmith.api.ResourcePattern;
import io.grantsmith.api.ResourceRef;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AccessManager}'s audit events: builds them and publishes them to its {@link
 * AuditSink}. A sink's failure is logged and swallowed, except for the events published before a
 * grant's change when the manager was told that audit failures block grants ({@link #beforeGrant}).
 */
final class AuditTrail {
  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);

  /** The longest detail an event takes. */
  private static final int MAX_DETAIL = 4000;

  private final AuditSink sink;
  private final boolean blocksGrants;
  private final String integration;
  private final Clock clock;

  /**
   * A trail.
   *
   * @param sink where events go; null for none (nothing is built or read for them)
   * @param blocksGrants whether a failure to record the events before a grant's change refuses it
   * @param integration the integration's name
   * @param clock the events' clock
   */
  AuditTrail(AuditSink sink, boolean blocksGrants, String integration, Clock clock) {
    this.sink = sink;
    this.blocksGrants = blocksGrants;
    this.integration = integration;
    this.clock = clock;
  }

  /** The same trail recording nothing, for a manager whose executor changes nothing. */
  AuditTrail silent() {
    return new AuditTrail(null, false, integration, clock);
  }

  /** Whether events are recorded at all; when not, the manager reads nothing for them. */
  boolean isOn() {
    return sink != null;
  }

  /** A new event of this integration at the clock's time. */
  AuditEvent.Builder event(AuditEvent.Type type, AuditEvent.Outcome outcome) {
    return AuditEvent.builder()
        .type(type)
        .outcome(outcome)
        .time(clock.instant())
        .integration(integration);
  }

  /** A new event about a request: its id, grantee, resources and level. */
  AuditEvent.Builder event(
      AuditEvent.Type type, AuditEvent.Outcome outcome, AccessRequest request, String requester) {
    AuditEvent.Builder b =
        event(type, outcome)
            .requestId(request.requestId())
            .grantee(request.grantee())
            .addAllResources(paths(request.resources()))
            .level(request.level());
    if (requester != null) {
      b.requester(requester);
    }
    return b;
  }

  /** A new event about a managed user and its lease, if it has one. */
  AuditEvent.Builder event(
      AuditEvent.Type type, AuditEvent.Outcome outcome, String user, Lease lease) {
    AuditEvent.Builder b = event(type, outcome).user(user);
    if (lease != null) {
      b.requestId(lease.requestId()).grantee(lease.grantee()).expiresAt(lease.expiresAt());
    }
    return b;
  }

  /** The resources as the flows' patterns see them. */
  static List<String> paths(List<ResourceRef> resources) {
    return resources.stream().map(ResourcePattern::path).toList();
  }

  /** A failure's detail: its type and the first line of its message (never a secret). */
  static String detail(Throwable e) {
    String message = String.valueOf(e.getMessage());
    String text = e.getClass().getSimpleName() + ": " + message;
    return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL - 1) + "\u2026" : text;
  }

  /** Text for an event's detail, cut to fit. */
  static String clip(String text) {
    return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL - 1) + "\u2026" : text;
  }

  /** Publishes; a failure is logged, never thrown: revocations and sweeps never wait for it. */
  void publish(AuditEvent.Builder event) {
    if (sink == null) {
      return;
    }
    AuditEvent e;
    try {
      e = event.build();
    } catch (RuntimeException invalid) {
      // A value the event's schema refuses (say, a request id it cannot hold): the operation
      // goes on, as for a sink that fails.
      LOG.warn("An audit event could not be built: {}", invalid.getMessage());
      return;
    }
    try {
      sink.publish(e);
    } catch (RuntimeException failure) {
      LOG.warn(
          "Audit event {} {} (request {}, user {}) was not recorded: {}",
          e.type(),
          e.id(),
          e.requestId().orElse("-"),
          e.user().orElse("-"),
          failure.toString());
    }
  }

  /**
   * Publishes an event that comes before a grant's change: if the manager was told that audit
   * failures block grants, a failure is thrown (nothing has changed yet); otherwise it is logged.
   */
  void beforeGrant(AuditEvent.Builder event) {
    if (sink == null || !blocksGrants) {
      publish(event);
      return;
    }
    AuditEvent e;
    try {
      e = event.build();
    } catch (RuntimeException invalid) {
      throw new AuditException(
          "The grant was refused before any change: its audit event could not be built ("
              + invalid.getMessage()
              + ")",
          invalid);
    }
    try {
      sink.publish(e);
    } catch (AuditException failure) {
      throw refused(e, failure);
    } catch (RuntimeException failure) {
      throw refused(e, new AuditException("audit sink failed: " + failure, failure));
    }
  }

  private static AuditException refused(AuditEvent e, AuditException failure) {
    AuditException refusal =
        new AuditException(
            "The grant of request "
                + e.requestId().orElse("-")
                + " was refused before any change: its "
                + e.type()
                + " audit event "
                + e.id()
                + " could not be recorded ("
                + failure.getMessage()
                + ")",
            failure);
    return refusal;
  }
}
