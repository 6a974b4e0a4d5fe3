package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyResultTest {

  @Test
  void totalsAreSumsOverDatabases() {
    ApplyResult r =
        ApplyResult.builder()
            .addDatabase(
                ApplyResult.DatabaseResult.builder()
                    .database("orders")
                    .statements(5)
                    .roundTrips(2)
                    .elapsed(Duration.ofMillis(40))
                    .build())
            .addDatabase(
                ApplyResult.DatabaseResult.builder()
                    .database("billing")
                    .statements(3)
                    .roundTrips(1)
                    .attempts(2)
                    .elapsed(Duration.ofMillis(15))
                    .build())
            .build();

    assertThat(r.statements()).isEqualTo(8);
    assertThat(r.roundTrips()).isEqualTo(3);
    assertThat(r.dryRun()).isFalse();
    assertThat(r.databases().get(0).attempts()).isEqualTo(1);
    assertThat(r.databases().get(1).attempts()).isEqualTo(2);
  }

  @Test
  void emptyResultHasNoStatements() {
    ApplyResult r = ApplyResult.builder().dryRun(true).build();

    assertThat(r.databases()).isEqualTo(List.of());
    assertThat(r.statements()).isZero();
    assertThat(r.dryRun()).isTrue();
  }
}
