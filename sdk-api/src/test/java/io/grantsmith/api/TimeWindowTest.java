package io.grantsmith.api;

import static io.grantsmith.api.InvalidValueAssertions.assertRejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeWindowTest {
  static TimeWindow.Builder window(int from, int to) {
    return TimeWindow.builder()
        .addDay(DayOfWeek.FRIDAY)
        .start(LocalTime.of(from, 0))
        .end(LocalTime.of(to, 0))
        .zone(ZoneId.of("America/New_York"));
  }

  @ParameterizedTest
  @CsvSource({
    // 2026-03-06 is a Friday; New York is UTC-5 then.
    "2026-03-06T13:00:00Z, true",
    "2026-03-06T12:59:59Z, false",
    "2026-03-06T21:59:59Z, true",
    "2026-03-06T22:00:00Z, false",
    "2026-03-07T14:00:00Z, false",
  })
  void aDaytimeWindowHoldsFromItsStartUntilBeforeItsEnd(Instant at, boolean inside) {
    assertThat(window(8, 17).build().contains(at)).isEqualTo(inside);
  }

  @ParameterizedTest
  @CsvSource({
    "2026-03-07T03:00:00Z, true", // Friday 22:00
    "2026-03-07T06:59:00Z, true", // Saturday 01:59, the night that started on Friday
    "2026-03-07T07:00:00Z, false", // Saturday 02:00
    "2026-03-06T06:00:00Z, false", // Friday 01:00, the night that started on Thursday
    "2026-03-08T03:00:00Z, false", // Saturday 22:00
  })
  void anOvernightWindowBelongsToTheDayItStarts(Instant at, boolean inside) {
    assertThat(window(22, 2).build().contains(at)).isEqualTo(inside);
  }

  @Test
  void aWindowNeedsADayAndTwoDifferentTimes() {
    assertRejects(
        () ->
            TimeWindow.builder()
                .start(LocalTime.NOON)
                .end(LocalTime.MIDNIGHT)
                .zone(ZoneId.of("UTC"))
                .build(),
        "TimeWindow.days",
        java.util.Set.of());
    assertRejects(() -> window(9, 9).build(), "TimeWindow.end", LocalTime.of(9, 0));
  }
}
