package dev.costlake.anomaly;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Which earlier periods a period is compared with: the calendar rules of the anomaly baselines, kept
 * pure so they are tested by hand.
 *
 * <ul>
 *   <li>An hour, when the lakehouse holds at least {@code minBaselinePeriods} weeks before it: the
 *       same hour of the week over the previous {@code hourBaselineWeeks} weeks (Tuesday 14:00 is
 *       compared with Tuesdays 14:00, because traffic has a daily and weekly shape). The trailing
 *       hours are carried too, not as comparisons but to tell a scope that spent yesterday from one
 *       that never spent before.
 *   <li>An hour with fewer weeks of history: the same hour of the previous 14 days of its kind
 *       (weekdays with weekdays, weekends with weekends), when there are {@code minBaselinePeriods}
 *       of them; the trailing hours are then only recent.
 *   <li>An hour with less history still: the trailing {@code trailingHours} hours.
 *   <li>A day: the previous {@code dayBaselineDays} days of the same kind (weekdays with weekdays,
 *       weekends with weekends); the days of the other kind are carried as recent, not comparable.
 * </ul>
 * Periods before the lakehouse's first event are never used: there, no spend means no data, not zero.
 */
public final class BaselinePlan {
  public static final String SAME_HOUR_OF_WEEK = "same_hour_of_week";
  public static final String SAME_HOUR_OF_DAY = "same_hour_of_day";
  public static final String TRAILING_HOURS = "trailing_hours";
  public static final String SAME_DAY_TYPE = "same_day_type";

  private BaselinePlan() {}

  /** One period to judge and the periods it is compared with (comparable) or only looks back on (recent). */
  public record Target(Instant periodStart, String method, List<Instant> comparable, List<Instant> recent) {}

  public static Target plan(Grain grain, Instant periodStart, Instant historyStart, AnomalySettings settings) {
    if (!grain.periodOf(periodStart).equals(periodStart)) {
      throw new IllegalArgumentException(periodStart + " is not the start of a UTC " + grain.label());
    }
    List<Instant> comparable = new ArrayList<>();
    List<Instant> recent = new ArrayList<>();
    if (grain == Grain.HOUR) {
      Duration week = Duration.ofDays(7);
      boolean enoughWeeks = !periodStart.minus(week.multipliedBy(settings.minBaselinePeriods())).isBefore(historyStart);
      for (int k = 1; k <= settings.trailingHours(); k++) {
        Instant hour = periodStart.minus(Duration.ofHours(k));
        if (!hour.isBefore(historyStart)) {
          (enoughWeeks ? recent : comparable).add(hour);
        }
      }
      if (!enoughWeeks) {
        // Fewer weeks than needed: the same hour of the previous days of the same kind (weekday or
        // weekend), which keeps the daily shape, when there are enough of them; else the trailing hours.
        List<Instant> sameHour = new ArrayList<>();
        boolean weekend = isWeekend(Grain.DAY.periodOf(periodStart));
        for (int k = 1; k <= 14; k++) {
          Instant hour = periodStart.minus(Duration.ofDays(k));
          if (!hour.isBefore(historyStart) && isWeekend(Grain.DAY.periodOf(hour)) == weekend) {
            sameHour.add(hour);
          }
        }
        if (sameHour.size() >= settings.minBaselinePeriods()) {
          return new Target(periodStart, SAME_HOUR_OF_DAY, sameHour, comparable);
        }
        return new Target(periodStart, TRAILING_HOURS, comparable, recent);
      }
      for (int k = 1; k <= settings.hourBaselineWeeks(); k++) {
        Instant hour = periodStart.minus(week.multipliedBy(k));
        if (!hour.isBefore(historyStart)) {
          comparable.add(hour);
        }
      }
      return new Target(periodStart, SAME_HOUR_OF_WEEK, comparable, recent);
    }
    boolean weekend = isWeekend(periodStart);
    for (int k = 1; k <= settings.dayBaselineDays(); k++) {
      Instant day = periodStart.minus(Duration.ofDays(k));
      if (!day.isBefore(historyStart)) {
        (isWeekend(day) == weekend ? comparable : recent).add(day);
      }
    }
    return new Target(periodStart, SAME_DAY_TYPE, comparable, recent);
  }

  static boolean isWeekend(Instant dayStart) {
    DayOfWeek day = dayStart.atZone(ZoneOffset.UTC).getDayOfWeek();
    return day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
  }
}
