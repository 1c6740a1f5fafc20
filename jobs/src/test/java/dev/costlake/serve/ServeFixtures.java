package dev.costlake.serve;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A tiny lakehouse with every gold table filled, dated relative to today (the BI views read "this
 * month", "last 30 days"): two tenants over yesterday and today, one user id holding a NUL character.
 * Built once per test run and shared by the serving test classes (each re-registers it).
 *
 * <pre>
 *   date       tenant  feature user     model        requests cost_usd
 *   yesterday  acme    chat    u1       gpt-4o-mini  10       1.000000001
 *   yesterday  acme    search  u2       claude       5        2.500000000
 *   yesterday  globex  chat    g1       gpt-4o-mini  7        0.700000000
 *   today      acme    chat    u1       gpt-4o-mini  4        0.400000000
 *   today      globex  search  g\u00002 claude       3        3.300000000
 * </pre>
 */
final class ServeFixtures {
  static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  static final LocalDate YESTERDAY = TODAY.minusDays(1);
  static final String NUL_USER = "g\u00002";
  static final String NUL_USER_SERVED = "g\uFFFD2";
  /** Total cost, and per tenant, of gold.cost_daily. */
  static final String TOTAL_COST = "7.900000001";
  static final String ACME_COST = "3.900000001";
  static final String GLOBEX_COST = "4.000000000";

  private static Path root;

  private ServeFixtures() {}

  /** The fixture lakehouse, registered in the shared session (built on first use). */
  static synchronized Lakehouse lake() {
    try {
      boolean fresh = root == null;
      if (fresh) {
        root = Files.createTempDirectory("costlake-serve-fixture");
      }
      CostlakeConfig config = TestSpark.config(root.resolve("lake"), root.resolve("raw"), Map.of());
      Lakehouse lake = TestSpark.lake(config);
      if (fresh) {
        fill(lake.spark());
      }
      return lake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void fill(SparkSession spark) {
    String y = "date'" + YESTERDAY + "'";
    String t = "date'" + TODAY + "'";
    String nulUser = "concat('g', chr(0), '2')";
    // event_date, tenant, feature, user, model, provider, region, environment, operation | requests,
    // unpriced_requests, input, cached, cache_write, output, reasoning, unpriced_tokens, cost, list_cost
    String[][] daily = {
      {y + ", 'acme', 'chat'", "'u1'", "'gpt-4o-mini', 'openai', 'us-east-1', 'production', 'chat'",
          "10, 0, 1000, 0, 0, 100, 0, 0, 1.000000001, 1.000000001"},
      {y + ", 'acme', 'search'", "'u2'", "'claude', 'anthropic', 'eu-west-1', 'production', 'chat'",
          "5, 1, 500, 100, 0, 50, 0, 55, 2.5, 2.5"},
      {y + ", 'globex', 'chat'", "'g1'", "'gpt-4o-mini', 'openai', null, null, 'chat'",
          "7, 0, 700, 0, 0, 70, 0, 0, 0.7, 0.7"},
      {t + ", 'acme', 'chat'", "'u1'", "'gpt-4o-mini', 'openai', 'us-east-1', 'production', 'chat'",
          "4, 0, 400, 0, 0, 40, 0, 0, 0.4, 0.4"},
      {t + ", 'globex', 'search'", nulUser, "'claude', 'anthropic', null, null, 'chat'",
          "3, 0, 300, 0, 0, 30, 0, 0, 3.3, 3.3"},
    };
    for (String[] row : daily) {
      String date = row[0].substring(0, row[0].indexOf(','));
      String tenant = row[0].substring(row[0].indexOf(',') + 1, row[0].lastIndexOf(','));
      String hour = "cast(" + date + " as timestamp) + interval 10 hours";
      // gold.cost_daily's slice (no user; no project; the standard tier) ...
      spark.sql("insert into " + Lakehouse.COST_DAILY + " (event_date, tenant_id, feature, project, model, provider,"
          + " region, environment, operation, service_tier, requests, unpriced_requests, input_tokens,"
          + " cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, unpriced_tokens, cost_usd,"
          + " list_cost_usd) values (" + row[0] + ", null, " + row[2] + ", 'standard', " + row[3] + ")");
      // ... the same requests, all in the day's 10:00 UTC hour ...
      spark.sql("insert into " + Lakehouse.COST_HOURLY + " (event_date, event_hour, tenant_id, feature, project,"
          + " model, provider, region, environment, operation, service_tier, requests, unpriced_requests,"
          + " input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,"
          + " unpriced_tokens, cost_usd, list_cost_usd) values (" + date + ", " + hour + row[0].substring(row[0].indexOf(','))
          + ", null, " + row[2] + ", 'standard', " + row[3] + ")");
      // ... and the user's hour (each user has one slice a day here).
      spark.sql("insert into " + Lakehouse.COST_HOURLY_BY_USER + " values (" + date + ", " + hour + ", " + tenant
          + ", " + row[1] + ", " + row[3] + ")");
    }
    // The dimension tables as the rollup job builds them.
    Map<String, String> dates = Map.of("event_dates", SqlFile.dateList(List.of(YESTERDAY, TODAY)));
    List<String> dimensions = new ArrayList<>(Lakehouse.DAILY_DIMENSION_TABLES);
    dimensions.add(Lakehouse.COST_DAILY_BY_USER);
    for (String table : dimensions) {
      spark.sql(SqlFile.load(table.replace('.', '/') + ".sql").statement(1).bind(dates)).write().insertInto(table);
    }
    LocalDate monday = YESTERDAY.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    spark.sql("insert into " + Lakehouse.TOP_COST_DRIVERS + " values (date'" + monday + "', '2026-W01', 'tenant', 1,"
        + " 'globex', 10, 4.0, 50.633, null, 4.0, null)");
    spark.sql("insert into " + Lakehouse.COST_PER_REQUEST_TREND + " values (" + y + ", 'feature', 'chat', 17,"
        + " 1.700000001, 0.1, 1.5, 0.1, 1.5)");
    String contributors = "array(named_struct('dimension', 'user', 'value', " + nulUser + ", 'actual_cost_usd',"
        + " cast(3.3 as decimal(38, 9)), 'expected_cost_usd', cast(0 as decimal(38, 9)), 'change_usd',"
        + " cast(3.3 as decimal(38, 9)), 'share_of_change_pct', 100.0d, 'usual_share_pct', 0.0d))";
    String[] anomalies = {
      "'hour', cast(" + t + " as timestamp) + interval 10 hours, 'tenant', 'acme', 'spike', 'warning', 'acme spent more.'",
      "'hour', cast(" + t + " as timestamp) + interval 10 hours, 'tenant_feature', 'globex/search', 'new_spend', 'info',"
          + " 'globex/search spent for the first time.'",
      "'day', cast(" + y + " as timestamp), 'total', 'all', 'spike', 'critical', 'The total spent more.'",
    };
    for (String anomaly : anomalies) {
      spark.sql("insert into " + Lakehouse.COST_ANOMALIES + " values (" + anomaly + ", 3.3, 1.0, 2.3, 230.0, 4.5,"
          + " 0.5, 3, 1.0, 'same_hour_of_week', 4, 'mean_stddev', 'user:g1', 'volume', " + contributors
          + ", 2.3, 0, 0, 0, 0, timestamp'" + TODAY + " 11:00:00', 'cost_usd', 3.3, 1.0)");
    }
    String[][] scopes = {{"total", "all", "7.9"}, {"tenant", "acme", "3.9"}, {"tenant", "globex", "4.0"},
        {"feature", "chat", "2.1"}};
    LocalDate month = TODAY.withDayOfMonth(1);
    for (String[] scope : scopes) {
      spark.sql("insert into " + Lakehouse.SPEND_FORECAST + " values (" + t + ", date'" + month + "', '" + scope[0]
          + "', '" + scope[1] + "', 'UTC', " + TODAY.lengthOfMonth() + ", " + (TODAY.getDayOfMonth() - 1) + ", 30, "
          + scope[2] + ", 10, 20, 30, 1, 25, 'run_rate')");
      spark.sql("insert into " + Lakehouse.SPEND_FORECAST_DAILY + " values (" + t + ", '" + scope[0] + "', '"
          + scope[1] + "', " + t + ", 'Mon', false, 1, 2, 3, 'run_rate')");
    }
    spark.sql("insert into " + Lakehouse.FORECAST_ACCURACY + " values ('total', 1, 'ours', 12, 8.5, -1.25, 80.0,"
        + " date'2026-01-01', date'2026-06-01')");
    // Budgets of today's run: the whole company $25, acme $5, and a quota on every user ($2 each).
    String[][] budgets = {{"all-up", "budget", "all", "all", "25", "7.9", "ok"},
        {"acme", "budget", "tenant", "acme", "5", "3.9", "warning"},
        {"each-user", "quota", "user", "u1", "2", "1.400000001", "ok"}};
    for (String[] b : budgets) {
      spark.sql("insert into " + Lakehouse.BUDGET_STATUS + " values (" + t + ", '" + b[0] + "', '" + b[1] + "', '"
          + b[2] + "', '" + b[3] + "', null, date'" + month + "', 'UTC', " + TODAY.lengthOfMonth() + ", "
          + (TODAY.getDayOfMonth() - 1) + ", " + b[4] + ", " + b[5] + ", 0, round(" + b[5] + " * 100 / " + b[4]
          + ", 2), null, null, null, 80, 100, 'p50', 10, '" + b[6] + "')");
    }
    String delivered = "array(named_struct('channel', 'ops', 'delivered_seq', 1, 'attempts', 1, 'outcome', 'delivered',"
        + " 'last_attempt_at', timestamp'" + TODAY + " 01:00:00', 'last_error', cast(null as string)))";
    String[][] alerts = {{"budget:tenant:acme", "budget", "tenant", "acme", "Budget acme (tenant:acme) at 78.00%"},
        {"budget:all:all", "daily_spend", "all", "all", "Daily spend above $5.00"}};
    for (String[] a : alerts) {
      spark.sql("insert into " + Lakehouse.ALERTS + " values ('" + a[0] + "', '" + a[1] + "', '" + a[2] + "', '"
          + a[3] + "', 'warning', 'open', '" + a[4] + "', 'The numbers.', '" + YESTERDAY + "', 3.9, 4, 'usd',"
          + " timestamp'" + TODAY + " 01:00:00', timestamp'" + TODAY + " 01:00:00', null, timestamp'" + TODAY
          + " 01:00:00', 1, 'opened', " + delivered + ")");
    }
  }
}
