package dev.costlake.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One scope's daily spend (the all-up total, or one tenant, feature or model): exact USD by date in
 * the reporting time zone. A date with no entry had no spend.
 */
public record ScopeSeries(String scopeType, String scopeValue, NavigableMap<LocalDate, BigDecimal> costUsdByDate) {
  public static final String TOTAL = "total";
  public static final String TENANT = "tenant";
  public static final String FEATURE = "feature";
  public static final String MODEL = "model";
  /** scope_value of the total scope: it has no dimension value of its own. */
  public static final String ALL = "all";

  public ScopeSeries {
    costUsdByDate = Collections.unmodifiableNavigableMap(new TreeMap<>(costUsdByDate));
  }

  /** The exact spend of the dates from..to (inclusive); zero when none had spend. */
  public BigDecimal spendUsd(LocalDate from, LocalDate to) {
    BigDecimal sum = BigDecimal.ZERO;
    if (to.isBefore(from)) {
      return sum;
    }
    for (BigDecimal cost : costUsdByDate.subMap(from, true, to, true).values()) {
      sum = sum.add(cost);
    }
    return sum;
  }

  /** True when the scope has an entry from..to (inclusive). */
  public boolean hasSpendBetween(LocalDate from, LocalDate to) {
    return !to.isBefore(from) && !costUsdByDate.subMap(from, true, to, true).isEmpty();
  }

  /**
   * The dense daily series from the scope's first entry (or from, if that is later) to the day before
   * until: the days inside the scope's life with no entry are zeros. Empty before its first entry.
   */
  public double[] dense(LocalDate from, LocalDate until) {
    LocalDate first = costUsdByDate.isEmpty() ? null : costUsdByDate.firstKey();
    if (first == null || !first.isBefore(until)) {
      return new double[0];
    }
    LocalDate start = first.isAfter(from) ? first : from;
    int days = (int) java.time.temporal.ChronoUnit.DAYS.between(start, until);
    double[] values = new double[Math.max(0, days)];
    for (var entry : costUsdByDate.subMap(start, true, until, false).entrySet()) {
      values[(int) java.time.temporal.ChronoUnit.DAYS.between(start, entry.getKey())] = entry.getValue().doubleValue();
    }
    return values;
  }
}
