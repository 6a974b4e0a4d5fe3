package io.grantsmith.postgres.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.Privilege;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AclTextTest {

  private static List<String> items(String acl) {
    List<String> out = new ArrayList<>();
    AclText.parse(
        acl,
        (grantee, privileges, grantable) ->
            out.add(grantee + " " + set(privileges) + " " + set(grantable)));
    return out;
  }

  private static Set<Privilege> set(int bits) {
    Set<Privilege> out = EnumSet.noneOf(Privilege.class);
    for (Privilege p : Privilege.values()) {
      if ((bits & (1 << p.ordinal())) != 0) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void readsBareAndQuotedNamesPublicAndGrantOptions() {
    assertThat(
            items(
                "owner=arwdDxtm/owner,=r/owner,"
                    + "\"a=b/c,\"\"d\"\"\"=r*w/\"x,y\",reader=r/owner"))
        .containsExactly(
            "owner [SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, MAINTAIN] []",
            " [SELECT] []",
            "a=b/c,\"d\" [SELECT, UPDATE] [SELECT]",
            "reader [SELECT] []");
  }

  @Test
  void readsEveryPrivilegeLetterAndSkipsTheOnesOfParameters() {
    assertThat(items("u=UCTcXsA*/g"))
        .containsExactly("u [CONNECT, CREATE, TEMPORARY, USAGE, EXECUTE] []");
    assertThat(items("")).isEmpty();
    assertThat(items("\"new\nline \u65e5\"=U*/\"\"\"\""))
        .containsExactly("new\nline \u65e5 [USAGE] [USAGE]");
  }

  @Test
  void refusesMalformedTextNamingOnlyThePosition() {
    assertThatThrownBy(() -> items("owner"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unexpected ACL text at index 5 of 5");
    assertThatThrownBy(() -> items("\"open=r/x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> items("a=r/b;c=r/d")).isInstanceOf(IllegalArgumentException.class);
  }
}
