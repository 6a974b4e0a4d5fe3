package io.grantsmith.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

  @Test
  void plainLowerCaseNamesStayBare() {
    assertThat(Identifiers.quote("orders")).isEqualTo("orders");
    assertThat(Identifiers.quote("_t1")).isEqualTo("_t1");
    assertThat(Identifiers.quote("user_name")).isEqualTo("user_name");
  }

  @Test
  void namesThatNeedItAreQuotedWithDoubledQuotes() {
    assertThat(Identifiers.quote("Orders")).isEqualTo("\"Orders\"");
    assertThat(Identifiers.quote("1abc")).isEqualTo("\"1abc\"");
    assertThat(Identifiers.quote("a b")).isEqualTo("\"a b\"");
    assertThat(Identifiers.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Identifiers.quote("é")).isEqualTo("\"é\"");
    assertThat(Identifiers.quote("semi;colon")).isEqualTo("\"semi;colon\"");
  }

  @Test
  void keywordsThatAreNotUnreservedAreQuoted() {
    assertThat(Identifiers.quote("select")).isEqualTo("\"select\"");
    assertThat(Identifiers.quote("user")).isEqualTo("\"user\"");
    assertThat(Identifiers.quote("integer")).isEqualTo("\"integer\"");
    assertThat(Identifiers.quote("left")).isEqualTo("\"left\"");
    // unreserved keywords stay bare, as quote_ident leaves them
    assertThat(Identifiers.quote("schema")).isEqualTo("schema");
    assertThat(Identifiers.quote("role")).isEqualTo("role");
  }

  @Test
  void emptyOrNulNamesAreRejected() {
    assertThatThrownBy(() -> Identifiers.quote("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Identifiers.quote("a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void literalsDoubleSingleQuotes() {
    assertThat(Identifiers.literal("it's")).isEqualTo("'it''s'");
    assertThat(Identifiers.literal("back\\slash")).isEqualTo("'back\\slash'");
  }

  @Test
  void qualifiedNamesAreParsedAsPostgresReadsThem() {
    assertThat(Identifiers.parseQualified("app.orders")).containsExactly("app", "orders");
    assertThat(Identifiers.parseQualified("App.Orders")).containsExactly("app", "orders");
    assertThat(Identifiers.parseQualified("\"My Schema\".\"T.1\""))
        .containsExactly("My Schema", "T.1");
    assertThat(Identifiers.parseQualified("\"a\"\"b\" . c")).containsExactly("a\"b", "c");
    assertThat(Identifiers.parseQualified("Ünï.t")).containsExactly("Ünï", "t");
    assertThat(Identifiers.parseQualified("orders")).containsExactly("orders");
  }

  @Test
  void malformedQualifiedNamesAreRejected() {
    for (String bad :
        new String[] {
          "", "a.", ".a", "\"unterminated", "a;b.c", "a.b c", "1a.b", "\"\".x", "a.b(1)"
        }) {
      assertThatThrownBy(() -> Identifiers.parseQualified(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Identifiers.schemaAndName("a.b.c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Identifiers.schemaAndName("orders"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quotedNamesParseBackToThemselves() {
    for (String name :
        new String[] {"orders", "Orders", "a.b", "say \"hi\"", " x ", "select", "日本"}) {
      assertThat(Identifiers.parseQualified(Identifiers.qualified(name, name)))
          .containsExactly(name, name);
    }
  }
}
