package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.T0;
import static io.grantsmith.api.Fixtures.lease;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseTest {
  private static final Instant EXPIRY = T0.plus(Duration.ofHours(2));

  @Test
  void leaseKeepsItsTerms() {
    Lease l = lease().cleanupAt(EXPIRY.plus(Duration.ofDays(7))).build();

    assertThat(l.roleName()).isEqualTo("gs_alice_3f9a");
    assertThat(l.grantedAt()).isEqualTo(T0);
    assertThat(l.expiresAt()).isEqualTo(EXPIRY);
    assertThat(l.cleanupAt()).hasValue(EXPIRY.plus(Duration.ofDays(7)));
    assertThat(lease().build().cleanupAt()).isEmpty();
  }

  @Test
  void instantsMayCoincide() {
    Lease l = lease().expiresAt(T0).cleanupAt(T0).build();
    assertThat(l.expiresAt()).isEqualTo(l.grantedAt()).isEqualTo(l.cleanupAt().orElseThrow());
  }

  @Test
  void expiryBeforeGrantIsRejected() {
    Instant before = T0.minusSeconds(1);
    assertRejects(() -> lease().expiresAt(before).build(), "Lease.expiresAt", before)
        .hasMessageContaining("must not be before grantedAt " + T0);
  }

  @Test
  void cleanupBeforeExpiryIsRejected() {
    Instant before = EXPIRY.minusMillis(1);
    assertRejects(() -> lease().cleanupAt(before).build(), "Lease.cleanupAt", before)
        .hasMessageContaining("must not be before expiresAt " + EXPIRY);
  }

  @Test
  void roleNameRequestIdAndGranteeAreChecked() {
    assertRejects(() -> lease().roleName("").build(), "Lease.roleName", "");
    assertRejects(() -> lease().requestId(" ").build(), "Lease.requestId", " ");
    assertRejects(() -> lease().grantee("").build(), "Lease.grantee", "");
  }

  @Test
  void leaseIsExpiredFromItsExpiryOn() {
    Lease l = lease().build();
    assertThat(l.isExpiredAt(EXPIRY.minusNanos(1))).isFalse();
    assertThat(l.isExpiredAt(EXPIRY)).isTrue();
    assertThat(l.isExpiredAt(EXPIRY.plusSeconds(1))).isTrue();
  }
}
