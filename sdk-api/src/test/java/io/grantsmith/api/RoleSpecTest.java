package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.T0;
import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoleSpecTest {

  private static RoleSpec.Builder alice() {
    return RoleSpec.builder().name("gs_alice_3f9a");
  }

  @Test
  void roleSpecHasTheDocumentedDefaults() {
    RoleSpec r = alice().build();

    assertThat(r.login()).isFalse();
    assertThat(r.inherit()).isTrue();
    assertThat(r.connectionLimit()).isEqualTo(-1);
    assertThat(r.validUntil()).isEmpty();
    assertThat(r.comment()).isEmpty();
    assertThat(r.password()).isEmpty();
    assertThat(r.memberOf()).isEmpty();
  }

  @Test
  void everyAttributeCanBeSet() {
    RoleSpec r =
        alice()
            .login(true)
            .inherit(false)
            .validUntil(T0)
            .connectionLimit(3)
            .comment("grantsmith: REQ-1042")
            .password(Secret.of("hunter2"))
            .addMemberOf("grantsmith_managed")
            .addMemberOf("readers", "writers")
            .build();

    assertThat(r.login()).isTrue();
    assertThat(r.inherit()).isFalse();
    assertThat(r.validUntil()).hasValue(T0);
    assertThat(r.connectionLimit()).isEqualTo(3);
    assertThat(r.comment()).hasValue("grantsmith: REQ-1042");
    assertThat(r.password()).hasValue(Secret.of("hunter2"));
    assertThat(r.memberOf()).containsExactly("grantsmith_managed", "readers", "writers");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pg_monitor",
        "azure_pg_admin",
        "public",
        "current_user",
        "current_role",
        "session_user",
        "none",
        "replication",
        "azuresu",
        "PUBLIC"
      })
  void reservedNameIsRejected(String name) {
    assertRejects(() -> RoleSpec.builder().name(name).build(), "RoleSpec.name", name)
        .hasMessageContaining("reserved role name");
  }

  @Test
  void invalidNameIsRejected() {
    String tooLong = repeat('n', 64);
    assertRejects(() -> RoleSpec.builder().name(tooLong).build(), "RoleSpec.name", tooLong);
    assertRejects(() -> RoleSpec.builder().name("").build(), "RoleSpec.name", "");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 1, 100, Integer.MAX_VALUE})
  void connectionLimitOfMinusOneOrMoreIsAccepted(int limit) {
    assertThat(alice().connectionLimit(limit).build().connectionLimit()).isEqualTo(limit);
  }

  @ParameterizedTest
  @ValueSource(ints = {-2, -100, Integer.MIN_VALUE})
  void connectionLimitBelowMinusOneIsRejected(int limit) {
    assertRejects(() -> alice().connectionLimit(limit).build(), "RoleSpec.connectionLimit", limit)
        .hasMessageContaining("must be -1 (no limit) or more");
  }

  @Test
  void commentWithNulIsRejected() {
    assertRejects(
        () -> alice().comment("bad\0comment").build(), "RoleSpec.comment", "bad\0comment");
  }

  @Test
  void memberOfMustHoldValidNamesOtherThanTheRoleItself() {
    assertRejects(() -> alice().addMemberOf("").build(), "RoleSpec.memberOf", "");
    assertRejects(
            () -> alice().addMemberOf("gs_alice_3f9a").build(),
            "RoleSpec.memberOf",
            "gs_alice_3f9a")
        .hasMessageContaining("must not name the role itself");
    assertThat(alice().addMemberOf("pg_read_all_data").build().memberOf())
        .containsExactly("pg_read_all_data");
  }

  @Test
  void passwordIsRedactedInToString() {
    RoleSpec r = alice().login(true).password(Secret.of("hunter2-s3cret")).build();

    assertThat(r.toString()).doesNotContain("hunter2").contains("gs_alice_3f9a");
    assertThat(r.password().orElseThrow().reveal()).isEqualTo("hunter2-s3cret");
  }
}
