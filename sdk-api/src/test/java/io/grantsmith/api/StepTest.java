package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepTest {

  @Test
  void stepKeepsItsStatementsInOrder() {
    Statement first = Statement.of("orders", "SELECT 1", "one");
    Statement second = Statement.of("orders", "SELECT 2", "two");
    Step step =
        Step.builder()
            .database("orders")
            .description("both")
            .addStatement(first)
            .addAllStatements(List.of(second))
            .build();

    assertThat(step.statements()).containsExactly(first, second);
    assertThat(step.autocommit()).isFalse();
  }

  @Test
  void stepWithoutStatementsIsRejected() {
    assertRejects(
            () -> Step.builder().database("orders").description("nothing").build(),
            "Step.statements",
            "nothing")
        .hasMessageContaining("must hold at least one statement");
  }

  @Test
  void stepMixingDatabasesIsRejected() {
    assertRejects(
            () ->
                Step.builder()
                    .database("orders")
                    .description("mixed")
                    .addStatement(Statement.of("orders", "SELECT 1", ""))
                    .addStatement(Statement.of("billing", "SELECT 2", ""))
                    .build(),
            "Step.statements",
            "billing")
        .hasMessageContaining("must all run in the step's database orders");
  }

  @Test
  void databaseMustBeAValidIdentifier() {
    assertRejects(
        () ->
            Step.builder()
                .database("")
                .description("x")
                .addStatement(Statement.of("orders", "SELECT 1", ""))
                .build(),
        "Step.database",
        "");
  }
}
