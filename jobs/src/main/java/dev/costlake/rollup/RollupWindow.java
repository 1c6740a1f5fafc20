package dev.costlake.rollup;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Collection;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/** The UTC event hours a run rebuilds, and the dates and ISO weeks they fall in. */
public final class RollupWindow {
  private final NavigableSet<Instant> hours;

  private RollupWindow(Collection<Instant> hours) {
    TreeSet<Instant> set = new TreeSet<>();
    for (Instant hour : hours) {
      set.add(hour.truncatedTo(ChronoUnit.HOURS));
    }
    this.hours = Collections.unmodifiableNavigableSet(set);
  }

  public static RollupWindow ofHours(Collection<Instant> hours) {
    return new RollupWindow(hours);
  }

  /** Every hour of every date from from to to, inclusive. */
  public static RollupWindow ofDays(LocalDate from, LocalDate to) {
    TreeSet<Instant> all = new TreeSet<>();
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      Instant start = date.atStartOfDay(ZoneOffset.UTC).toInstant();
      for (int h = 0; h < 24; h++) {
        all.add(start.plus(h, ChronoUnit.HOURS));
      }
    }
    return new RollupWindow(all);
  }

  public RollupWindow plus(RollupWindow other) {
    TreeSet<Instant> all = new TreeSet<>(hours);
    all.addAll(other.hours);
    return new RollupWindow(all);
  }

  public boolean isEmpty() {
    return hours.isEmpty();
  }

  public NavigableSet<Instant> hours() {
    return hours;
  }

  public NavigableSet<LocalDate> dates() {
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (Instant hour : hours) {
      dates.add(LocalDate.ofInstant(hour, ZoneOffset.UTC));
    }
    return dates;
  }

  /**
   * The Mondays of the ISO weeks whose top cost drivers depend on the window: the weeks it touches
   * and the week after each (its change vs the previous week), up to the week of asOf.
   */
  public NavigableSet<LocalDate> driverWeeks(LocalDate asOf) {
    LocalDate lastWeek = monday(asOf);
    TreeSet<LocalDate> weeks = new TreeSet<>();
    for (LocalDate date : dates()) {
      LocalDate week = monday(date);
      weeks.add(week);
      if (!week.plusWeeks(1).isAfter(lastWeek)) {
        weeks.add(week.plusWeeks(1));
      }
    }
    return weeks;
  }

  static LocalDate monday(LocalDate date) {
    return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  @Override
  public String toString() {
    if (hours.isEmpty()) {
      return "no hours";
    }
    return hours.size() + " hours on " + dates().size() + " days, " + dates().first() + " to " + dates().last();
  }
}
