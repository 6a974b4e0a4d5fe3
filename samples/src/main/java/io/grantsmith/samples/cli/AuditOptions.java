package io.grantsmith.samples.cli;

import io.grantsmith.api.AuditSink;
import io.grantsmith.api.Secret;
import io.grantsmith.governance.JsonLinesAuditSink;
import io.grantsmith.governance.WebhookAuditSink;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The audit flags of every command that changes something: {@code --audit-log FILE} (JSON Lines,
 * appended and flushed per event) and {@code --audit-webhook URL} (each event POSTed, signed with
 * HMAC-SHA256 using the secret in {@value #SECRET_ENV}, spooled on disk until delivered).
 */
final class AuditOptions implements AutoCloseable {
  /** The environment variable that holds the webhook's signing secret. */
  static final String SECRET_ENV = "GRANTSMITH_AUDIT_WEBHOOK_SECRET";

  @Option(
      names = "--audit-log",
      paramLabel = "FILE",
      description =
          "Append one JSON line per audit event (request, decision, change, failure) to FILE,"
              + " flushed per event.")
  Path log;

  @Option(
      names = "--audit-webhook",
      paramLabel = "URL",
      description =
          "POST each audit event to URL, signed with HMAC-SHA256 using the secret in "
              + SECRET_ENV
              + "; events not yet delivered wait in --audit-spool and are sent again by the next"
              + " run.")
  String webhook;

  @Option(
      names = "--audit-spool",
      paramLabel = "DIR",
      description =
          "Where --audit-webhook keeps events until they are delivered"
              + " (default: .grantsmith-audit-spool in the current directory).")
  Path spool;

  private final List<AutoCloseable> open = new ArrayList<>();

  /**
   * The sink of the flags, opened now.
   *
   * @param cli the tool (for the environment)
   * @return the sink, or null without audit flags
   * @throws GrantsmithCli.UsageException if a flag is unusable or the secret is missing
   */
  AuditSink sink(GrantsmithCli cli) {
    if (spool != null && webhook == null) {
      throw new GrantsmithCli.UsageException("--audit-spool needs --audit-webhook");
    }
    List<AuditSink> sinks = new ArrayList<>();
    if (log != null) {
      sinks.add(new JsonLinesAuditSink(log));
    }
    if (webhook != null) {
      URI uri;
      try {
        uri = new URI(webhook);
      } catch (URISyntaxException e) {
        throw new GrantsmithCli.UsageException(
            "invalid --audit-webhook: not a URL: " + e.getMessage());
      }
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new GrantsmithCli.UsageException(
            "invalid --audit-webhook: must be an http or https URL, but was '" + webhook + "'");
      }
      String secret = cli.env.get(SECRET_ENV);
      if (secret == null || secret.isEmpty()) {
        throw new GrantsmithCli.UsageException(
            "--audit-webhook needs its signing secret in the environment variable " + SECRET_ENV);
      }
      WebhookAuditSink hook =
          WebhookAuditSink.builder(
                  uri,
                  Secret.of(secret),
                  spool != null ? spool : Path.of(".grantsmith-audit-spool"))
              .build();
      open.add(hook);
      sinks.add(hook);
    }
    if (sinks.isEmpty()) {
      return null;
    }
    return sinks.size() == 1 ? sinks.get(0) : AuditSink.all(sinks.toArray(new AuditSink[0]));
  }

  /**
   * Closes what {@link #sink} opened: the webhook sink, after trying to deliver what waits in its
   * spool (for at most its close timeout); what is left is sent by the next run.
   */
  @Override
  public void close() {
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        // Events not delivered stay in the spool for the next run.
      }
    }
    open.clear();
  }
}
