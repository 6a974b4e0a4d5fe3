package io.grantsmith.api;

import java.time.Duration;
import java.time.Instant;

/** Valid values to start from; each test changes the one thing it is about. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  private Fixtures() {}

  static Integration.Builder integration() {
    return Integration.builder()
        .name("orders-prod")
        .hostname("orders-prod.postgres.database.azure.com");
  }

  static AccessRequest.Builder request() {
    return AccessRequest.builder()
        .requestId("REQ-1042")
        .grantee("alice@example.com")
        .integration(integration().build())
        .addResource(ResourceRef.schema("orders", "sales"))
        .duration(Duration.ofHours(2));
  }

  static Lease.Builder lease() {
    return Lease.builder()
        .roleName("gs_alice_3f9a")
        .requestId("REQ-1042")
        .grantee("alice@example.com")
        .grantedAt(T0)
        .expiresAt(T0.plus(Duration.ofHours(2)));
  }

  static Grant.Builder grant() {
    return Grant.builder()
        .grantee("alice")
        .resource(ResourceRef.relation("orders", "sales", "invoices"))
        .addPrivilege(Privilege.SELECT);
  }

  static String repeat(char c, int times) {
    return String.valueOf(c).repeat(times);
  }
}
