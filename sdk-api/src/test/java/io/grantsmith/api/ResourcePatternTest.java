package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourcePatternTest {
  static final ResourceRef DB = ResourceRef.database("orders");
  static final ResourceRef SALES = ResourceRef.schema("orders", "sales");
  static final ResourceRef ITEMS = ResourceRef.relation("orders", "sales", "items");
  static final ResourceRef TOTAL = ResourceRef.function("orders", "sales", "total", "integer");
  static final ResourceRef OTHER = ResourceRef.schema("orderz", "sales");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "*                         | true  | true  | true  | true  | true",
        "orders/*                  | false | true  | true  | true  | false",
        "orders/sales/*            | false | false | true  | true  | false",
        "orders                    | true  | false | false | false | false",
        "orders/sales              | false | true  | false | false | false",
        "orders/sales/items        | false | false | true  | false | false",
        "orders/sales/total(integer) | false | false | false | true | false",
        "orders/sales/items/*      | false | false | false | false | false",
        "Orders/*                  | false | false | false | false | false",
      })
  void matchesExactlyWhatItsRulesSay(
      String pattern, boolean db, boolean sales, boolean items, boolean total, boolean other) {
    ResourcePattern p = ResourcePattern.parse(pattern);

    assertThat(p.matches(DB)).as("db").isEqualTo(db);
    assertThat(p.matches(SALES)).as("sales").isEqualTo(sales);
    assertThat(p.matches(ITEMS)).as("items").isEqualTo(items);
    assertThat(p.matches(TOTAL)).as("total").isEqualTo(total);
    assertThat(p.matches(OTHER)).as("other").isEqualTo(other);
    assertThat(p).hasToString(pattern).isEqualTo(ResourcePattern.parse(pattern));
  }

  @org.junit.jupiter.api.Test
  void theServerAndRolesHaveTheirOwnPaths() {
    assertThat(ResourcePattern.path(ResourceRef.server())).isEqualTo("server");
    assertThat(ResourcePattern.path(ResourceRef.role("auditors"))).isEqualTo("role:auditors");
    assertThat(ResourcePattern.path(ITEMS)).isEqualTo("orders/sales/items");
    assertThat(ResourcePattern.parse("server").matches(ResourceRef.server())).isTrue();
    assertThat(ResourcePattern.parse("role:auditors").matches(ResourceRef.role("auditors")))
        .isTrue();
    assertThat(ResourcePattern.parse("orders/*").matches(ResourceRef.role("auditors"))).isFalse();
    assertThat(ResourcePattern.parse("*").matches(ResourceRef.server())).isTrue();
  }

  @org.junit.jupiter.api.Test
  void moreSpecificPatternsRankHigher() {
    assertThat(ResourcePattern.parse("*").specificity())
        .isLessThan(ResourcePattern.parse("orders/*").specificity());
    assertThat(ResourcePattern.parse("orders/*").specificity())
        .isLessThan(ResourcePattern.parse("orders/sales/*").specificity());
    assertThat(ResourcePattern.parse("orders/sales/*").specificity())
        .isLessThan(ResourcePattern.parse("orders").specificity());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        " orders",
        "orders//sales",
        "orders/",
        "/orders",
        "ord*",
        "*/sales",
        "a/b/c/d",
        "orders/**"
      })
  void badPatternsAreRefusedNamingTheField(String pattern) {
    assertRejects(
        () -> ResourcePattern.parse("AccessFlow.resources", pattern),
        "AccessFlow.resources",
        pattern);
  }

  @org.junit.jupiter.api.Test
  void aBackslashEscapesSlashesStarsAndTheServerAndRolePrefixes() {
    assertThat(ResourcePattern.parse("a\\/b/*").matches(ResourceRef.schema("a/b", "s"))).isTrue();
    assertThat(ResourcePattern.parse("a\\/b/*").matches(ResourceRef.schema("a", "b"))).isFalse();
    assertThat(ResourcePattern.parse("\\server").matches(ResourceRef.database("server"))).isTrue();
    assertThat(ResourcePattern.parse("server").matches(ResourceRef.database("server"))).isFalse();
    assertThat(ResourcePattern.parse("role\\:x").matches(ResourceRef.database("role:x"))).isTrue();
    assertThat(ResourcePattern.parse("role:x").matches(ResourceRef.database("role:x"))).isFalse();
    assertThat(ResourcePattern.parse("orders/\\*").matches(ResourceRef.schema("orders", "*")))
        .isTrue();
    assertThat(ResourcePattern.parse("orders/\\*").matches(ResourceRef.schema("orders", "x")))
        .isFalse();
    assertThat(ResourcePattern.path(ResourceRef.relation("a/b", "*", "c\\d")))
        .isEqualTo("a\\/b/\\*/c\\\\d");
  }
}
