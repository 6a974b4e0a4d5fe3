package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.Fixtures.request;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntraPrincipalTest {
  private static final String OID = "3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f";

  @Test
  void aPrincipalKeepsItsPartsAndARequestCarriesIt() {
    EntraPrincipal p =
        EntraPrincipal.builder()
            .type(EntraPrincipal.Type.GROUP)
            .roleName("Data Team – Zürich")
            .objectId(OID.toUpperCase())
            .mfa(true)
            .build();
    assertThat(p.type().label()).isEqualTo("group");
    assertThat(p.objectId()).isEqualTo(OID.toUpperCase());
    assertThat(p.mfa()).isTrue();
    assertThat(EntraPrincipal.of(EntraPrincipal.Type.USER, "alice@contoso.com", OID).mfa())
        .isFalse();
    assertThat(EntraPrincipal.TOKEN_SCOPE)
        .isEqualTo("https://ossrdbms-aad.database.windows.net/.default");

    AccessRequest r = request().grantee("Data Team – Zürich").entraPrincipal(p).build();
    assertThat(r.entraPrincipal()).hasValue(p);
    assertThat(request().build().entraPrincipal()).isEmpty();
  }

  @Test
  void typesParseFromAzuresLabelsInAnyCase() {
    assertThat(EntraPrincipal.Type.parse("user")).isEqualTo(EntraPrincipal.Type.USER);
    assertThat(EntraPrincipal.Type.parse("GROUP")).isEqualTo(EntraPrincipal.Type.GROUP);
    assertThat(EntraPrincipal.Type.parse("Service")).isEqualTo(EntraPrincipal.Type.SERVICE);
    for (String bad : new String[] {"robot", "", "users", "managed-identity"}) {
      assertRejects(() -> EntraPrincipal.Type.parse(bad), "EntraPrincipal.type", bad)
          .hasMessageContaining("must be user, group or service");
    }
    assertRejects(() -> EntraPrincipal.Type.parse(null), "EntraPrincipal.type", null);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not-a-uuid",
        "3f2b8c4e1d2a4b5c9e8f0a1b2c3d4e5f",
        "3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5",
        "3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5g",
        " 3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f",
        "{3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f}",
        ""
      })
  void anObjectIdThatIsNotAUuidIsRefused(String bad) {
    assertRejects(
            () -> EntraPrincipal.of(EntraPrincipal.Type.USER, "alice@contoso.com", bad),
            "EntraPrincipal.objectId",
            bad)
        .hasMessageContaining("must be a UUID");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alice\u0000@contoso.com",
        "alice\n@contoso.com",
        "alice\t",
        "team\u007f",
        "team\u0085",
        "team\u2028x",
        "\ud800team",
        " alice@contoso.com",
        "alice@contoso.com\u00a0",
        "pg_team",
        "azure_pg_admin",
        "public",
        ""
      })
  void aRoleNameEntraCannotHaveIsRefused(String bad) {
    assertRejects(
        () -> EntraPrincipal.of(EntraPrincipal.Type.GROUP, bad, OID),
        "EntraPrincipal.roleName",
        bad);
  }

  @Test
  void aRoleNameOver63BytesIsRefusedCountingUtf8Bytes() {
    String ok = repeat('ü', 31) + "x"; // 63 bytes
    assertThat(EntraPrincipal.of(EntraPrincipal.Type.GROUP, ok, OID).roleName()).isEqualTo(ok);
    String tooLong = repeat('ü', 32); // 64 bytes, 32 characters
    assertRejects(
            () -> EntraPrincipal.of(EntraPrincipal.Type.GROUP, tooLong, OID),
            "EntraPrincipal.roleName",
            tooLong)
        .hasMessageContaining("at most 63 bytes of UTF-8 (is 64)");
  }

  @Test
  void aRequestsGranteeMustBeThePrincipalsRoleName() {
    EntraPrincipal p = EntraPrincipal.of(EntraPrincipal.Type.USER, "alice@contoso.com", OID);
    assertRejects(
            () -> request().grantee("alice@example.com").entraPrincipal(p).build(),
            "AccessRequest.grantee",
            "alice@example.com")
        .hasMessageContaining("alice@contoso.com");
  }
}
