package io.grantsmith.governance;

import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.AuditException;
import io.grantsmith.api.AuditSink;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Secret;
import io.grantsmith.governance.internal.Signatures;
import io.grantsmith.governance.internal.Spool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each {@link AuditEvent} to an HTTP endpoint: a {@code POST} of its {@link AuditJson},
 * signed, retried with backoff, through an on-disk spool, at least once.
 *
 * <ul>
 *   <li>{@link #publish} writes the event to the spool directory (forced to the device) and
 *       returns; it throws only when the spool cannot be written. A background thread delivers
 *       spooled events in order, removing each once the endpoint answered 2xx.
 *   <li>Any other answer, a timeout or a connection failure stops the pass; the next pass comes
 *       after a backoff that doubles from {@code initialBackoff} up to {@code maxBackoff} (with up
 *       to 20% jitter). Events are never dropped: an endpoint that refuses for good stalls
 *       delivery, which {@link #pending()} and the WARN lines of this class's logger show.
 *   <li>Events survive an outage and a restart: a new sink on the same directory (in this or a
 *       later process) delivers what an earlier one left. Processes may share the directory; one
 *       delivers at a time.
 *   <li>At least once: an event whose delivery succeeded just before a crash is sent again, with
 *       the same id ({@code X-Grantsmith-Event-Id} and {@code "id"}); receivers de-duplicate by it.
 * </ul>
 *
 * <p>Each request carries {@code Content-Type: application/json}, {@value #EVENT_ID_HEADER} and
 * {@value #SIGNATURE_HEADER}: {@code sha256=} and the lower-case hex HMAC-SHA256 of the exact body,
 * keyed with the UTF-8 bytes of the signing secret ({@link #sign}). The secret is never sent or
 * logged.
 *
 * <pre>{@code
 * try (WebhookAuditSink sink = WebhookAuditSink.builder(
 *         URI.create("https://audit.example.com/grantsmith"),
 *         Secret.of(System.getenv("GRANTSMITH_AUDIT_WEBHOOK_SECRET")),
 *         Path.of("/var/spool/grantsmith-audit"))
 *     .build()) {
 *   sink.publish(event);
 * }
 * }</pre>
 */
public final class WebhookAuditSink implements AuditSink, AutoCloseable {
  /** The header with the body's signature. */
  public static final String SIGNATURE_HEADER = "X-Grantsmith-Signature";

  /** The header with the event's id. */
  public static final String EVENT_ID_HEADER = "X-Grantsmith-Event-Id";

  private static final Logger LOG = LoggerFactory.getLogger(WebhookAuditSink.class);

  /** Why the delivery thread wakes up. */
  private enum Wake {
    PUBLISHED,
    FLUSH,
    CLOSE
  }

  private final URI endpoint;
  private final String shownEndpoint;
  private final Secret secret;
  private final Spool spool;
  private final HttpClient client;
  private final Duration requestTimeout;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration closeTimeout;
  private final BlockingQueue<Wake> wake = new LinkedBlockingQueue<>();
  private final Thread worker;
  private volatile boolean closed;

  private WebhookAuditSink(Builder b) {
    this.endpoint = b.endpoint;
    this.shownEndpoint = shown(b.endpoint);
    this.secret = b.secret;
    this.client =
        b.client != null
            ? b.client
            : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
    this.requestTimeout = b.requestTimeout;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.closeTimeout = b.closeTimeout;
    try {
      this.spool = new Spool(b.spoolDirectory);
    } catch (IOException e) {
      throw new AuditException(
          "cannot open the audit spool directory " + b.spoolDirectory + ": " + e, e);
    }
    this.worker = new Thread(this::deliverLoop, "grantsmith-audit-webhook");
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * A builder.
   *
   * @param endpoint the {@code http} or {@code https} URL events are posted to
   * @param signingSecret the secret the receiver verifies signatures with
   * @param spoolDirectory where events wait for delivery (created when missing); keep it across
   *     restarts, on a local disk
   * @return the builder
   * @throws InvalidValueException if the endpoint is not an absolute http(s) URL
   */
  public static Builder builder(URI endpoint, Secret signingSecret, Path spoolDirectory) {
    return new Builder(endpoint, signingSecret, spoolDirectory);
  }

  /**
   * The signature header's value for {@code body}: {@code sha256=} and the lower-case hex
   * HMAC-SHA256 of the bytes, keyed with the UTF-8 bytes of {@code secret}. A receiver recomputes
   * it over the raw body and compares in constant time.
   *
   * @param secret the signing secret
   * @param body the exact body
   * @return the header value
   */
  public static String sign(Secret secret, byte[] body) {
    return Signatures.sign(secret, body);
  }

  /**
   * Spools the event durably and wakes the delivery thread.
   *
   * @param event the event
   * @throws AuditException if the event cannot be written to the spool, or the sink is closed
   */
  @Override
  public void publish(AuditEvent event) {
    if (closed) {
      throw new AuditException("the audit webhook sink is closed");
    }
    byte[] body = AuditJson.write(event).getBytes(StandardCharsets.UTF_8);
    try {
      spool.add(event.id().toString(), body);
    } catch (IOException e) {
      throw new AuditException(
          "audit event " + event.id() + " could not be spooled in " + spool.dir() + ": " + e, e);
    }
    wake.offer(Wake.PUBLISHED);
  }

  /**
   * How many events wait in the spool directory (this process's and others').
   *
   * @return the count
   * @throws AuditException if the directory cannot be listed
   */
  public int pending() {
    try {
      return spool.pending().size();
    } catch (IOException e) {
      throw new AuditException("cannot list the audit spool " + spool.dir() + ": " + e, e);
    }
  }

  /**
   * Tries to deliver now, and waits until the spool is empty or {@code timeout} has passed.
   *
   * @param timeout how long to wait
   * @return true if nothing is left to deliver
   */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    wake.offer(Wake.FLUSH);
    while (pending() > 0) {
      if (System.nanoTime() - deadline >= 0 || !worker.isAlive()) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Flushes for at most the close timeout (default 10 seconds), then stops the delivery thread.
   * Events not delivered stay in the spool for the next sink on the directory.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    flush(closeTimeout);
    closed = true;
    wake.offer(Wake.CLOSE);
    try {
      worker.join(requestTimeout.plusSeconds(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.interrupt();
    int left = pending();
    if (left > 0) {
      LOG.warn(
          "{} audit event(s) not yet delivered to {} stay in {}", left, shownEndpoint, spool.dir());
    }
  }

  private void deliverLoop() {
    Duration backoff = initialBackoff;
    while (!closed) {
      boolean emptied = deliverOnce();
      try {
        if (emptied) {
          backoff = initialBackoff;
          // Idle: wake up on a publish, or now and then for events other processes left.
          wake.poll(maxBackoff.toMillis(), TimeUnit.MILLISECONDS);
        } else {
          waitOut(jittered(backoff));
          backoff =
              backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                  ? maxBackoff
                  : backoff.multipliedBy(2);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Waits out a backoff; only a flush or close cuts it short. */
  private void waitOut(Duration backoff) throws InterruptedException {
    long deadline = System.nanoTime() + backoff.toNanos();
    long left;
    while (!closed && (left = deadline - System.nanoTime()) > 0) {
      Wake w = wake.poll(left, TimeUnit.NANOSECONDS);
      if (w == Wake.FLUSH || w == Wake.CLOSE) {
        return;
      }
    }
  }

  private static Duration jittered(Duration d) {
    long ms = d.toMillis();
    return Duration.ofMillis(ms + ThreadLocalRandom.current().nextLong(ms / 5 + 1));
  }

  /** One pass over the spool, oldest first; true if it is empty afterwards. */
  private boolean deliverOnce() {
    try {
      Optional<Spool.Lock> lock = spool.tryLock();
      if (lock.isEmpty()) {
        return false;
      }
      try (Spool.Lock held = lock.get()) {
        List<Path> files = spool.pending();
        for (Path file : files) {
          if (closed) {
            return false;
          }
          Optional<byte[]> body = spool.read(file);
          if (body.isEmpty()) {
            continue;
          }
          if (!send(Spool.id(file), body.get())) {
            return false;
          }
          spool.remove(file);
        }
        return spool.pending().isEmpty();
      }
    } catch (IOException e) {
      LOG.warn("audit spool {} cannot be read: {}", spool.dir(), e.toString());
      return false;
    }
  }

  private boolean send(String id, byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header(EVENT_ID_HEADER, id)
            .header(SIGNATURE_HEADER, sign(secret, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return true;
      }
      LOG.warn("audit event {} refused by {}: HTTP {}; will retry", id, shownEndpoint, status);
      return false;
    } catch (IOException e) {
      LOG.warn(
          "audit event {} not delivered to {}: {}; will retry", id, shownEndpoint, e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The endpoint without user info, query or fragment, which may hold credentials. */
  private static String shown(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** Builds a {@link WebhookAuditSink}. */
  public static final class Builder {
    private final URI endpoint;
    private final Secret secret;
    private final Path spoolDirectory;
    private HttpClient client;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(5);
    private Duration closeTimeout = Duration.ofSeconds(10);

    private Builder(URI endpoint, Secret secret, Path spoolDirectory) {
      Objects.requireNonNull(endpoint, "endpoint");
      InvalidValueException.check(
          endpoint.isAbsolute()
              && ("http".equalsIgnoreCase(endpoint.getScheme())
                  || "https".equalsIgnoreCase(endpoint.getScheme()))
              && endpoint.getHost() != null,
          "WebhookAuditSink.endpoint",
          "must be an absolute http or https URL",
          shown(endpoint));
      this.endpoint = endpoint;
      this.secret = Objects.requireNonNull(secret, "signingSecret");
      this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
    }

    /**
     * Uses this HTTP client (default: a new one with the request timeout as connect timeout).
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * How long one delivery may take (default 10 seconds).
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * The first wait after a failed delivery (default 1 second); it doubles up to {@link
     * #maxBackoff}.
     *
     * @param backoff positive
     * @return this builder
     */
    public Builder initialBackoff(Duration backoff) {
      this.initialBackoff = positive("initialBackoff", backoff);
      return this;
    }

    /**
     * The longest wait between delivery passes (default 5 minutes).
     *
     * @param backoff positive
     * @return this builder
     */
    public Builder maxBackoff(Duration backoff) {
      this.maxBackoff = positive("maxBackoff", backoff);
      return this;
    }

    /**
     * How long {@link WebhookAuditSink#close()} tries to deliver what is spooled (default 10
     * seconds; zero to leave it to the next sink).
     *
     * @param timeout zero or more
     * @return this builder
     */
    public Builder closeTimeout(Duration timeout) {
      InvalidValueException.check(
          timeout != null && !timeout.isNegative(),
          "WebhookAuditSink.closeTimeout",
          "must be zero or more",
          timeout);
      this.closeTimeout = timeout;
      return this;
    }

    /**
     * Opens the spool and starts delivering (first what an earlier sink left in it).
     *
     * @return the sink
     * @throws InvalidValueException if the initial backoff exceeds the maximum
     * @throws AuditException if the spool directory cannot be created
     */
    public WebhookAuditSink build() {
      InvalidValueException.check(
          initialBackoff.compareTo(maxBackoff) <= 0,
          "WebhookAuditSink.initialBackoff",
          "must not exceed maxBackoff " + maxBackoff,
          initialBackoff);
      return new WebhookAuditSink(this);
    }

    private static Duration positive(String field, Duration d) {
      InvalidValueException.check(
          d != null && !d.isNegative() && !d.isZero(),
          "WebhookAuditSink." + field,
          "must be positive",
          d);
      return d;
    }
  }
}
