package io.grantsmith.postgres.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.Footprint.Held;
import io.grantsmith.postgres.azure.internal.Footprint.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements that remove what a role holds, and how items map to resources. */
class FootprintTest {
  private static final Renderer R = new Renderer(17);

  private static Held privilege(
      String type, List<String> names, List<String> args, String privilege) {
    return new Held(
        "gs_a\"b", "shop", Kind.PRIVILEGE, type, names, args, null, privilege, "admin", false);
  }

  private static String sql(Held h) {
    return Footprint.removal(R, h, "conn").sql();
  }

  @Test
  void revokesEachObjectKindWithEveryNamePartQuoted() {
    assertThat(sql(privilege("table", List.of("se cret", "keys"), List.of(), "SELECT")))
        .isEqualTo("REVOKE SELECT ON TABLE \"se cret\".keys FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("view", List.of("s", "v"), List.of(), "SELECT")))
        .isEqualTo("REVOKE SELECT ON TABLE s.v FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("table column", List.of("s", "t", "Col"), List.of(), "UPDATE")))
        .isEqualTo("REVOKE UPDATE (\"Col\") ON TABLE s.t FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("sequence", List.of("s", "q"), List.of(), "USAGE")))
        .isEqualTo("REVOKE USAGE ON SEQUENCE s.q FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("schema", List.of("s"), List.of(), "CREATE")))
        .isEqualTo("REVOKE CREATE ON SCHEMA s FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("function", List.of("s", "f"), List.of("integer", "text"), "EXECUTE")))
        .isEqualTo("REVOKE EXECUTE ON ROUTINE s.f(integer, text) FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("database", List.of("shop"), List.of(), "CONNECT")))
        .isEqualTo("REVOKE CONNECT ON DATABASE shop FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("large object", List.of("16384"), List.of(), "SELECT")))
        .isEqualTo("REVOKE SELECT ON LARGE OBJECT 16384 FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("foreign-data wrapper", List.of("w"), List.of(), "USAGE")))
        .isEqualTo("REVOKE USAGE ON FOREIGN DATA WRAPPER w FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("server", List.of("srv"), List.of(), "USAGE")))
        .isEqualTo("REVOKE USAGE ON FOREIGN SERVER srv FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("language", List.of("plpgsql"), List.of(), "USAGE")))
        .isEqualTo("REVOKE USAGE ON LANGUAGE plpgsql FROM \"gs_a\"\"b\" CASCADE");
    assertThat(sql(privilege("type", List.of("s.\"My Type\""), List.of(), "USAGE")))
        .isEqualTo("REVOKE USAGE ON TYPE s.\"My Type\" FROM \"gs_a\"\"b\" CASCADE");
  }

  @Test
  void defaultPrivilegesAreRevokedForTheirOwner() {
    assertThat(sql(privilege("default acl", List.of("admin", "s"), List.of("r"), "SELECT")))
        .isEqualTo(
            "ALTER DEFAULT PRIVILEGES FOR ROLE admin IN SCHEMA s REVOKE SELECT ON TABLES"
                + " FROM \"gs_a\"\"b\"");
    assertThat(sql(privilege("default acl", List.of("admin"), List.of("f"), "EXECUTE")))
        .isEqualTo(
            "ALTER DEFAULT PRIVILEGES FOR ROLE admin REVOKE EXECUTE ON FUNCTIONS"
                + " FROM \"gs_a\"\"b\"");
    assertThat(privilege("default acl", List.of("admin", "s"), List.of("S"), "USAGE").object())
        .isEqualTo("default privileges of admin on new sequences in schema s");
  }

  @Test
  void membershipsOwnershipAndPoliciesHaveTheirOwnRemoval() {
    Held member =
        new Held(
            "u",
            "postgres",
            Kind.MEMBERSHIP,
            "role",
            List.of("team"),
            List.of(),
            null,
            null,
            "admin",
            false);
    assertThat(sql(member)).isEqualTo("REVOKE team FROM u");
    assertThat(member.object()).isEqualTo("role team");
    assertThat(member.what()).isEqualTo("member");
    Held owner =
        new Held(
            "u", "shop", Kind.OWNER, "table", List.of("s", "t"), List.of(), null, null, null, true);
    assertThat(sql(owner)).isEqualTo("REASSIGN OWNED BY u TO conn");
    assertThat(owner.what()).isEqualTo("owner");
    Held policy =
        new Held(
            "u",
            "shop",
            Kind.POLICY,
            "policy",
            List.of("s", "t", "p"),
            List.of(),
            null,
            null,
            null,
            true);
    assertThat(sql(policy)).isEqualTo("DROP OWNED BY u");
  }

  @Test
  void refusesWhatItCannotName() {
    assertThatThrownBy(() -> sql(privilege("table", List.of("s", "t"), List.of(), "SELECT; DROP")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sql(privilege("event trigger", List.of("e"), List.of(), "USAGE")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void mapsGrantablePrivilegesToResources() {
    assertThat(privilege("table", List.of("s", "t"), List.of(), "SELECT").resource())
        .contains(ResourceRef.relation("shop", "s", "t"));
    assertThat(privilege("materialized view", List.of("s", "m"), List.of(), "SELECT").resource())
        .contains(ResourceRef.relation("shop", "s", "m"));
    assertThat(privilege("sequence", List.of("s", "q"), List.of(), "USAGE").resource())
        .contains(ResourceRef.sequence("shop", "s", "q"));
    assertThat(privilege("schema", List.of("s"), List.of(), "USAGE").resource())
        .contains(ResourceRef.schema("shop", "s"));
    assertThat(privilege("database", List.of("other"), List.of(), "CONNECT").resource())
        .contains(ResourceRef.database("other"));
    Held f =
        new Held(
            "u",
            "shop",
            Kind.PRIVILEGE,
            "function",
            List.of("s", "f"),
            List.of("integer"),
            "x integer",
            "EXECUTE",
            "admin",
            false);
    assertThat(f.resource()).contains(ResourceRef.function("shop", "s", "f", "x integer"));
    assertThat(privilege("table column", List.of("s", "t", "c"), List.of(), "SELECT").resource())
        .isEmpty();
    assertThat(privilege("table", List.of("s", "t"), List.of(), "SELECT").grantsmithPrivilege())
        .contains(Privilege.SELECT);
    assertThat(
            privilege("parameter ACL", List.of("work_mem"), List.of(), "ALTER SYSTEM")
                .grantsmithPrivilege())
        .isEmpty();
  }
}
