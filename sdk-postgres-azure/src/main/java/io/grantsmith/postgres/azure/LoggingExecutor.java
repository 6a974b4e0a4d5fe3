package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Executor;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Statement;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each plan through SLF4J (logger {@code io.grantsmith.sql}) before handing it to another
 * executor: a summary at INFO, every statement in redacted form at DEBUG, failures at WARN.
 * Passwords never reach the log.
 */
public final class LoggingExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger("io.grantsmith.sql");

  private final Executor delegate;

  /**
   * Wraps an executor.
   *
   * @param delegate the executor that does the work
   */
  public LoggingExecutor(Executor delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public ApplyResult apply(Plan plan) {
    LOG.info("Applying {}", plan);
    if (LOG.isDebugEnabled()) {
      for (Statement s : plan.statements()) {
        LOG.debug("[{}] {}", s.database(), s.redacted());
      }
    }
    try {
      ApplyResult r = delegate.apply(plan);
      LOG.info("Applied {} statements in {} round trips", r.statements(), r.roundTrips());
      return r;
    } catch (ApplyException e) {
      LOG.warn("{}", e.getMessage());
      throw e;
    }
  }
}
