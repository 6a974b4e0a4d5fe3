package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.LeaseCodec;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseCodecTest {
  private static final Instant T = Instant.parse("2030-01-02T03:04:05Z");

  @Test
  void writesOneLineOfJson() {
    String json =
        LeaseCodec.encode(
            new LeaseCodec.Fields(
                "prod", "REQ-1", List.of("REQ-0", "REQ-1"), "alice", T, T, null, T, null, null));
    assertThat(json)
        .isEqualTo(
            "{\"grantsmith\":1,\"integration\":\"prod\",\"requestId\":"
                + "\"REQ-1\",\"requests\":[\"REQ-0\",\"REQ-1\"],\"grantee\":\"alice\",\"grantedAt\":"
                + "\"2030-01-02T03:04:05Z\",\"expiresAt\":\"2030-01-02T03:04:05Z\",\"cleanupAt\":null,"
                + "\"passwordSetAt\":\"2030-01-02T03:04:05Z\",\"revokedAt\":null}");
    assertThat(json).startsWith("{\"grantsmith\":1").endsWith("}");
  }

  @Test
  void recordsAnEntraPrincipalLastAndLeavesOtherLeasesAsTheyWere() {
    EntraPrincipal p =
        EntraPrincipal.builder()
            .type(EntraPrincipal.Type.GROUP)
            .roleName("Data \"Team\"")
            .objectId("3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f")
            .mfa(true)
            .build();
    String json =
        LeaseCodec.encode(
            new LeaseCodec.Fields(
                "prod", "R", List.of("R"), "Data \"Team\"", T, T, null, null, null, null, p));
    assertThat(json)
        .endsWith(
            ",\"entra\":{\"type\":\"group\",\"objectId\":"
                + "\"3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f\",\"roleName\":\"Data \\\"Team\\\"\","
                + "\"mfa\":true}}");
    assertThat(
            LeaseCodec.encode(
                new LeaseCodec.Fields("p", "R", List.of(), "g", T, T, null, T, null, null, null)))
        .doesNotContain("entra");
  }

  @Test
  void escapesStringsAsRfc8259Requires() {
    String json =
        LeaseCodec.encode(
            new LeaseCodec.Fields(
                "p", "a\"b\\c", List.of(), "x\ny\t\u0001\u2028\ud800z", T, T, T, T, T, null));
    assertThat(json)
        .contains("\"requestId\":\"a\\\"b\\\\c\"")
        .contains("\"grantee\":\"x\\ny\\t\\u0001\\u2028\ufffdz\"")
        .doesNotContain("\n");
  }

  @Test
  void recordsWhatTheLeaseApproves() {
    List<LeaseCodec.Approval> approved =
        List.of(
            new LeaseCodec.Approval(
                AccessLevel.READ_ONLY, ResourceRef.relation("shop", "sa\"les", "orders")),
            new LeaseCodec.Approval(AccessLevel.ADMIN, ResourceRef.role("auditors")));
    String json =
        LeaseCodec.encode(
            new LeaseCodec.Fields("p", "R", List.of("R"), "g", T, T, null, T, null, approved));
    assertThat(json)
        .endsWith(
            ",\"approved\":[{\"level\":\"read-only\",\"kind\":\"RELATION\","
                + "\"database\":\"shop\",\"schema\":\"sa\\\"les\",\"name\":\"orders\",\"args\":null},"
                + "{\"level\":\"admin\",\"kind\":\"ROLE\",\"database\":null,\"schema\":null,"
                + "\"name\":\"auditors\",\"args\":null}]}");
    assertThat(
            LeaseCodec.encode(
                new LeaseCodec.Fields("p", "R", List.of("R"), "g", T, T, null, T, null, null)))
        .doesNotContain("approved");
  }

  @Test
  void remembersTheLastRequestIds() {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add("R" + i);
    }
    String json =
        LeaseCodec.encode(new LeaseCodec.Fields("p", "R29", ids, "g", T, T, null, T, null, null));
    assertThat(json).doesNotContain("\"R9\"").contains("\"R10\"").contains("\"R29\"");
  }

  @Test
  void theReadQueryGuardsAgainstForeignComments() {
    assertThat(LifecycleQueries.leases(15, false))
        .contains("left(c.txt, 15) = '{\"grantsmith\":1'")
        .doesNotContain("pg_input_is_valid");
    assertThat(LifecycleQueries.leases(16, false)).contains("pg_input_is_valid(c.txt, 'jsonb')");
  }
}
