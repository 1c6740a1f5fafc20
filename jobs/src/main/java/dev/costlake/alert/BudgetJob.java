package dev.costlake.alert;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes gold.budget_status for a run date: every configured budget's spend, forecast and status; a
 * budget on each value of a dimension (user:*, a quota per user) once per value with spend.
 */
public final class BudgetJob {
  private BudgetJob() {}

  /** One budget's row of gold.budget_status, as the alert rules read it. */
  public record Status(LocalDate asOfDate, String budgetName, String kind, String scopeType, String scopeValue,
      String scope, int daysInMonth, BigDecimal budgetUsd, BigDecimal spentUsd, BigDecimal lastDaySpentUsd,
      BigDecimal pctUsed, BigDecimal forecastP50Usd, BigDecimal forecastP90Usd, LocalDate projectedExhaustionDate,
      String forecastBasis, String status) {}

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
    List<Row> budgetRows = new ArrayList<>();
    for (Budget b : budgets) {
      budgetRows.add(RowFactory.create(b.name(), b.kind(), b.scopeType(), b.scopeValue(), b.tagKey(), b.monthlyUsd(),
          b.warnPct(), b.exceedPct(), b.forecastBasis(), b.forecastMarginPct()));
    }
    spark.sparkContext().setJobDescription("costlake budgets " + asOfDate + ": " + budgets.size() + " budgets");
    try {
      spark.createDataFrame(budgetRows, BUDGETS).createOrReplaceTempView("alert_budgets");
      // The month's first local day can start on the UTC day before (zones east of UTC); the day
      // before as_of_date ends on UTC date as_of_date at the latest (zones west of UTC).
      Dataset<Row> rows = spark.sql(SqlFile.load("gold/budget_status.sql").statement(1).bind(Map.of(
          "as_of_date", SqlFile.dateLiteral(asOfDate),
          "month_start", SqlFile.dateLiteral(monthStart),
          "month_end", SqlFile.dateLiteral(monthEnd),
          "time_zone", SqlFile.literal(zone.getId()),
          "utc_from", SqlFile.dateLiteral(monthStart.minusDays(1)),
          "utc_to", SqlFile.dateLiteral(asOfDate))));
      List<Row> computed = rows.collectAsList();
      StructType schema = lake.table(Lakehouse.BUDGET_STATUS).schema();
      spark.createDataFrame(computed, schema).write().format("delta").mode("overwrite")
          .option("replaceWhere", "as_of_date = " + SqlFile.dateLiteral(asOfDate))
          .save(lake.path(Lakehouse.BUDGET_STATUS));
      List<Status> out = new ArrayList<>();
      for (Row r : computed) {
        out.add(status(r));
      }
      out.sort(java.util.Comparator.comparing(Status::budgetName).thenComparing(Status::scopeValue));
      return out;
    } finally {
      spark.catalog().dropTempView("alert_budgets");
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** The rows of gold.budget_status for a run date, by budget name and scope value. */
  public static List<Status> read(Lakehouse lake, LocalDate asOfDate) {
    List<Status> out = new ArrayList<>();
    for (Row r : lake.table(Lakehouse.BUDGET_STATUS)
        .where("as_of_date = " + SqlFile.dateLiteral(asOfDate)).orderBy("budget_name", "scope_value").collectAsList()) {
      out.add(status(r));
    }
    return out;
  }

  private static Status status(Row r) {
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
        r.getAs("forecast_basis"), r.getAs("status"));
  }
}
