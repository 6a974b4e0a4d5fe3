package io.grantsmith.postgres.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.DefaultPrivilege;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.api.Statement;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RendererTest {
  private final Renderer r = new Renderer(17);

  @Test
  void createRoleIsNologinWithExpiryAndSendsOnlyAScramVerifier() {
    Statement s =
        r.createRole(
            "postgres",
            RoleSpec.builder()
                .name("Alice \"A\"")
                .login(true)
                .validUntil(Instant.parse("2026-11-25T10:00:00.123456789Z"))
                .password(Secret.of("s3cret-Password"))
                .build());
    assertThat(s.sql())
        .startsWith(
            "CREATE ROLE \"Alice \"\"A\"\"\" WITH NOLOGIN INHERIT "
                + "CONNECTION LIMIT -1 VALID UNTIL '2026-11-25 10:00:00.123456+00' PASSWORD "
                + "'SCRAM-SHA-256$4096:")
        .doesNotContain("s3cret-Password");
    assertThat(s.redacted()).endsWith("PASSWORD '****'").doesNotContain("SCRAM");
    assertThat(s.toString()).doesNotContain("SCRAM").doesNotContain("s3cret");
  }

  @Test
  void aPasswordThatIsNotPrintableAsciiIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> r.setPassword("postgres", "alice", Secret.of("Pässwörd-1")))
        .isInstanceOf(io.grantsmith.api.InvalidValueException.class)
        .hasMessageContaining("ASCII")
        .hasMessageNotContaining("Pässwörd");
  }

  @Test
  void grantNamesManyObjectsOfOneKindInOneStatement() {
    Statement s =
        r.grant(
            "shop",
            EnumSet.of(Privilege.INSERT, Privilege.SELECT),
            List.of(
                ResourceRef.relation("shop", "sales", "orders"),
                ResourceRef.relation("shop", "Sales", "select")),
            "alice",
            false);
    assertThat(s.sql())
        .isEqualTo("GRANT SELECT, INSERT ON TABLE sales.orders, \"Sales\".\"select\" TO alice");
    assertThat(s.description()).isEqualTo("grant SELECT, INSERT on 2 relations to alice");
  }

  @Test
  void functionsAreGrantedAsRoutinesWithTheirSignature() {
    Statement s =
        r.grant(
            "shop",
            EnumSet.of(Privilege.EXECUTE),
            List.of(ResourceRef.function("shop", "sales", "total", "a integer, b text")),
            "bob",
            true);
    assertThat(s.sql())
        .isEqualTo(
            "GRANT EXECUTE ON ROUTINE sales.total(a integer, b text) TO bob WITH GRANT OPTION");
  }

  @Test
  void revokeOfTheGrantOptionOnly() {
    Statement s =
        r.revoke(
            "shop",
            EnumSet.of(Privilege.USAGE),
            List.of(ResourceRef.schema("shop", "sales")),
            "bob",
            true);
    assertThat(s.sql()).isEqualTo("REVOKE GRANT OPTION FOR USAGE ON SCHEMA sales FROM bob");
  }

  @Test
  void mixedKindsInOneStatementAreRefused() {
    assertThatThrownBy(
            () ->
                r.grant(
                    "shop",
                    EnumSet.of(Privilege.SELECT),
                    List.of(
                        ResourceRef.relation("shop", "s", "t"),
                        ResourceRef.sequence("shop", "s", "q")),
                    "bob",
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixed");
  }

  @Test
  void membershipsDefaultPrivilegesAndOwnership() {
    assertThat(r.grantRole("postgres", "auditors", "alice", true).sql())
        .isEqualTo("GRANT auditors TO alice WITH ADMIN OPTION");
    assertThat(r.revokeRole("postgres", "auditors", "alice").sql())
        .isEqualTo("REVOKE auditors FROM alice");
    assertThat(
            r.defaultPrivileges(
                    "shop",
                    DefaultPrivilege.builder()
                        .owner("owner")
                        .schema("sales")
                        .objectType(DefaultPrivilege.ObjectType.TABLES)
                        .grantee("alice")
                        .addPrivilege(Privilege.SELECT)
                        .build(),
                    false)
                .sql())
        .isEqualTo(
            "ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA sales REVOKE SELECT "
                + "ON TABLES FROM alice");
    assertThat(r.reassignOwned("shop", "alice", "conn").sql())
        .isEqualTo("REASSIGN OWNED BY alice TO conn");
    assertThat(r.dropOwned("shop", "alice").sql()).isEqualTo("DROP OWNED BY alice");
    assertThat(r.terminateSessions("postgres", "o'brien").sql()).contains("r.rolname = 'o''brien'");
    assertThat(r.commentOnRole("postgres", "alice", "{\"a\":\"\\\\\"}").sql())
        .isEqualTo("COMMENT ON ROLE alice IS E'{\"a\":\"\\\\\\\\\"}'");
  }

  @Test
  void batchStatementsQuoteEveryNameAndLiteral() {
    List<String> users = List.of("alice", "o'brien", "Bob \"B\"");
    assertThat(r.dropRoles("postgres", users).sql())
        .isEqualTo("DROP ROLE IF EXISTS alice, \"o'brien\", \"Bob \"\"B\"\"\"");
    assertThat(r.revokeRole("postgres", "gs_b_x", users).sql())
        .isEqualTo("REVOKE gs_b_x FROM alice, \"o'brien\", \"Bob \"\"B\"\"\"");
    assertThat(r.disableLogin("postgres", "o'brien", Instant.parse("2026-11-25T10:00:00Z")).sql())
        .isEqualTo(
            "ALTER ROLE \"o'brien\" WITH NOLOGIN VALID UNTIL '2026-11-25 10:00:00.000000+00'");
    assertThat(r.terminateSessions("postgres", users).sql())
        .contains("r.rolname IN ('alice', 'o''brien', 'Bob \"B\"')");
    java.util.Map<String, String> comments = new java.util.LinkedHashMap<>();
    comments.put("o'brien", "{\"a\":\"$grantsmith$ 'x\"}");
    comments.put("carol", null);
    String guard = Renderer.guardComments("postgres", comments).sql();
    // The dollar quote cannot be ended by a literal; the literals are quoted.
    assertThat(guard)
        .startsWith("DO $grantsmith0$")
        .endsWith("$grantsmith0$")
        .contains("('o''brien', '{\"a\":\"$grantsmith$ ''x\"}'::text), ('carol', NULL::text)")
        .contains("USING ERRCODE = '" + Renderer.CONFLICT_SQLSTATE + "'");
    assertThatThrownBy(() -> r.dropRoles("postgres", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quotingFollowsTheServerVersionsKeywords() {
    assertThat(Sql.ident("json", 15)).isEqualTo("json");
    assertThat(Sql.ident("json", 17)).isEqualTo("\"json\"");
    assertThat(Sql.ident("json")).isEqualTo("\"json\"");
    assertThat(Sql.ident("user")).isEqualTo("\"user\"");
    assertThat(Sql.ident("_ok9")).isEqualTo("_ok9");
    assertThat(Sql.ident("9no")).isEqualTo("\"9no\"");
    assertThat(Sql.ident("a$b")).isEqualTo("\"a$b\"");
    assertThat(Sql.literal("it's")).isEqualTo("'it''s'");
    assertThat(Sql.literal("a\\b")).isEqualTo("E'a\\\\b'");
  }
}
