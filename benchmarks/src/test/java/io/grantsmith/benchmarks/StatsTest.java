package io.grantsmith.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianAndPercentiles() {
    Stats s = new Stats();
    for (long v : new long[] {5, 1, 4, 2, 3}) {
      s.add(v);
    }
    assertThat(s.median()).isEqualTo(3.0);
    assertThat(s.percentile(0)).isEqualTo(1.0);
    assertThat(s.percentile(100)).isEqualTo(5.0);
    s.add(6);
    assertThat(s.median()).isEqualTo(3.5);
    assertThat(new Stats().median()).isNaN();
  }

  @Test
  void timesOnlyTheRepetitionsAfterWarmUp() throws Exception {
    int[] runs = {0};
    Stats s = Stats.time(2, 5, null, () -> runs[0]++, null);
    assertThat(runs[0]).isEqualTo(7);
    assertThat(s.count()).isEqualTo(5);
  }

  @Test
  void reportEscapesJsonAndMarkdown() {
    Report r = new Report();
    r.env("pg", 17);
    r.add("1", "a|b \"q\"", "1 ms", "2 ms", 0.5, "≤ 1.5×", true, null);
    assertThat(r.json())
        .contains("\"a|b \\\"q\\\"\"")
        .contains("\"ratio\": 0.5000")
        .contains("\"pg\": 17");
    assertThat(r.markdown()).contains("a\\|b").contains("0.50×").contains("yes");
  }
}
