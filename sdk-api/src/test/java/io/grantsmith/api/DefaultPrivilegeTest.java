package io.grantsmith.api;

import static io.grantsmith.api.Fixtures.repeat;
import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.DefaultPrivilege.ObjectType;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultPrivilegeTest {

  private static DefaultPrivilege.Builder tables() {
    return DefaultPrivilege.builder()
        .owner("app_owner")
        .schema("sales")
        .objectType(ObjectType.TABLES)
        .grantee("readers")
        .addPrivilege(Privilege.SELECT);
  }

  @Test
  void defaultPrivilegeKeepsItsParts() {
    DefaultPrivilege d = tables().build();

    assertThat(d.owner()).isEqualTo("app_owner");
    assertThat(d.schema()).hasValue("sales");
    assertThat(d.objectType()).isEqualTo(ObjectType.TABLES);
    assertThat(d.privileges()).containsExactly(Privilege.SELECT);
    assertThat(d.withGrantOption()).isFalse();
    assertThat(
            DefaultPrivilege.builder()
                .owner("app_owner")
                .objectType(ObjectType.FUNCTIONS)
                .grantee("readers")
                .addPrivilege(Privilege.EXECUTE)
                .build()
                .schema())
        .isEmpty();
  }

  @Test
  void ownerGranteeAndSchemaMustBeValidIdentifiers() {
    String tooLong = repeat('o', 64);
    assertRejects(() -> tables().owner(tooLong).build(), "DefaultPrivilege.owner", tooLong);
    assertRejects(() -> tables().grantee("").build(), "DefaultPrivilege.grantee", "");
    assertRejects(() -> tables().schema("s\0").build(), "DefaultPrivilege.schema", "s\0");
  }

  @Test
  void emptyPrivilegesAreRejected() {
    assertRejects(
        () ->
            DefaultPrivilege.builder()
                .owner("app_owner")
                .objectType(ObjectType.TABLES)
                .grantee("readers")
                .build(),
        "DefaultPrivilege.privileges",
        Set.of());
  }
}
