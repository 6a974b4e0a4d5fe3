package io.grantsmith.api;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;
import org.immutables.value.Value;

/**
 * When an {@link AccessFlow} applies: on some days of the week, between two times of day, in a time
 * zone. The window holds from {@link #start()} (inclusive) to {@link #end()} (exclusive); when
 * {@code end} is before {@code start} the window runs overnight and belongs to the day it starts on
 * ({@code FRIDAY 22:00-02:00} holds until Saturday 02:00).
 *
 * <pre>{@code
 * TimeWindow office = TimeWindow.builder()
 *     .addDays(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
 *              DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)
 *     .start(LocalTime.of(8, 0)).end(LocalTime.of(18, 0))
 *     .zone(ZoneId.of("Europe/Berlin"))
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class TimeWindow {
  TimeWindow() {}

  /** Builds a {@link TimeWindow}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a window
     * @return this builder
     */
    Builder from(TimeWindow instance);

    /**
     * Adds a day.
     *
     * @param day a day of the week
     * @return this builder
     */
    Builder addDay(DayOfWeek day);

    /**
     * Adds days.
     *
     * @param days days of the week
     * @return this builder
     */
    Builder addDays(DayOfWeek... days);

    /**
     * Adds days.
     *
     * @param days days of the week
     * @return this builder
     */
    Builder addAllDays(Iterable<DayOfWeek> days);

    /**
     * Sets the start time.
     *
     * @param start inclusive
     * @return this builder
     */
    Builder start(LocalTime start);

    /**
     * Sets the end time.
     *
     * @param end exclusive; before {@code start} for an overnight window
     * @return this builder
     */
    Builder end(LocalTime end);

    /**
     * Sets the time zone.
     *
     * @param zone e.g. {@code Europe/Berlin}
     * @return this builder
     */
    Builder zone(ZoneId zone);

    /**
     * Builds and validates.
     *
     * @return the window
     * @throws InvalidValueException if there is no day or {@code start} equals {@code end}
     */
    TimeWindow build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableTimeWindow.builder();
  }

  /**
   * The days the window opens on.
   *
   * @return one or more days
   */
  public abstract Set<DayOfWeek> days();

  /**
   * The start, inclusive.
   *
   * @return the time of day
   */
  public abstract LocalTime start();

  /**
   * The end, exclusive.
   *
   * @return the time of day
   */
  public abstract LocalTime end();

  /**
   * The time zone of {@link #start()} and {@link #end()}.
   *
   * @return the zone
   */
  public abstract ZoneId zone();

  /**
   * Whether {@code instant} falls inside the window.
   *
   * @param instant a moment
   * @return true if inside
   */
  public boolean contains(Instant instant) {
    ZonedDateTime local = instant.atZone(zone());
    LocalTime t = local.toLocalTime();
    DayOfWeek day = local.getDayOfWeek();
    if (start().isBefore(end())) {
      return days().contains(day) && !t.isBefore(start()) && t.isBefore(end());
    }
    return (days().contains(day) && !t.isBefore(start()))
        || (days().contains(day.minus(1)) && t.isBefore(end()));
  }

  @Value.Check
  void check() {
    InvalidValueException.check(
        !days().isEmpty(), "TimeWindow.days", "must hold at least one day", days());
    InvalidValueException.check(
        !start().equals(end()),
        "TimeWindow.end",
        "must differ from TimeWindow.start " + start(),
        end());
  }
}
