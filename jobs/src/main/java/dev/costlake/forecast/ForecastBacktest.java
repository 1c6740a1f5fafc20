package dev.costlake.forecast;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Replays the month-end forecasts over history and writes how good they were (gold.forecast_accuracy):
 * for every run date of the range, every scope is forecast from the days before it, exactly as
 * ForecastJob would have that night, and compared with its month's actual total.
 *
 * <p>The daily series are read once and the replay runs on the driver (BacktestScores), not one
 * Spark job per day. Like ForecastJob it takes no lock; the caller holds the lakehouse lock.
 */
public final class ForecastBacktest {
  private ForecastBacktest() {}

  /**
   * Replays the run dates from..to (either null: from the first, to the last, day of the data) whose
   * whole month the data covers, and overwrites gold.forecast_accuracy with the scores.
   */
  public static BacktestSummary run(Lakehouse lake, CostlakeConfig config, LocalDate from, LocalDate to) {
    return run(lake, config, from, to, Clock.systemUTC());
  }

  /** As run(lake, config, from, to); clock says which day is today (still being written, so never complete). */
  public static BacktestSummary run(Lakehouse lake, CostlakeConfig config, LocalDate from, LocalDate to, Clock clock) {
    if (from != null && to != null && to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    ZoneId zone = config.forecastTimeZone();
    int historyDays = config.forecastHistoryDays();
    SparkSession spark = lake.spark();
    LocalDate yesterday = LocalDate.now(clock.withZone(zone)).minusDays(1);
    LocalDate readFrom = from == null ? LocalDate.of(1970, 1, 1) : from.withDayOfMonth(1).minusDays(historyDays);
    LocalDate readTo = to == null ? yesterday : earliest(to.withDayOfMonth(to.lengthOfMonth()), yesterday);
    try {
      spark.sparkContext().setJobDescription("costlake forecast backtest: reading the daily spend of every scope");
      List<ScopeSeries> series = ScopeSpend.read(lake, zone, readFrom, readTo);
      ScopeSeries total = series.stream().filter(s -> s.scopeType().equals(ScopeSeries.TOTAL)).findFirst().orElse(null);
      List<LocalDate> asOfDates = total == null ? List.of() : BacktestScores.asOfDates(
          total.costUsdByDate().firstKey(), total.costUsdByDate().lastKey(), from, to);
      if (asOfDates.isEmpty()) {
        throw new IllegalStateException("no run date" + (from == null && to == null ? "" : " from "
            + (from == null ? "the first day" : from) + " to " + (to == null ? "the last day" : to))
            + " lies in a month the spend data covers whole ("
            + (total == null ? "there is no spend" : "spend from " + total.costUsdByDate().firstKey() + " to "
            + total.costUsdByDate().lastKey()) + ", " + zone.getId() + "); nothing to replay");
      }
      List<BacktestScores.Accuracy> scores = BacktestScores.score(series, asOfDates, historyDays);

      spark.sparkContext().setJobDescription("costlake forecast backtest: writing " + scores.size() + " rows");
      List<Map<String, Object>> rows = new ArrayList<>();
      for (BacktestScores.Accuracy a : scores) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("scope_type", a.scopeType());
        row.put("day_of_month", a.dayOfMonth());
        row.put("method", a.method());
        row.put("n_forecasts", a.nForecasts());
        row.put("mape_pct", a.mapePct());
        row.put("mean_error_pct", a.meanErrorPct());
        row.put("p10_p90_coverage_pct", a.coveragePct());
        row.put("from_month", a.fromMonth());
        row.put("to_month", a.toMonth());
        rows.add(row);
      }
      ForecastJob.replace(lake, Lakehouse.FORECAST_ACCURACY, rows, null);
      return new BacktestSummary(asOfDates.get(0), asOfDates.get(asOfDates.size() - 1), asOfDates.size(),
          series.size(), scores);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  private static LocalDate earliest(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }
}
