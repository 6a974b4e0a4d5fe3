package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementTest {
  private static final String SQL = "ALTER ROLE \"gs_alice\" PASSWORD 'hunter2-s3cret'";
  private static final String REDACTED = "ALTER ROLE \"gs_alice\" PASSWORD '****'";

  @Test
  void statementWithoutSecretsIsItsOwnRedactedForm() {
    Statement s = Statement.of("orders", "GRANT SELECT ON sales.invoices TO alice", "grant");

    assertThat(s.redacted()).isEqualTo(s.sql());
    assertThat(s.description()).isEqualTo("grant");
    assertThat(s)
        .hasToString("Statement{database=orders, sql=GRANT SELECT ON sales.invoices TO alice}");
    assertThat(Statement.builder().database("orders").sql("SELECT 1").build().description())
        .isEmpty();
  }

  @Test
  void toStringShowsOnlyTheRedactedFormNeverTheSqlWithAPassword() {
    Statement s =
        Statement.builder()
            .database("orders")
            .sql(SQL)
            .redacted(REDACTED)
            .description("set password")
            .build();

    assertThat(s.sql()).isEqualTo(SQL);
    assertThat(s.toString()).contains(REDACTED).doesNotContain("hunter2");
  }

  @Test
  void blankSqlIsRejected() {
    assertRejects(() -> Statement.of("orders", " \n", "nothing"), "Statement.sql", " \n");
  }

  @Test
  void blankSqlMessageShowsTheRedactedFormOnly() {
    assertRejects(
        () -> Statement.builder().database("orders").sql("").redacted("<redacted>").build(),
        "Statement.sql",
        "<redacted>");
  }

  @Test
  void databaseMustBeAValidIdentifier() {
    assertRejects(() -> Statement.of("", "SELECT 1", ""), "Statement.database", "");
  }

  @Test
  void statementsWithDifferentSqlAreNotEqualEvenWhenTheRedactedFormsAre() {
    Statement a = Statement.builder().database("orders").sql(SQL).redacted(REDACTED).build();
    Statement b =
        Statement.builder()
            .database("orders")
            .sql(SQL.replace("hunter2", "other"))
            .redacted(REDACTED)
            .build();

    assertThat(a).isNotEqualTo(b).isEqualTo(Statement.builder().from(a).build());
  }
}
