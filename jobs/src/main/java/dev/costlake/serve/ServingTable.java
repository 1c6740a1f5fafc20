package dev.costlake.serve;

import dev.costlake.lake.Lakehouse;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

/**
 * A gold table as published to PostgreSQL: the serving table of the same name, and the column a
 * publish window is cut on (a publish replaces the window's rows, never the whole table).
 */
public enum ServingTable {
  COST_HOURLY(Lakehouse.COST_HOURLY, "event_date", Cut.DATE),
  COST_DAILY(Lakehouse.COST_DAILY, "event_date", Cut.DATE),
  COST_DAILY_BY_TENANT(Lakehouse.COST_DAILY_BY_TENANT, "event_date", Cut.DATE),
  COST_DAILY_BY_FEATURE(Lakehouse.COST_DAILY_BY_FEATURE, "event_date", Cut.DATE),
  COST_DAILY_BY_MODEL(Lakehouse.COST_DAILY_BY_MODEL, "event_date", Cut.DATE),
  COST_DAILY_BY_USER(Lakehouse.COST_DAILY_BY_USER, "event_date", Cut.DATE),
  COST_DAILY_BY_REGION(Lakehouse.COST_DAILY_BY_REGION, "event_date", Cut.DATE),
  COST_DAILY_TOTAL(Lakehouse.COST_DAILY_TOTAL, "event_date", Cut.DATE),
  TOP_COST_DRIVERS(Lakehouse.TOP_COST_DRIVERS, "week_start", Cut.WEEK),
  COST_PER_REQUEST_TREND(Lakehouse.COST_PER_REQUEST_TREND, "event_date", Cut.DATE),
  COST_ANOMALIES(Lakehouse.COST_ANOMALIES, "period_start", Cut.INSTANT),
  SPEND_FORECAST(Lakehouse.SPEND_FORECAST, "as_of_date", Cut.DATE),
  SPEND_FORECAST_DAILY(Lakehouse.SPEND_FORECAST_DAILY, "as_of_date", Cut.DATE),
  /** A small summary of a whole backtest: always replaced whole. */
  FORECAST_ACCURACY(Lakehouse.FORECAST_ACCURACY, null, Cut.WHOLE),
  BUDGET_STATUS(Lakehouse.BUDGET_STATUS, "as_of_date", Cut.DATE),
  /** One row per condition ever alerted, rewritten by every run's rules: always replaced whole. */
  ALERTS(Lakehouse.ALERTS, null, Cut.WHOLE);

  /** How a window of dates selects a table's rows. */
  enum Cut {
    /** The date column between from and to. */
    DATE,
    /** The weeks (by their Monday) that overlap from..to. */
    WEEK,
    /** The timestamp column within the UTC days from..to. */
    INSTANT,
    /** Every row, whatever the window. */
    WHOLE
  }

  /** The tables the rollups write (hourly and nightly rebuild them for the dates they touched). */
  public static final List<ServingTable> ROLLUPS = List.of(COST_HOURLY, COST_DAILY, COST_DAILY_BY_TENANT,
      COST_DAILY_BY_FEATURE, COST_DAILY_BY_MODEL, COST_DAILY_BY_USER, COST_DAILY_BY_REGION, COST_DAILY_TOTAL,
      TOP_COST_DRIVERS, COST_PER_REQUEST_TREND);

  private final String goldTable;
  private final String column;
  private final Cut cut;

  ServingTable(String goldTable, String column, Cut cut) {
    this.goldTable = goldTable;
    this.column = column;
    this.cut = cut;
  }

  public String goldTable() {
    return goldTable;
  }

  /** The unqualified name, the same in the lakehouse (gold.) and in PostgreSQL (postgres.schema). */
  public String tableName() {
    return goldTable.substring(goldTable.indexOf('.') + 1);
  }

  Cut cut() {
    return cut;
  }

  /**
   * The rows of a window, as a predicate that reads the same in Spark SQL and PostgreSQL but for
   * the timestamp keyword; "true" for the whole table.
   */
  String predicate(PublishWindow window, boolean postgres) {
    if (window.isAll() || cut == Cut.WHOLE) {
      return "true";
    }
    LocalDate from = window.from();
    LocalDate to = window.to();
    return switch (cut) {
      case DATE -> column + " between " + date(from) + " and " + date(to);
      case WEEK -> column + " between " + date(from.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))
          + " and " + date(to);
      case INSTANT -> {
        String keyword = postgres ? "timestamptz" : "timestamp";
        yield column + " >= " + keyword + " '" + from + " 00:00:00Z' and " + column + " < " + keyword + " '"
            + to.plusDays(1) + " 00:00:00Z'";
      }
      case WHOLE -> "true";
    };
  }

  private static String date(LocalDate date) {
    return "date '" + date + "'";
  }
}
