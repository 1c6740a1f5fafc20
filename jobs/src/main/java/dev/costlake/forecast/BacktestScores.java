package dev.costlake.forecast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays the forecasts of past run dates against the month totals that followed: pure functions,
 * no Spark. ForecastBacktest feeds it the lakehouse's daily series; ForecastAccuracyTest feeds it
 * synthetic ones, so the method is tuned on the code path the command runs.
 */
public final class BacktestScores {
  public static final String OURS = "ours";
  public static final String BASELINE = "baseline";
  /** scope_type of the rows that pool every scope type. */
  public static final String ALL = "all";
  /** Months that cost less than a cent are not scored: a percentage of (nearly) nothing says nothing. */
  static final double MIN_ACTUAL_USD = 0.01;

  private BacktestScores() {}

  /** One row of gold.forecast_accuracy. coveragePct is null for the baseline (it has no interval). */
  public record Accuracy(String scopeType, int dayOfMonth, String method, long nForecasts, BigDecimal mapePct,
      BigDecimal meanErrorPct, BigDecimal coveragePct, LocalDate fromMonth, LocalDate toMonth) {}

  /**
   * The run dates from..to whose whole month lies within firstDate..lastDate (the days the data
   * covers), so that the month's actual total is known; null from/to mean every such month.
   */
  public static List<LocalDate> asOfDates(LocalDate firstDate, LocalDate lastDate, LocalDate from, LocalDate to) {
    List<LocalDate> dates = new ArrayList<>();
    if (firstDate == null || lastDate == null) {
      return dates;
    }
    YearMonth month = YearMonth.from(from != null ? from : firstDate);
    YearMonth last = YearMonth.from(to != null ? to : lastDate);
    for (; !month.isAfter(last); month = month.plusMonths(1)) {
      if (month.atDay(1).isBefore(firstDate) || month.atEndOfMonth().isAfter(lastDate)) {
        continue;
      }
      for (LocalDate day = month.atDay(1); !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
        if ((from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to))) {
          dates.add(day);
        }
      }
    }
    return dates;
  }

  /**
   * Forecasts every scope from every run date, as the job would have that night, and scores the
   * median forecast and the baseline against the month's actual total: mean absolute percentage
   * error, mean signed error, and how often P10-P90 held the total. Forecasts of a month whose actual
   * total is under a cent are left out. Rows per scope type and day of month, and pooled over scope
   * types ('all').
   */
  public static List<Accuracy> score(List<ScopeSeries> series, List<LocalDate> asOfDates, int historyDays) {
    Map<String, Tally> tallies = new TreeMap<>();
    for (LocalDate asOf : asOfDates) {
      LocalDate monthEnd = asOf.withDayOfMonth(asOf.lengthOfMonth());
      Map<List<String>, ScopeSeries> byScope = new HashMap<>();
      for (ScopeSeries scope : series) {
        byScope.put(List.of(scope.scopeType(), scope.scopeValue()), scope);
      }
      for (ScopeForecast forecast : SpendForecaster.forecastAll(series, asOf, historyDays, 0)) {
        ScopeSeries scope = byScope.get(List.of(forecast.scopeType(), forecast.scopeValue()));
        double actual = scope.spendUsd(forecast.month(), monthEnd).doubleValue();
        if (actual < MIN_ACTUAL_USD) {
          continue;
        }
        boolean covered = forecast.forecastP10Usd().doubleValue() <= actual
            && actual <= forecast.forecastP90Usd().doubleValue();
        for (String scopeType : List.of(scope.scopeType(), ALL)) {
          tally(tallies, scopeType, asOf.getDayOfMonth(), OURS, forecast.forecastP50Usd(), actual, covered);
          tally(tallies, scopeType, asOf.getDayOfMonth(), BASELINE, forecast.baselineForecastUsd(), actual, null);
        }
      }
    }
    LocalDate fromMonth = asOfDates.isEmpty() ? null : asOfDates.get(0).withDayOfMonth(1);
    LocalDate toMonth = asOfDates.isEmpty() ? null : asOfDates.get(asOfDates.size() - 1).withDayOfMonth(1);
    List<Accuracy> rows = new ArrayList<>();
    for (Tally t : tallies.values()) {
      rows.add(new Accuracy(t.scopeType, t.dayOfMonth, t.method, t.n, percent(t.absoluteErrors / t.n),
          percent(t.errors / t.n), t.method.equals(BASELINE) ? null : percent((double) t.covered / t.n),
          fromMonth, toMonth));
    }
    return rows;
  }

  private static void tally(Map<String, Tally> tallies, String scopeType, int dayOfMonth, String method,
      BigDecimal forecast, double actual, Boolean covered) {
    String key = scopeType + "|" + String.format("%02d", dayOfMonth) + "|" + method;
    Tally t = tallies.computeIfAbsent(key, k -> new Tally(scopeType, dayOfMonth, method));
    double error = (forecast.doubleValue() - actual) / actual;
    t.n++;
    t.errors += error;
    t.absoluteErrors += Math.abs(error);
    if (Boolean.TRUE.equals(covered)) {
      t.covered++;
    }
  }

  private static BigDecimal percent(double fraction) {
    return BigDecimal.valueOf(fraction * 100).setScale(3, RoundingMode.HALF_UP);
  }

  private static final class Tally {
    final String scopeType;
    final int dayOfMonth;
    final String method;
    long n;
    long covered;
    double errors;
    double absoluteErrors;

    Tally(String scopeType, int dayOfMonth, String method) {
      this.scopeType = scopeType;
      this.dayOfMonth = dayOfMonth;
      this.method = method;
    }
  }
}
