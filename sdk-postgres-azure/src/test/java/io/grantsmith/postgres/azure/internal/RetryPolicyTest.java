package io.grantsmith.postgres.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final RetryPolicy POLICY =
      new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), Set.of("40001"));

  @Test
  void onlyListedStatesAreRetriedAndOnlyWhileAttemptsRemain() {
    assertThat(POLICY.allows("40001", 1)).isTrue();
    assertThat(POLICY.allows("40001", 3)).isTrue();
    assertThat(POLICY.allows("40001", 4)).isFalse();
    assertThat(POLICY.allows("42501", 1)).isFalse();
    assertThat(POLICY.allows(null, 1)).isFalse();
  }

  @Test
  void theBackoffDoublesUpToItsCeiling() {
    assertThat(POLICY.backoff(1)).isEqualTo(Duration.ofMillis(1));
    assertThat(POLICY.backoff(2)).isEqualTo(Duration.ofMillis(2));
    assertThat(POLICY.backoff(3)).isEqualTo(Duration.ofMillis(4));
    assertThat(POLICY.backoff(40)).isEqualTo(Duration.ofMillis(4));
  }

  @Test
  void theExecutorsPolicyDoublesSixTimesAtMost() {
    RetryPolicy p = RetryPolicy.transactions(5, Duration.ofMillis(20));
    assertThat(p.backoff(1)).isEqualTo(Duration.ofMillis(20));
    assertThat(p.backoff(7)).isEqualTo(Duration.ofMillis(1280));
    assertThat(p.backoff(9)).isEqualTo(Duration.ofMillis(1280));
    assertThat(p.retryable()).containsExactlyInAnyOrder("40001", "40P01", "XX000");
  }

  @Test
  void theLifecycleRetriesConflictsTenTimes() {
    RetryPolicy p = RetryPolicy.lifecycle();
    assertThat(p.maxAttempts()).isEqualTo(10);
    assertThat(p.retryable()).contains(Renderer.CONFLICT_SQLSTATE, "42710", "23505", "42704");
  }

  @Test
  void theJitterIsAtMostHalfTheBackoff() {
    long[] bound = new long[1];
    assertThat(
            POLICY.retryAfter(
                "40001",
                3,
                b -> {
                  bound[0] = b;
                  return 0;
                }))
        .isTrue();
    assertThat(bound[0]).isEqualTo(4 / 2 + 1);
  }

  @Test
  void anInterruptedThreadStopsRetryingAndKeepsItsFlag() {
    Thread.currentThread().interrupt();
    try {
      assertThat(POLICY.retryAfter("40001", 1)).isFalse();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void anInterruptDuringTheWaitStopsRetryingAndKeepsTheFlag() {
    RetryPolicy slow =
        new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(10), Set.of("40001"));
    Thread self = Thread.currentThread();
    Thread interrupter =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException ignored) {
                return;
              }
              self.interrupt();
            });
    interrupter.start();
    try {
      long start = System.nanoTime();
      assertThat(slow.retryAfter("40001", 1)).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aPolicyIsValidated() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RetryPolicy(1, Duration.ofMillis(5), Duration.ofMillis(1), Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
