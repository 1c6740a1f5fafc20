package dev.costlake.schedule;

import dev.costlake.config.CostlakeConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * When `costlake serve` runs each job (serve.*): the hourly at hourlyMinute past every UTC hour, the
 * nightly every day at nightlyTime, UTC.
 */
public record ServeSchedule(int hourlyMinute, LocalTime nightlyTime) {
  public ServeSchedule {
    if (hourlyMinute < 0 || hourlyMinute > 59) {
      throw new IllegalArgumentException("hourlyMinute must be from 0 to 59, not " + hourlyMinute);
    }
  }

  public static ServeSchedule from(CostlakeConfig config) {
    return new ServeSchedule(config.serveHourlyMinute(), config.serveNightlyTime());
  }

  /** The first hourly slot at or after t. */
  public Instant hourlyAtOrAfter(Instant t) {
    Instant slot = t.truncatedTo(ChronoUnit.HOURS).plus(hourlyMinute, ChronoUnit.MINUTES);
    return slot.isBefore(t) ? slot.plus(1, ChronoUnit.HOURS) : slot;
  }

  /** The first hourly slot strictly after t. */
  public Instant hourlyAfter(Instant t) {
    return hourlyAtOrAfter(t.plusNanos(1));
  }

  /** The first nightly slot at or after t. */
  public Instant nightlyAtOrAfter(Instant t) {
    Instant slot = LocalDate.ofInstant(t, ZoneOffset.UTC).atTime(nightlyTime).toInstant(ZoneOffset.UTC);
    return slot.isBefore(t) ? slot.plus(1, ChronoUnit.DAYS) : slot;
  }

  /** The first nightly slot strictly after t. */
  public Instant nightlyAfter(Instant t) {
    return nightlyAtOrAfter(t.plusNanos(1));
  }
}
