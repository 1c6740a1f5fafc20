package dev.costlake.forecast;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Writes the month-end spend forecasts of a run date (gold.spend_forecast) and the next 30 days of
 * each scope (gold.spend_forecast_daily), replacing that run date's rows.
 *
 * <p>It reads each scope's daily spend for forecast.history-days before the run date (and the
 * month to date, if longer), forecasts on the driver with SpendForecaster, and writes both tables.
 * It takes no lock itself: the caller holds the lakehouse lock (RunRecorder.record), whether the
 * `costlake forecast` command or the nightly job that runs it after the rollups.
 */
public final class ForecastJob {
  /** gold.spend_forecast_daily covers the run date and the 29 days after it. */
  public static final int DAILY_HORIZON_DAYS = 30;

  private ForecastJob() {}

  /** Forecasts every scope as of asOfDate (a date in forecast.time-zone) and replaces that date's rows. */
  public static ForecastSummary run(Lakehouse lake, CostlakeConfig config, LocalDate asOfDate) {
    ZoneId zone = config.forecastTimeZone();
    int historyDays = config.forecastHistoryDays();
    SparkSession spark = lake.spark();
    LocalDate monthStart = asOfDate.withDayOfMonth(1);
    LocalDate historyStart = asOfDate.minusDays(historyDays);
    LocalDate from = monthStart.isBefore(historyStart) ? monthStart : historyStart;
    try {
      describe(spark, asOfDate, "reading the daily spend of every scope from " + from + " to " + asOfDate.minusDays(1));
      List<ScopeSeries> series = ScopeSpend.read(lake, zone, from, asOfDate.minusDays(1));
      List<ScopeForecast> forecasts = SpendForecaster.forecastAll(series, asOfDate, historyDays, DAILY_HORIZON_DAYS);

      describe(spark, asOfDate, "writing " + forecasts.size() + " forecasts");
      String asOf = "as_of_date = " + SqlFile.dateLiteral(asOfDate);
      List<Map<String, Object>> monthRows = new ArrayList<>();
      List<Map<String, Object>> dayRows = new ArrayList<>();
      for (ScopeForecast f : forecasts) {
        monthRows.add(monthRow(f, zone));
        for (ScopeForecast.Day day : f.days()) {
          dayRows.add(dayRow(f, day));
        }
      }
      replace(lake, Lakehouse.SPEND_FORECAST, monthRows, asOf);
      replace(lake, Lakehouse.SPEND_FORECAST_DAILY, dayRows, asOf);

      ScopeForecast total = forecasts.stream()
          .filter(f -> f.scopeType().equals(ScopeSeries.TOTAL)).findFirst().orElse(null);
      LocalDate lastSpend = series.stream().filter(s -> s.scopeType().equals(ScopeSeries.TOTAL))
          .map(s -> s.costUsdByDate().lastKey()).findFirst().orElse(null);
      return new ForecastSummary(asOfDate, monthStart, zone.getId(), forecasts.size(), dayRows.size(), total,
          lastSpend);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
  }

  private static Map<String, Object> monthRow(ScopeForecast f, ZoneId zone) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("as_of_date", f.asOfDate());
    row.put("month", f.month());
    row.put("scope_type", f.scopeType());
    row.put("scope_value", f.scopeValue());
    row.put("time_zone", zone.getId());
    row.put("days_in_month", f.daysInMonth());
    row.put("days_elapsed", f.daysElapsed());
    row.put("history_days", f.historyDays());
    row.put("spend_to_date_usd", f.spendToDateUsd());
    row.put("forecast_p10_usd", f.forecastP10Usd());
    row.put("forecast_p50_usd", f.forecastP50Usd());
    row.put("forecast_p90_usd", f.forecastP90Usd());
    row.put("daily_burn_rate_usd", f.dailyBurnRateUsd());
    row.put("baseline_forecast_usd", f.baselineForecastUsd());
    row.put("method", f.method());
    return row;
  }

  private static Map<String, Object> dayRow(ScopeForecast f, ScopeForecast.Day day) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("as_of_date", f.asOfDate());
    row.put("scope_type", f.scopeType());
    row.put("scope_value", f.scopeValue());
    row.put("forecast_date", day.forecastDate());
    row.put("day_of_week", day.forecastDate().getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
    row.put("is_weekend", SpendForecaster.isWeekend(day.forecastDate()));
    row.put("forecast_p10_usd", day.forecastP10Usd());
    row.put("forecast_p50_usd", day.forecastP50Usd());
    row.put("forecast_p90_usd", day.forecastP90Usd());
    row.put("method", f.method());
    return row;
  }

  /**
   * Writes rows (column name to value; dates as LocalDate) in the table's column order, replacing
   * the rows where holds (the whole table if null) in one Delta commit.
   */
  static void replace(Lakehouse lake, String table, List<Map<String, Object>> rows, String where) {
    var schema = lake.table(table).schema();
    List<Row> ordered = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      if (row.size() != schema.fields().length) {
        throw new IllegalStateException(table + " has columns " + List.of(schema.fieldNames()) + ", not " + row.keySet());
      }
      Object[] values = new Object[schema.fields().length];
      for (int i = 0; i < values.length; i++) {
        StructField field = schema.fields()[i];
        if (!row.containsKey(field.name())) {
          throw new IllegalStateException(table + "." + field.name() + " has no value");
        }
        Object value = row.get(field.name());
        values[i] = value instanceof LocalDate date ? java.sql.Date.valueOf(date) : value;
      }
      ordered.add(RowFactory.create(values));
    }
    var writer = lake.spark().createDataFrame(ordered, schema).coalesce(1)
        .write().format("delta").mode("overwrite");
    if (where != null) {
      writer = writer.option("replaceWhere", where);
    }
    writer.save(lake.path(table));
  }

  private static void describe(SparkSession spark, LocalDate asOf, String what) {
    spark.sparkContext().setJobDescription("costlake forecast " + asOf + ": " + what);
  }
}
