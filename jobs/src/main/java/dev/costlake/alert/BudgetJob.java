package dev.costlake.alert;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes gold.budget_status for a run date: every configured budget's spend, forecast and status; a
 * budget on each value of a dimension (user:*, a quota per user) once per value with spend. For the
 * hourly job, the same statuses as of the end of the last complete hour (not written: alerts only).
 */
public final class BudgetJob {
  private BudgetJob() {}

  /**
   * One budget's row of gold.budget_status, as the alert rules read it.
   *
   * @param through what spentUsd covers the month through: the day before asOfDate (nightly) or an
   *     hour (hourly)
   * @param lastDaySpentUsd the day before asOfDate's spend; null in the hourly's statuses
   */
  public record Status(LocalDate asOfDate, String budgetName, String kind, String scopeType, String scopeValue,
      String scope, int daysInMonth, BigDecimal budgetUsd, BigDecimal spentUsd, BigDecimal lastDaySpentUsd,
      BigDecimal pctUsed, BigDecimal forecastP50Usd, BigDecimal forecastP90Usd, LocalDate projectedExhaustionDate,
      String forecastBasis, String status, String through) {}

  /** The budgets as the temporary view alert_budgets that budget_status.sql reads. */
  static final StructType BUDGETS = new StructType()
      .add("budget_name", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("scope_type", DataTypes.StringType, false)
      .add("scope_value", DataTypes.StringType, false)
      .add("tag_key", DataTypes.StringType, true)
      .add("budget_usd", DataTypes.createDecimalType(38, 9), false)
      .add("warn_pct", DataTypes.createDecimalType(38, 9), false)
      .add("exceed_pct", DataTypes.createDecimalType(38, 9), false)
      .add("forecast_basis", DataTypes.StringType, false)
      .add("forecast_margin_pct", DataTypes.createDecimalType(38, 9), false);

  /**
   * Computes every budget as of asOfDate (a date in forecast.time-zone; spend through the day before)
   * and replaces that date's rows of gold.budget_status. Reads gold.spend_forecast of the same date,
   * so it runs after the forecasts.
   */
  public static List<Status> run(Lakehouse lake, CostlakeConfig config, LocalDate asOfDate) {
    List<Budget> budgets = Budget.all(config);
    SparkSession spark = lake.spark();
    if (budgets.isEmpty() && lake.table(Lakehouse.BUDGET_STATUS).isEmpty()) {
      return List.of();
    }
    ZoneId zone = config.forecastTimeZone();
    LocalDate monthStart = asOfDate.withDayOfMonth(1);
    LocalDate monthEnd = asOfDate.withDayOfMonth(asOfDate.lengthOfMonth());
    return withBudgetViews(spark, budgets, zone, monthStart.atStartOfDay(zone).toInstant(),
        asOfDate.atStartOfDay(zone).toInstant(), "costlake budgets " + asOfDate + ": " + budgets.size() + " budgets",
        () -> {
          List<Row> computed = spark.sql(SqlFile.load("gold/budget_status.sql").statement(1).bind(Map.of(
              "as_of_date", SqlFile.dateLiteral(asOfDate),
              "month_start", SqlFile.dateLiteral(monthStart),
              "month_end", SqlFile.dateLiteral(monthEnd),
              "time_zone", SqlFile.literal(zone.getId())))).collectAsList();
          StructType schema = lake.table(Lakehouse.BUDGET_STATUS).schema();
          spark.createDataFrame(computed, schema).write().format("delta").mode("overwrite")
              .option("replaceWhere", "as_of_date = " + SqlFile.dateLiteral(asOfDate))
              .save(lake.path(Lakehouse.BUDGET_STATUS));
          return statuses(computed, asOfDate.minusDays(1).toString());
        });
  }

  /**
   * Registers the budgets (alert_budgets) and their spend per local day of events in [from, until)
   * (budget_spend, int_budget_spend.sql), computes, and drops both views.
   */
  private static <T> T withBudgetViews(SparkSession spark, List<Budget> budgets, ZoneId zone, Instant from,
      Instant until, String description, java.util.function.Supplier<T> compute) {
    spark.sparkContext().setJobDescription(description);
    try {
      spark.createDataFrame(budgetRows(budgets), BUDGETS).createOrReplaceTempView("alert_budgets");
      spark.sql(SqlFile.load("intermediate/int_budget_spend.sql").bind(Map.of(
          "time_zone", SqlFile.literal(zone.getId()),
          "from_time", SqlFile.timestampLiteral(from),
          "until_time", SqlFile.timestampLiteral(until),
          "utc_from", SqlFile.dateLiteral(LocalDate.ofInstant(from, ZoneOffset.UTC)),
          "utc_to", SqlFile.dateLiteral(LocalDate.ofInstant(until.minusNanos(1), ZoneOffset.UTC)))))
          .createOrReplaceTempView("budget_spend");
      return compute.get();
    } finally {
      spark.catalog().dropTempView("alert_budgets");
      spark.catalog().dropTempView("budget_spend");
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** Rows of budget status as Status, by budget name and scope value. */
  private static List<Status> statuses(List<Row> rows, String through) {
    List<Status> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(status(r, through));
    }
    out.sort(BY_BUDGET_AND_VALUE);
    return out;
  }

  private static final java.util.Comparator<Status> BY_BUDGET_AND_VALUE =
      java.util.Comparator.comparing(Status::budgetName).thenComparing(Status::scopeValue);

  /**
   * Every budget as of the end of the hour starting at hour: the month (forecast.time-zone) of the
   * hour's local date, its spend up to the hour's end, the latest nightly's forecasts. Reads the
   * latest gold.budget_status of the month and silver only since that nightly's run date (the whole
   * month if a budget is not as that nightly judged it). Writes nothing.
   */
  public static List<Status> intraday(Lakehouse lake, CostlakeConfig config, Instant hour) {
    List<Budget> budgets = Budget.all(config);
    if (budgets.isEmpty()) {
      return List.of();
    }
    SparkSession spark = lake.spark();
    ZoneId zone = config.forecastTimeZone();
    Instant until = hour.plus(java.time.Duration.ofHours(1));
    LocalDate asOfDate = LocalDate.ofInstant(until.minusNanos(1), zone);
    LocalDate monthStart = asOfDate.withDayOfMonth(1);
    // The latest nightly of the month whose days (those before its run date) all ended by the hour's end.
    LocalDate nightly = latestOfMonth(lake, Lakehouse.BUDGET_STATUS, monthStart, LocalDate.ofInstant(until, zone));
    LocalDate forecastDate = latestOfMonth(lake, Lakehouse.SPEND_FORECAST, monthStart, LocalDate.ofInstant(until, zone));
    // A budget added or changed since that nightly has no spend there to build on: then the month is
    // counted from silver (until the next nightly) rather than only the days since.
    LocalDate baseDate = knownTo(lake, nightly, budgets) ? nightly : monthStart;
    return withBudgetViews(spark, budgets, zone, baseDate.atStartOfDay(zone).toInstant(), until,
        "costlake budgets through " + AlertInputs.hourText(until) + ": " + budgets.size() + " budgets",
        () -> statuses(spark.sql(SqlFile.load("intermediate/int_budget_status_intraday.sql").bind(Map.of(
            "as_of_date", SqlFile.dateLiteral(asOfDate),
            "base_date", SqlFile.dateLiteral(baseDate),
            "forecast_date", SqlFile.dateLiteral(forecastDate),
            "month_start", SqlFile.dateLiteral(monthStart),
            "month_end", SqlFile.dateLiteral(asOfDate.withDayOfMonth(asOfDate.lengthOfMonth())),
            "time_zone", SqlFile.literal(zone.getId())))).collectAsList(), "the hour " + AlertInputs.hourText(hour)));
  }

  /** The latest as_of_date of a nightly table in month, at most last; the month's first day if none. */
  private static LocalDate latestOfMonth(Lakehouse lake, String table, LocalDate month, LocalDate last) {
    Row latest = lake.table(table)
        .where("month = " + SqlFile.dateLiteral(month) + " and as_of_date <= " + SqlFile.dateLiteral(last))
        .agg(org.apache.spark.sql.functions.max("as_of_date")).first();
    return latest.isNullAt(0) ? month : latest.getDate(0).toLocalDate();
  }

  /**
   * Whether the nightly of baseDate judged every budget as configured now: a row with its name,
   * scope type and tag key (and, but for a budget on *, its scope value). A budget on * without
   * spend before baseDate has no row either way, and is counted from the month's start.
   */
  private static boolean knownTo(Lakehouse lake, LocalDate baseDate, List<Budget> budgets) {
    java.util.Set<String> judged = new java.util.HashSet<>();
    for (Row r : lake.table(Lakehouse.BUDGET_STATUS).where("as_of_date = " + SqlFile.dateLiteral(baseDate))
        .select("budget_name", "scope_type", "tag_key", "scope_value").collectAsList()) {
      String definition = r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2);
      judged.add(definition + "|*");
      judged.add(definition + "|=" + r.getString(3));
    }
    for (Budget b : budgets) {
      String definition = b.name() + "|" + b.scopeType() + "|" + b.tagKey();
      if (!judged.contains(definition + (b.scopeValue().equals("*") ? "|*" : "|=" + b.scopeValue()))) {
        return false;
      }
    }
    return true;
  }

  private static List<Row> budgetRows(List<Budget> budgets) {
    List<Row> rows = new ArrayList<>();
    for (Budget b : budgets) {
      rows.add(RowFactory.create(b.name(), b.kind(), b.scopeType(), b.scopeValue(), b.tagKey(), b.monthlyUsd(),
          b.warnPct(), b.exceedPct(), b.forecastBasis(), b.forecastMarginPct()));
    }
    return rows;
  }

  /** The rows of gold.budget_status for a run date, by budget name and scope value. */
  public static List<Status> read(Lakehouse lake, LocalDate asOfDate) {
    List<Status> out = new ArrayList<>();
    for (Row r : lake.table(Lakehouse.BUDGET_STATUS)
        .where("as_of_date = " + SqlFile.dateLiteral(asOfDate)).orderBy("budget_name", "scope_value").collectAsList()) {
      out.add(status(r, ((java.sql.Date) r.getAs("as_of_date")).toLocalDate().minusDays(1).toString()));
    }
    return out;
  }

  private static Status status(Row r, String through) {
    String scopeType = r.getAs("scope_type");
    String scopeValue = r.getAs("scope_value");
    String tagKey = r.getAs("tag_key");
    String scope = scopeType.equals("all") ? "all"
        : scopeType.equals("tag") ? "tag:" + tagKey + "=" + scopeValue : scopeType + ":" + scopeValue;
    java.sql.Date exhaustion = r.getAs("projected_exhaustion_date");
    return new Status(((java.sql.Date) r.getAs("as_of_date")).toLocalDate(), r.getAs("budget_name"),
        r.getAs("kind"), scopeType, scopeValue, scope, r.getAs("days_in_month"), r.getAs("budget_usd"),
        r.getAs("spent_usd"), r.getAs("last_day_spent_usd"), r.getAs("pct_used"), r.getAs("forecast_p50_usd"),
        r.getAs("forecast_p90_usd"), exhaustion == null ? null : exhaustion.toLocalDate(),
        r.getAs("forecast_basis"), r.getAs("status"), through);
  }
}
