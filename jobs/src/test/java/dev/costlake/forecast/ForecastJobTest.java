package dev.costlake.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forecast tables written from tiny gold rollups in a real lakehouse, and the backtest's accuracy rows. */
class ForecastJobTest {
  /** A Tuesday; March 2026: 9 days before it, 22 from it (16 weekdays, 6 weekend days). */
  private static final LocalDate MARCH_10 = LocalDate.parse("2026-03-10");
  private static final Clock MID_MARCH = Clock.fixed(Instant.parse("2026-03-15T06:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  private record Fixture(Lakehouse lake, CostlakeConfig config) {}

  private Fixture fresh(String name, Map<String, String> settings) {
    CostlakeConfig config = TestSpark.config(tmp.resolve(name + "-lake"), tmp.resolve(name + "-raw"), settings);
    return new Fixture(TestSpark.lake(config), config);
  }

  /** Appends rows to a gold table (TableRows: the forecast reads only dates, dimensions and cost_usd). */
  private static void append(Lakehouse lake, String table, List<Map<String, Object>> rows) {
    dev.costlake.testing.TableRows.append(lake, table, rows);
  }

  /** One row per day from first to last: the dimension columns and cost_usd(date). */
  private static List<Map<String, Object>> days(String first, String last, Map<String, Object> dimensions,
      Function<LocalDate, String> costUsd) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last)); d = d.plusDays(1)) {
      Map<String, Object> row = new LinkedHashMap<>(dimensions);
      row.put("event_date", d);
      row.put("cost_usd", costUsd.apply(d));
      rows.add(row);
    }
    return rows;
  }

  /** A table's rows as sorted strings, every column cast to string: tables compare exactly. */
  private static List<String> rows(Lakehouse lake, String table) {
    var df = lake.table(table);
    List<Column> cast = new ArrayList<>();
    for (String c : df.columns()) {
      cast.add(functions.coalesce(df.col(c).cast("string"), functions.lit("null")));
    }
    List<String> out = new ArrayList<>();
    for (Row row : df.select(functions.concat_ws("|", cast.toArray(Column[]::new))).collectAsList()) {
      out.add(row.getString(0));
    }
    out.sort(null);
    return out;
  }

  /**
   * Eleven days, Feb 27 to Mar 9: $12.50 a day in all. Tenant acme had all of it until zeta arrived
   * on Mar 6 and took $2.50 a day; one feature; one model served by two providers.
   */
  private static void elevenDays(Lakehouse lake) {
    append(lake, Lakehouse.COST_DAILY_TOTAL, days("2026-02-27", "2026-03-09", Map.of(), d -> "12.5"));
    List<Map<String, Object>> tenants = new ArrayList<>(days("2026-02-27", "2026-03-09", Map.of("tenant_id", "acme"),
        d -> d.isBefore(LocalDate.parse("2026-03-06")) ? "12.5" : "10"));
    tenants.addAll(days("2026-03-06", "2026-03-09", Map.of("tenant_id", "zeta"), d -> "2.5"));
    append(lake, Lakehouse.COST_DAILY_BY_TENANT, tenants);
    append(lake, Lakehouse.COST_DAILY_BY_FEATURE, days("2026-02-27", "2026-03-09", Map.of("feature", "chat"), d -> "12.5"));
    List<Map<String, Object>> models = new ArrayList<>(days("2026-02-27", "2026-03-09",
        Map.of("model", "gpt-4o-mini", "provider", "openai"), d -> "7.5"));
    models.addAll(days("2026-02-27", "2026-03-09", Map.of("model", "gpt-4o-mini", "provider", "azure"), d -> "5"));
    append(lake, Lakehouse.COST_DAILY_BY_MODEL, models);
  }

  @Test
  void eachScopesForecastIsWrittenAndARerunReplacesOnlyItsRunDatesRows() {
    Fixture f = fresh("job", Map.of());
    elevenDays(f.lake());
    ForecastSummary summary = ForecastJob.run(f.lake(), f.config(), MARCH_10);

    // Eleven days of history: the weekday level (the last 7 days' mean weekday and weekend day),
    // except zeta's 4 days (run rate). 9 of March's 31 days elapsed, 22 (16 weekdays, 6 weekend) to go.
    // The $12.50 scopes: 112.50 to date + 22 x 12.50 = 387.50; their interval: daily spread 0.25 (the
    // short-history floor), sd^2 = 22 x 3.125^2 (days) + (16 x 3.125/sqrt 5)^2 (weekday level)
    // + (6 x 3.125/sqrt 2)^2 (weekend level) + (0.005 x 12.5 x (4 + 5 + ... + 25))^2 (drift)
    // = 1288.1289; 387.50 -/+ 1.28155 x 35.8905.
    // acme: weekdays (12.5 x 3 + 10 x 2) / 5 = 11.50, weekends 10: 102.50 + 16 x 11.5 + 6 x 10 = 346.50;
    // burn rate 102.5 / 9 = 11.39, baseline 102.5 x 31 / 9 = 353.06.
    // zeta: 10 + 22 x 2.5 = 65 -/+ 1.28155 x 0.35 x 55; baseline 10 x 31 / 9 = 34.44.
    // The model's two providers are one scope.
    String common = "2026-03-10|2026-03-01|";
    String month = "|UTC|31|9|";
    assertEquals(List.of(
        common + "feature|chat" + month + "11|112.500000000|341.500000000|387.500000000|433.500000000|12.500000000|387.500000000|weekday_level",
        common + "model|gpt-4o-mini" + month + "11|112.500000000|341.500000000|387.500000000|433.500000000|12.500000000|387.500000000|weekday_level",
        common + "tenant|acme" + month + "11|102.500000000|305.630000000|346.500000000|387.370000000|11.390000000|353.060000000|weekday_level",
        common + "tenant|zeta" + month + "4|10.000000000|40.330000000|65.000000000|89.670000000|1.110000000|34.440000000|run_rate",
        common + "total|all" + month + "11|112.500000000|341.500000000|387.500000000|433.500000000|12.500000000|387.500000000|weekday_level"),
        rows(f.lake(), Lakehouse.SPEND_FORECAST));

    List<String> daily = rows(f.lake(), Lakehouse.SPEND_FORECAST_DAILY);
    assertEquals(5 * 30, daily.size());
    assertTrue(daily.containsAll(List.of(
        "2026-03-10|total|all|2026-03-10|Tue|false|8.100000000|12.500000000|16.900000000|weekday_level",
        "2026-03-10|total|all|2026-03-14|Sat|true|7.550000000|12.500000000|17.450000000|weekday_level",
        "2026-03-10|total|all|2026-04-08|Wed|false|7.380000000|12.500000000|17.620000000|weekday_level",
        "2026-03-10|tenant|acme|2026-03-14|Sat|true|6.040000000|10.000000000|13.960000000|weekday_level",
        "2026-03-10|tenant|zeta|2026-04-08|Wed|false|1.380000000|2.500000000|3.620000000|run_rate")), daily.toString());

    assertEquals(5, summary.scopes());
    assertEquals(150, summary.dailyRows());
    assertEquals(LocalDate.parse("2026-03-09"), summary.lastSpendDate());
    assertEquals(new BigDecimal("387.50"), summary.total().forecastP50Usd());
    assertEquals("total", summary.total().scopeType());

    List<String> before = rows(f.lake(), Lakehouse.SPEND_FORECAST);
    List<String> beforeDaily = rows(f.lake(), Lakehouse.SPEND_FORECAST_DAILY);
    ForecastJob.run(f.lake(), f.config(), MARCH_10);
    assertEquals(before, rows(f.lake(), Lakehouse.SPEND_FORECAST));
    assertEquals(beforeDaily, rows(f.lake(), Lakehouse.SPEND_FORECAST_DAILY));

    // The run of the 9th adds its own rows. Then late spend of March 9th arrives and the run of the
    // 10th is redone: its rows are replaced, the 9th's are left alone.
    ForecastJob.run(f.lake(), f.config(), MARCH_10.minusDays(1));
    List<String> ninth = rows(f.lake(), Lakehouse.SPEND_FORECAST).stream()
        .filter(r -> r.startsWith("2026-03-09|")).toList();
    assertEquals(5, ninth.size());
    append(f.lake(), Lakehouse.COST_DAILY_TOTAL, days("2026-03-09", "2026-03-09", Map.of(), d -> "1"));
    ForecastJob.run(f.lake(), f.config(), MARCH_10);
    List<String> after = rows(f.lake(), Lakehouse.SPEND_FORECAST);
    assertEquals(ninth, after.stream().filter(r -> r.startsWith("2026-03-09|")).toList());
    assertEquals(10, after.size());
    assertTrue(after.stream().anyMatch(r -> r.startsWith(common + "total|all" + month + "11|113.500000000|")),
        after.toString());
  }

  @Test
  void aReportingTimeZoneCountsEachHourOnItsLocalDate() {
    Fixture f = fresh("zone", Map.of("forecast.time-zone", "America/New_York"));
    // New York: UTC-5, UTC-4 from 2026-03-08 02:00 local (DST).
    Map<String, Instant> hours = new LinkedHashMap<>();
    hours.put("1", Instant.parse("2026-03-01T04:00:00Z"));   // Feb 28 23:00 EST: February
    hours.put("2", Instant.parse("2026-03-01T05:00:00Z"));   // Mar 1 00:00 EST
    hours.put("4", Instant.parse("2026-03-09T03:00:00Z"));   // Mar 8 23:00 EDT
    hours.put("8", Instant.parse("2026-03-10T03:00:00Z"));   // Mar 9 23:00 EDT: UTC's March 10th
    hours.put("16", Instant.parse("2026-03-10T04:00:00Z"));  // Mar 10 00:00 EDT: the run date, not to date
    List<Map<String, Object>> rows = new ArrayList<>();
    hours.forEach((cost, hour) -> rows.add(new LinkedHashMap<>(Map.of("event_date", LocalDate.ofInstant(hour, ZoneOffset.UTC),
        "event_hour", hour, "tenant_id", "acme", "feature", "chat", "user_id", "u1", "model", "gpt-4o-mini",
        "operation", "chat", "cost_usd", cost))));
    append(f.lake(), Lakehouse.COST_HOURLY, rows);

    ForecastSummary summary = ForecastJob.run(f.lake(), f.config(), MARCH_10);
    // To date: Mar 1 (2) + Mar 8 (4) + Mar 9 (8); in UTC it would be 1 + 2 + 4. History: Feb 28 .. Mar 9.
    assertEquals(List.of(
        "feature|chat|America/New_York|14.000000000|10",
        "model|gpt-4o-mini|America/New_York|14.000000000|10",
        "tenant|acme|America/New_York|14.000000000|10",
        "total|all|America/New_York|14.000000000|10"),
        f.lake().spark().sql("select concat_ws('|', scope_type, scope_value, time_zone, spend_to_date_usd, history_days)"
            + " from gold.spend_forecast").collectAsList().stream().map(r -> r.getString(0)).sorted().toList());
    assertEquals("America/New_York", summary.timeZone());
    assertEquals(LocalDate.parse("2026-03-09"), summary.lastSpendDate());
  }

  /** Weekdays $10, weekends $5, January 1st to February 28th 2026 (February: 240 in all). */
  private static void twoMonthsOfWeekdays(Lakehouse lake) {
    append(lake, Lakehouse.COST_DAILY_TOTAL, days("2026-01-01", "2026-02-28", Map.of(),
        d -> SpendForecaster.isWeekend(d) ? "5" : "10"));
  }

  @Test
  void theBacktestScoresEachRunDateAgainstItsMonthsActualTotal() {
    Fixture f = fresh("backtest", Map.of());
    twoMonthsOfWeekdays(f.lake());
    BacktestSummary summary = ForecastBacktest.run(f.lake(), f.config(), LocalDate.parse("2026-02-01"),
        LocalDate.parse("2026-02-28"), MID_MARCH);
    assertEquals(28, summary.runDates());
    assertEquals(1, summary.scopes());

    // Every February run date has a month or more of history: the weekday model forecasts 240.00
    // exactly. The baseline: on the 1st, Jan 25-31 (60) / 7 x 28 = 240; on the 2nd, Sunday's 5 x 28
    // = 140 (-41.667%); on the 10th, 75 x 28 / 9 = 233.33 (-2.779%); on the 28th, 235 x 28 / 27
    // = 243.70 (+1.542%).
    List<String> rows = rows(f.lake(), Lakehouse.FORECAST_ACCURACY);
    assertEquals(2 * 28 * 2, rows.size());  // total and all x 28 days x ours and baseline
    assertTrue(rows.containsAll(List.of(
        "all|1|baseline|1|0.000|0.000|null|2026-02-01|2026-02-01",
        "total|1|baseline|1|0.000|0.000|null|2026-02-01|2026-02-01",
        "total|1|ours|1|0.000|0.000|100.000|2026-02-01|2026-02-01",
        "total|2|baseline|1|41.667|-41.667|null|2026-02-01|2026-02-01",
        "total|10|baseline|1|2.779|-2.779|null|2026-02-01|2026-02-01",
        "total|10|ours|1|0.000|0.000|100.000|2026-02-01|2026-02-01",
        "total|28|baseline|1|1.542|1.542|null|2026-02-01|2026-02-01",
        "total|28|ours|1|0.000|0.000|100.000|2026-02-01|2026-02-01")), rows.toString());
    assertEquals(28, rows.stream().filter(r -> r.startsWith("total|") && r.contains("|ours|1|0.000|0.000|100.000|")).count());

    // Without a range: every month the data covers whole (January and February); a re-run
    // replaces the table whole.
    BacktestSummary all = ForecastBacktest.run(f.lake(), f.config(), null, null, MID_MARCH);
    assertEquals(LocalDate.parse("2026-01-01"), all.fromDate());
    assertEquals(LocalDate.parse("2026-02-28"), all.toDate());
    assertEquals(1L, f.lake().spark().sql("select count(distinct from_month, to_month) from gold.forecast_accuracy")
        .first().getLong(0));
    // January 1st had no history to forecast from: day 1 counts February only.
    assertEquals(1L, all.row("total", 1, BacktestScores.OURS).nForecasts());
    assertEquals(2L, all.row("total", 2, BacktestScores.OURS).nForecasts());

    // March is not over in the data: nothing to replay.
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ForecastBacktest.run(f.lake(),
        f.config(), LocalDate.parse("2026-03-01"), null, MID_MARCH));
    assertEquals("no run date from 2026-03-01 to the last day lies in a month the spend data covers whole"
        + " (spend from 2026-01-01 to 2026-02-28, UTC); nothing to replay", e.getMessage());
  }

  @Test
  void theCommandsRecordTheirRunsAndPrintTheForecastAndTheAccuracy() {
    Fixture f = fresh("cli", Map.of());
    twoMonthsOfWeekdays(f.lake());
    String[] lake = {"--set", "lake.path=" + tmp.resolve("cli-lake"), "--set", "raw.path=" + tmp.resolve("cli-raw"),
        "--set", "spark.master=local[2]"};
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int forecast;
    int backtest;
    try {
      forecast = Main.commandLine().execute(concat(new String[] {"forecast", "--as-of", "2026-02-10"}, lake));
      backtest = Main.commandLine().execute(concat(new String[] {"forecast", "backtest", "--from", "2026-02-01",
          "--to", "2026-02-28"}, lake));
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, forecast, printed);
    assertEquals(0, backtest, printed);
    String flat = printed.replaceAll(" +", " ");
    assertTrue(flat.contains(" total spend to date 75.000000000 USD (9 of 28 days)\n"), printed);
    assertTrue(flat.contains(" month-end forecast 240.00 USD (P10 240.00, P90 240.00; weekday_trend,"
        + " 40 days of history)\n"), printed);
    assertTrue(flat.contains(" burn-rate baseline 233.33 USD (8.33 a day)\n"), printed);
    // The backtest's table: day 10, one forecast, ours exact, the baseline 2.78% off, always covered.
    assertTrue(flat.contains(" 10 1 0.00% 2.78% 100.0%\n"), printed);
    assertEquals(List.of("forecast-backtest|succeeded", "forecast|succeeded"), f.lake().spark()
        .sql("select concat_ws('|', job, status) from ops.pipeline_runs").collectAsList().stream()
        .map(r -> r.getString(0)).sorted().toList());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
