package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessUnitTest {

  @Test
  void userNamesAreDeterministicReadableAndFit() {
    String a = AccessManager.userName("prod", "Alice.Smith@Example.com");
    assertThat(a)
        .isEqualTo(AccessManager.userName("prod", "Alice.Smith@Example.com"))
        .matches("gs_alice_smith_example_com_[0-9a-f]{8}");
    assertThat(AccessManager.userName("staging", "Alice.Smith@Example.com")).isNotEqualTo(a);
    assertThat(AccessManager.userName("prod", "alice.smith@example.com")).isNotEqualTo(a);
    String longName = AccessManager.userName("prod", "x".repeat(300) + "\u00e9\u4e2d");
    assertThat(longName.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(63);
    assertThat(longName).matches("gs_x+_[0-9a-f]{8}");
    assertThat(AccessManager.userName("prod", "\u00e9l\u00e8ve")).matches("gs__l_ve_[0-9a-f]{8}");
  }

  @Test
  void passwordsAreStrongAndSafe() {
    SecurePasswordGenerator gen = new SecurePasswordGenerator();
    assertThat(gen.bits()).isGreaterThan(128);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String p = gen.generate().reveal();
      assertThat(p).matches("[A-Za-z0-9]{32}");
      seen.add(p);
    }
    assertThat(seen).hasSize(1000);
    assertThat(new SecurePasswordGenerator(22).bits()).isGreaterThanOrEqualTo(128);
  }

  @Test
  void accessGrantHidesThePassword() {
    Secret pw = new SecurePasswordGenerator().generate();
    AccessGrant g =
        AccessGrant.builder()
            .username("gs_a_12345678")
            .password(pw)
            .expiresAt(Instant.parse("2030-01-01T00:00:00Z"))
            .host("h")
            .port(5432)
            .database("d")
            .sslMode(SslMode.REQUIRE)
            .jdbcUrl("jdbc:postgresql://h:5432/d")
            .connectionString("x")
            .lease(
                Lease.builder()
                    .roleName("gs_a_12345678")
                    .requestId("r")
                    .grantee("a")
                    .grantedAt(Instant.parse("2029-01-01T00:00:00Z"))
                    .expiresAt(Instant.parse("2030-01-01T00:00:00Z"))
                    .build())
            .applyResult(ApplyResult.builder().build())
            .build();
    assertThat(g.toString()).doesNotContain(pw.reveal()).contains("gs_a_12345678");
    assertThat(g.password()).contains(pw);
  }

  @Test
  void sweepResultReports() {
    SweepResult r = SweepResult.builder().addRevoked("a").addDropped("b").build();
    assertThat(r.revoked()).containsExactly("a");
    assertThat(r.dropped()).containsExactly("b");
    assertThat(r.skipped()).isFalse();
  }
}
