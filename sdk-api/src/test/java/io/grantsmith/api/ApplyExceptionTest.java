package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyExceptionTest {

  @Test
  void messageSaysWhereItFailedAndWhatIsAlreadyCommitted() {
    SQLException cause = new SQLException("permission denied for table invoices\n  Detail: x");
    ApplyException e =
        new ApplyException(
            "42501",
            "orders",
            "grant read-only",
            "GRANT SELECT ON sales.invoices TO x",
            List.of("billing"),
            cause);

    assertThat(e)
        .isInstanceOf(GrantsmithException.class)
        .hasCause(cause)
        .hasMessage(
            "Failed in database orders at step \"grant read-only\" with SQLSTATE 42501: "
                + "permission denied for table invoices; statement: GRANT SELECT ON sales.invoices"
                + " TO x; already committed: [billing]");
    assertThat(e.sqlState()).hasValue("42501");
    assertThat(e.database()).isEqualTo("orders");
    assertThat(e.step()).hasValue("grant read-only");
    assertThat(e.committedDatabases()).containsExactly("billing");
    assertThat(e.isConnectionFailure()).isFalse();
  }

  @Test
  void connectionFailuresAreSqlStateClass08() {
    ApplyException e = new ApplyException("08006", "orders", null, null, List.of(), null);

    assertThat(e.isConnectionFailure()).isTrue();
    assertThat(e)
        .hasMessage("Failed in database orders with SQLSTATE 08006; already committed: nothing");
    assertThat(e.step()).isEmpty();
    assertThat(e.statement()).isEmpty();
    assertThat(
            new ApplyException(null, "orders", null, null, List.of(), null).isConnectionFailure())
        .isFalse();
  }

  @Test
  void longStatementsAreAbbreviatedTo300Characters() {
    String sql = "SELECT " + "x".repeat(400);
    ApplyException e = new ApplyException("42000", "orders", null, sql, List.of(), null);

    assertThat(e.getMessage())
        .contains(sql.substring(0, 300) + "...")
        .doesNotContain(sql.substring(0, 301));
    assertThat(e.statement()).hasValue(sql);
  }
}
