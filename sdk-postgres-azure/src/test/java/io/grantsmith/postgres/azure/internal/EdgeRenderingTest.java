package io.grantsmith.postgres.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.DefaultPrivilege;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Statements and texts at the edge of each rule, found by mutation testing (PIT): a flag rendered
 * the wrong way round, a limit off by one, a name that starts with the first letter.
 */
class EdgeRenderingTest {
  private static final Renderer R = new Renderer(17);
  private static final Instant T = Instant.parse("2030-01-02T03:04:05Z");

  @Test
  void loginIsRenderedBothWays() {
    assertThat(R.setLogin("db", "u", true).sql()).isEqualTo("ALTER ROLE u WITH LOGIN");
    assertThat(R.setLogin("db", "u", false).sql()).isEqualTo("ALTER ROLE u WITH NOLOGIN");
  }

  @Test
  void aMembershipIsRevokedAsItsGrantorWhenNamed() {
    assertThat(R.revokeRole("db", "team", "u", "Admin").sql())
        .isEqualTo("REVOKE team FROM u GRANTED BY \"Admin\"");
    assertThat(R.revokeRole("db", "team", "u").sql()).isEqualTo("REVOKE team FROM u");
    assertThat(R.setRole("db", "azure_pg_admin").sql()).isEqualTo("SET LOCAL ROLE azure_pg_admin");
    assertThat(R.resetRole("db").sql()).isEqualTo("RESET ROLE");
  }

  @Test
  void defaultPrivilegesNameTheirSchemaAndGrantOption() {
    DefaultPrivilege inSchema =
        DefaultPrivilege.builder()
            .owner("o")
            .schema("s")
            .objectType(DefaultPrivilege.ObjectType.TABLES)
            .grantee("u")
            .addAllPrivileges(List.of(Privilege.SELECT))
            .withGrantOption(true)
            .build();
    assertThat(R.defaultPrivileges("db", inSchema, true).sql())
        .isEqualTo(
            "ALTER DEFAULT PRIVILEGES FOR ROLE o IN SCHEMA s GRANT SELECT ON TABLES TO u"
                + " WITH GRANT OPTION");
    assertThat(R.defaultPrivileges("db", inSchema, false).sql())
        .isEqualTo(
            "ALTER DEFAULT PRIVILEGES FOR ROLE o IN SCHEMA s REVOKE SELECT ON TABLES FROM u");
    DefaultPrivilege everywhere =
        DefaultPrivilege.builder()
            .owner("o")
            .objectType(DefaultPrivilege.ObjectType.SEQUENCES)
            .grantee("u")
            .addAllPrivileges(List.of(Privilege.USAGE))
            .build();
    assertThat(R.defaultPrivileges("db", everywhere, true).sql())
        .isEqualTo("ALTER DEFAULT PRIVILEGES FOR ROLE o GRANT USAGE ON SEQUENCES TO u");
  }

  @Test
  void namesAtTheEdgesOfTheSafeAlphabetStayUnquoted() {
    assertThat(Sql.ident("a", 17)).isEqualTo("a");
    assertThat(Sql.ident("z9", 17)).isEqualTo("z9");
    assertThat(Sql.ident("_0", 17)).isEqualTo("_0");
    assertThat(Sql.ident("a`", 17)).isEqualTo("\"a`\"");
    assertThat(Sql.ident("{", 17)).isEqualTo("\"{\"");
    assertThat(Sql.ident("a:", 17)).isEqualTo("\"a:\"");
    assertThat(Sql.ident("a\"b", 17)).isEqualTo("\"a\"\"b\"");
    assertThat(Sql.literal("\\")).isEqualTo("E'\\\\'");
    assertThat(Sql.literal("a'b")).isEqualTo("'a''b'");
  }

  @Test
  void aLeaseKeepsExactlyTheLastTwentyRequestIds() {
    List<String> twenty = new ArrayList<>();
    for (int i = 1; i <= LeaseCodec.MAX_REQUEST_IDS; i++) {
      twenty.add("R" + i);
    }
    assertThat(
            LeaseCodec.encode(
                new LeaseCodec.Fields("p", "R1", twenty, "g", T, T, null, T, null, null)))
        .contains("\"R1\",")
        .contains("\"R20\"]");
    List<String> more = new ArrayList<>(twenty);
    more.add("R21");
    assertThat(
            LeaseCodec.encode(
                new LeaseCodec.Fields("p", "R21", more, "g", T, T, null, T, null, null)))
        .contains("[\"R2\",")
        .contains("\"R21\"]")
        .doesNotContain("\"R1\",");
  }

  @Test
  void aLeaseKeepsTheLatestApprovals() {
    List<LeaseCodec.Approval> all = new ArrayList<>();
    for (int i = 0; i <= LeaseCodec.MAX_APPROVALS; i++) {
      all.add(new LeaseCodec.Approval(AccessLevel.READ_ONLY, ResourceRef.database("d" + i)));
    }
    String json =
        LeaseCodec.encode(
            new LeaseCodec.Fields("p", "R", List.of("R"), "g", T, T, null, T, null, all));
    assertThat(json)
        .doesNotContain("\"d0\"")
        .contains("\"d1\"")
        .contains("\"d" + LeaseCodec.MAX_APPROVALS + "\"");
    List<LeaseCodec.Approval> latest = all.subList(0, LeaseCodec.MAX_APPROVALS);
    String exact =
        LeaseCodec.encode(
            new LeaseCodec.Fields("p", "R", List.of("R"), "g", T, T, null, T, null, latest));
    assertThat(exact).contains("\"d0\"");
  }

  @Test
  void controlCharactersAndSurrogatesAreWrittenSoJsonbAcceptsThem() {
    StringBuilder out = new StringBuilder();
    LeaseCodec.string(out, "\u001f \u0020 \u007f \u2028 \ud83d\ude00 x\ud83d");
    assertThat(out.toString()).isEqualTo("\"\\u001f   \\u007f \\u2028 \ud83d\ude00 x\ufffd\"");
    StringBuilder low = new StringBuilder();
    LeaseCodec.string(low, "\ude00a");
    assertThat(low.toString()).isEqualTo("\"\ufffda\"");
  }
}
