package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

  private static Step step(String database, String description, String... sql) {
    Step.Builder b = Step.builder().database(database).description(description);
    for (String s : sql) {
      b.addStatement(Statement.of(database, s, ""));
    }
    return b.build();
  }

  @Test
  void emptyPlanDoesNothing() {
    Plan empty = Plan.empty();

    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.steps()).isEmpty();
    assertThat(empty.statements()).isEmpty();
    assertThat(empty.databases()).isEmpty();
    assertThat(empty.toSql()).isEmpty();
    assertThat(empty).isEqualTo(Plan.builder().build());
  }

  @Test
  void toSqlConnectsWhenTheDatabaseChangesAndCommentsEachStep() {
    Plan plan =
        Plan.builder()
            .addStep(step("orders", "create role", "CREATE ROLE \"gs_alice\""))
            .addStep(
                step(
                    "orders",
                    "grant read-only on sales",
                    "GRANT USAGE ON SCHEMA sales TO x",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA sales TO x"))
            .addStep(step("billing", "grant connect", "GRANT CONNECT ON DATABASE billing TO x"))
            .addStep(step("orders", "comment", "COMMENT ON ROLE x IS 'y'"))
            .build();

    assertThat(plan.toSql())
        .isEqualTo(
            String.join(
                "\n",
                "\\connect 'orders'",
                "-- create role",
                "CREATE ROLE \"gs_alice\";",
                "-- grant read-only on sales",
                "GRANT USAGE ON SCHEMA sales TO x;",
                "GRANT SELECT ON ALL TABLES IN SCHEMA sales TO x;",
                "\\connect 'billing'",
                "-- grant connect",
                "GRANT CONNECT ON DATABASE billing TO x;",
                "\\connect 'orders'",
                "-- comment",
                "COMMENT ON ROLE x IS 'y';",
                ""));
    assertThat(plan.databases()).containsExactly("orders", "billing");
    assertThat(plan.statements()).hasSize(5);
    assertThat(plan).hasToString("Plan{4 steps, 5 statements in [orders, billing]}");
  }

  @Test
  void toSqlAndToStringShowOnlyRedactedSql() {
    Statement setPassword =
        Statement.builder()
            .database("orders")
            .sql("ALTER ROLE x PASSWORD 'hunter2-s3cret'")
            .redacted("ALTER ROLE x PASSWORD '****'")
            .build();
    Plan plan =
        Plan.builder()
            .addStep(
                Step.builder()
                    .database("orders")
                    .description("set password")
                    .addStatement(setPassword)
                    .build())
            .build();

    assertThat(plan.toSql()).contains("ALTER ROLE x PASSWORD '****';").doesNotContain("hunter2");
    assertThat(plan.toString()).doesNotContain("hunter2");
    assertThat(plan.statements().get(0).sql()).contains("hunter2");
  }

  @Test
  void toSqlQuotesDatabaseNamesForPsql() {
    Plan plan = Plan.builder().addStep(step("it's a \\db", "x", "SELECT 1")).build();

    assertThat(plan.toSql()).startsWith("\\connect 'it\\'s a \\\\db'\n");
  }

  @Test
  void toSqlKeepsEveryMetaCommandAndCommentOnOneLine() {
    Plan plan =
        Plan.builder()
            .addStep(step("ord\ners", "grant on a\nb", "SELECT 1"))
            .addStep(step("ord\ners", "then\rDROP TABLE invoices", "SELECT 2"))
            .build();

    assertThat(plan.toSql())
        .isEqualTo(
            String.join(
                "\n",
                "\\connect 'ord\\ners'",
                "-- grant on a b",
                "SELECT 1;",
                "-- then DROP TABLE invoices",
                "SELECT 2;",
                ""));
    assertThat(plan.toSql()).doesNotContain("\r");
  }

  @Test
  void thenAppendsTheOtherPlansStepsAndLeavesBothUnchanged() {
    Plan first = Plan.builder().addStep(step("orders", "a", "SELECT 1")).build();
    Plan second =
        Plan.builder()
            .addStep(step("billing", "b", "SELECT 2"))
            .addStep(step("orders", "c", "SELECT 3"))
            .build();

    Plan both = first.then(second);

    assertThat(both.steps())
        .containsExactlyElementsOf(
            List.of(first.steps().get(0), second.steps().get(0), second.steps().get(1)));
    assertThat(both.databases()).containsExactly("orders", "billing");
    assertThat(first.steps()).hasSize(1);
    assertThat(second.steps()).hasSize(2);
    assertThat(first.then(Plan.empty())).isEqualTo(first);
    assertThat(Plan.empty().then(first)).isEqualTo(first);
  }
}
