package io.grantsmith.postgres.azure.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * When to try again after a failure with a SQLSTATE, and how long to wait first: up to {@code
 * maxAttempts} attempts, retried only on the listed SQLSTATEs, each wait double the previous one
 * (from {@code firstBackoff}, at most {@code maxBackoff}) plus up to half of it at random, so that
 * callers that collided spread out. One rule for interrupts: a thread interrupted while waiting
 * keeps its interrupt flag and stops retrying, and the caller surfaces the failure it had.
 *
 * @param maxAttempts how many attempts in all, at least 1
 * @param firstBackoff the wait before the second attempt
 * @param maxBackoff the longest wait, before jitter
 * @param retryable the SQLSTATEs worth another attempt
 */
public record RetryPolicy(
    int maxAttempts, Duration firstBackoff, Duration maxBackoff, Set<String> retryable) {

  /**
   * What the lifecycle retries: a lease changed under it ({@code GS409}, raised by its guards), a
   * role created, a membership granted or a role dropped concurrently (42710, 23505, 42704).
   */
  public static final Set<String> LIFECYCLE_STATES =
      Set.of(Renderer.CONFLICT_SQLSTATE, "42710", "23505", "42704");

  /** What the executor retries: serialization failure, deadlock, "tuple concurrently updated". */
  public static final Set<String> TRANSACTION_STATES = Set.of("40001", "40P01", "XX000");

  /** Validates and copies. */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    Objects.requireNonNull(firstBackoff, "firstBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must be 0 or more and at most maxBackoff: " + firstBackoff + ", " + maxBackoff);
    }
    retryable = Set.copyOf(retryable);
  }

  /**
   * The lifecycle's policy: 10 attempts, from 5 ms to at most 160 ms.
   *
   * @return the policy
   */
  public static RetryPolicy lifecycle() {
    return new RetryPolicy(10, Duration.ofMillis(5), Duration.ofMillis(160), LIFECYCLE_STATES);
  }

  /**
   * The executor's policy: {@code maxAttempts} attempts, from {@code backoff} doubling six times at
   * most.
   *
   * @param maxAttempts at least 1
   * @param backoff the first wait
   * @return the policy
   */
  public static RetryPolicy transactions(int maxAttempts, Duration backoff) {
    return new RetryPolicy(maxAttempts, backoff, backoff.multipliedBy(1L << 6), TRANSACTION_STATES);
  }

  /**
   * Whether a failure with {@code sqlState} on attempt {@code attempt} (counted from 1) is worth
   * another attempt, before any wait.
   *
   * @param sqlState the failure's SQLSTATE, or null
   * @param attempt the attempt that failed
   * @return true if another attempt is allowed
   */
  public boolean allows(String sqlState, int attempt) {
    return sqlState != null && retryable.contains(sqlState) && attempt < maxAttempts;
  }

  /**
   * The wait after attempt {@code attempt} failed, before jitter.
   *
   * @param attempt the attempt that failed, from 1
   * @return the wait
   */
  public Duration backoff(int attempt) {
    long first = firstBackoff.toMillis();
    long doubled = first << Math.min(Math.max(attempt - 1, 0), 30);
    return Duration.ofMillis(Math.min(doubled, maxBackoff.toMillis()));
  }

  /**
   * Decides and waits: true if the failure with {@code sqlState} on attempt {@code attempt} is
   * retried after the backoff; false if it is not retryable, attempts are used up, or the thread
   * was interrupted while waiting (its interrupt flag is then set again).
   *
   * @param sqlState the failure's SQLSTATE, or null
   * @param attempt the attempt that failed, from 1
   * @return true to try again now
   */
  public boolean retryAfter(String sqlState, int attempt) {
    return retryAfter(sqlState, attempt, bound -> ThreadLocalRandom.current().nextLong(bound));
  }

  /**
   * {@link #retryAfter(String, int)} with the jitter drawn by {@code jitter} (given an exclusive
   * bound), for tests.
   *
   * @param sqlState the failure's SQLSTATE, or null
   * @param attempt the attempt that failed, from 1
   * @param jitter draws a number from 0 (inclusive) to its argument (exclusive)
   * @return true to try again now
   */
  boolean retryAfter(String sqlState, int attempt, LongUnaryOperator jitter) {
    if (!allows(sqlState, attempt) || Thread.currentThread().isInterrupted()) {
      return false;
    }
    long base = backoff(attempt).toMillis();
    try {
      Thread.sleep(base + jitter.applyAsLong(base / 2 + 1));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
