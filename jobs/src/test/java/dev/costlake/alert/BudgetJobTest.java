package dev.costlake.alert;

import static dev.costlake.alert.AlertFixtures.event;
import static dev.costlake.alert.AlertFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.costlake.config.ConfigException;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TestSpark;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gold.budget_status from a few events and forecasts in a real lakehouse: every column of every budget, exactly. */
class BudgetJobTest {
  /** March 2026 has 31 days; the 11th's run counts the 10 days before it. */
  private static final LocalDate MARCH_11 = LocalDate.parse("2026-03-11");

  /** One lakehouse for the class (opening one costs more than a test); each test has its own run dates. */
  @TempDir static Path tmp;

  private static Lakehouse shared;

  private static synchronized Lakehouse lake(CostlakeConfig config) {
    if (shared == null) {
      shared = TestSpark.lake(config);
    }
    return shared;
  }

  private static Map<String, String> budgets() {
    Map<String, String> b = new HashMap<>();
    b.put("budgets.all-up.scope", "all");
    b.put("budgets.all-up.monthly-usd", "110");
    b.put("budgets.acme.scope", "tenant:acme");
    b.put("budgets.acme.monthly-usd", "100");
    b.put("budgets.search.scope", "tag:team=search");
    b.put("budgets.search.monthly-usd", "50");
    b.put("budgets.p1.scope", "project:p1");
    b.put("budgets.p1.monthly-usd", "3.5");
    b.put("budgets.zeta-p90.scope", "tenant:zeta");
    b.put("budgets.zeta-p90.monthly-usd", "10");
    b.put("budgets.zeta-p90.forecast", "p90");
    b.put("budgets.zeta-p50.scope", "tenant:zeta");
    b.put("budgets.zeta-p50.monthly-usd", "10");
    return b;
  }

  /**
   * acme spends $10 a day, Mar 1 to 10 (and on Feb 28 and Mar 11, outside the window); zeta $3 on
   * Mar 5 in project p1 tagged team=search, and an unpriced event. Forecasts: total p50 $320, acme
   * $310, zeta p50 $9 and p90 $11.50 (above 10 + 10%).
   */
  private static void fixture(Lakehouse lake) {
    List<Map<String, Object>> events = new ArrayList<>();
    events.add(event("feb", "2026-02-28T12:00:00Z", "acme", "chat", "10"));
    for (int d = 1; d <= 11; d++) {
      events.add(event("acme-" + d, String.format("2026-03-%02dT12:00:00Z", d), "acme", "chat", "10"));
    }
    Map<String, Object> zeta = event("zeta-1", "2026-03-05T08:30:00Z", "zeta", "search", "3");
    zeta.put("project", "p1");
    zeta.put("tags", Map.of("team", "search"));
    events.add(zeta);
    events.add(event("zeta-unpriced", "2026-03-05T09:00:00Z", "zeta", "search", null));
    AlertFixtures.append(lake, Lakehouse.COST_EVENTS, events);
    AlertFixtures.append(lake, Lakehouse.SPEND_FORECAST, List.of(
        forecast("total", "all", "320", "400"), forecast("tenant", "acme", "310", "330"),
        forecast("tenant", "zeta", "9", "11.5"), forecast("feature", "chat", "1", "1")));
  }

  private static Map<String, Object> forecast(String type, String value, String p50, String p90) {
    return row("as_of_date", MARCH_11, "month", LocalDate.parse("2026-03-01"), "scope_type", type, "scope_value", value,
        "forecast_p50_usd", p50, "forecast_p90_usd", p90);
  }

  private static List<String> rows(Lakehouse lake) {
    return rows(lake, "month = date'2026-03-01'");
  }

  private static List<String> rows(Lakehouse lake, String where) {
    List<String> out = new ArrayList<>();
    for (Row r : lake.spark().sql("select concat_ws('|', as_of_date, budget_name, kind, scope_type, scope_value,"
        + " coalesce(tag_key, 'null'), month, time_zone, days_in_month, days_elapsed, budget_usd, spent_usd,"
        + " last_day_spent_usd, pct_used, coalesce(cast(forecast_p50_usd as string), 'null'),"
        + " coalesce(cast(forecast_p90_usd as string), 'null'), coalesce(cast(projected_exhaustion_date as string),"
        + " 'null'), forecast_basis, status) from gold.budget_status where " + where
        + " order by as_of_date, budget_name, scope_value").collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }

  @Test
  void everyBudgetsSpendForecastExhaustionAndStatusAreExactAndARerunReplacesItsDate() {
    CostlakeConfig config = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), budgets());
    Lakehouse lake = lake(config);
    fixture(lake);

    List<BudgetJob.Status> statuses = BudgetJob.run(lake, config, MARCH_11);
    BudgetJob.run(lake, config, MARCH_11);

    String head = "2026-03-11|";
    String month = "|2026-03-01|UTC|31|10|";
    assertEquals(List.of(
        // 100 of 100: exceeded, used up on the 10th.
        head + "acme|budget|tenant|acme|null" + month
            + "100.000000000|100.000000000|10.000000000|100.00|310.000000000|330.000000000|2026-03-10|p50|exceeded",
        // 103 of 110 (93.64%), forecast 320 > 121: forecast_exceeds (above warning); 7 left at 10.30 a day: the 11th.
        head + "all-up|budget|all|all|null" + month
            + "110.000000000|103.000000000|10.000000000|93.64|320.000000000|400.000000000|2026-03-11|p50|forecast_exceeds",
        // Quota on project p1: 3 of 3.50 = 85.71% (warning); 0.50 left at 0.30 a day: 2 days, the 12th.
        head + "p1|quota|project|p1|null" + month
            + "3.500000000|3.000000000|0.000000000|85.71|null|null|2026-03-12|p50|warning",
        // Tag team=search: 3 of 50, ok; at 0.30 a day it lasts the month.
        head + "search|budget|tag|search|team" + month
            + "50.000000000|3.000000000|0.000000000|6.00|null|null|null|p50|ok",
        // zeta: P50 9 is within 10 + 10%: ok (no exhaustion within the month).
        head + "zeta-p50|budget|tenant|zeta|null" + month
            + "10.000000000|3.000000000|0.000000000|30.00|9.000000000|11.500000000|null|p50|ok",
        // zeta on P90: 11.50 > 11: forecast_exceeds.
        head + "zeta-p90|budget|tenant|zeta|null" + month
            + "10.000000000|3.000000000|0.000000000|30.00|9.000000000|11.500000000|null|p90|forecast_exceeds"),
        rows(lake));
    assertEquals(6, statuses.size());
    assertEquals(statuses, BudgetJob.read(lake, MARCH_11));
    assertEquals("tag:team=search", statuses.get(3).scope());
    assertEquals(LocalDate.parse("2026-03-10"), statuses.get(0).projectedExhaustionDate());
    assertEquals(new java.math.BigDecimal("10.000000000"), statuses.get(0).lastDaySpentUsd());

    // Another run date adds its own rows and leaves the 11th's alone.
    BudgetJob.run(lake, config, LocalDate.parse("2026-03-02"));
    List<String> all = rows(lake);
    assertEquals(12, all.size());
    assertEquals("2026-03-02|acme|budget|tenant|acme|null|2026-03-01|UTC|31|1|100.000000000|10.000000000|"
        + "10.000000000|10.00|null|null|2026-03-10|p50|ok", all.get(0));
  }

  @Test
  void theMonthAndItsDaysAreThoseOfTheReportingTimeZone() {
    CostlakeConfig config = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of(
        "forecast.time-zone", "Asia/Tokyo", "budgets.tokyo.scope", "tenant:tokyo", "budgets.tokyo.monthly-usd", "4"));
    Lakehouse lake = lake(config);
    // Tokyo is UTC+9: 14:30Z on Mar 31 is still March there; 15:30Z is April 1st; 15:30Z on April 1st
    // is April 2nd, the run date, not counted yet.
    AlertFixtures.append(lake, Lakehouse.COST_EVENTS, List.of(
        event("t-march", "2026-03-31T14:30:00Z", "tokyo", "chat", "1"),
        event("t-april-1", "2026-03-31T15:30:00Z", "tokyo", "chat", "3.2"),
        event("t-april-2", "2026-04-01T15:30:00Z", "tokyo", "chat", "5")));
    BudgetJob.run(lake, config, LocalDate.parse("2026-04-02"));
    // 3.20 of 4 (80%: warning); 0.80 left at 3.20 a day: used up on the 2nd.
    assertEquals(List.of("2026-04-02|tokyo|budget|tenant|tokyo|null|2026-04-01|Asia/Tokyo|30|1|4.000000000|"
        + "3.200000000|3.200000000|80.00|null|null|2026-04-02|p50|warning"), rows(lake, "month = date'2026-04-01'"));
  }

  @Test
  void aQuotaPerUserAndABudgetPerTeamGiveEachValueWithSpendItsOwnRow() {
    CostlakeConfig config = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of(
        "budgets.each-user.scope", "user:*", "budgets.each-user.monthly-usd", "8",
        "budgets.each-team.scope", "tag:team=*", "budgets.each-team.monthly-usd", "100"));
    Lakehouse lake = lake(config);
    List<Map<String, Object>> events = new ArrayList<>();
    events.add(user(event("ua-1", "2026-05-01T10:00:00Z", "acme", "chat", "5"), "u_a", "search"));
    events.add(user(event("ua-2", "2026-05-02T10:00:00Z", "acme", "chat", "5"), "u_a", "search"));
    events.add(user(event("ub-1", "2026-05-02T11:00:00Z", "acme", "chat", "1"), "u_b", "ads"));
    events.add(user(event("ub-2", "2026-05-02T12:00:00Z", "acme", "chat", "5.4"), "u_b", null));
    // Unpriced: no spend, so no row for u_c.
    events.add(user(event("uc-1", "2026-05-02T13:00:00Z", "acme", "chat", null), "u_c", "ads"));
    AlertFixtures.append(lake, Lakehouse.COST_EVENTS, events);

    List<BudgetJob.Status> statuses = BudgetJob.run(lake, config, LocalDate.parse("2026-05-03"));

    String head = "2026-05-03|";
    String month = "|2026-05-01|UTC|31|2|";
    assertEquals(List.of(
        // team=ads: $1 (u_b's untagged $5.40 is no team's), lasts the month; team=search: u_a's $10,
        // $90 left at $5 a day: 18 days from the 3rd, the 20th.
        head + "each-team|budget|tag|ads|team" + month
            + "100.000000000|1.000000000|1.000000000|1.00|null|null|null|p50|ok",
        head + "each-team|budget|tag|search|team" + month
            + "100.000000000|10.000000000|5.000000000|10.00|null|null|2026-05-20|p50|ok",
        // u_a: $10 of $8, used up on the 2nd (5 + 5 >= 8); u_b: $6.40 of $8 = 80%, warning, 1.60 left
        // at 3.20 a day lasts until the 3rd.
        head + "each-user|quota|user|u_a|null" + month
            + "8.000000000|10.000000000|5.000000000|125.00|null|null|2026-05-02|p50|exceeded",
        head + "each-user|quota|user|u_b|null" + month
            + "8.000000000|6.400000000|6.400000000|80.00|null|null|2026-05-03|p50|warning"),
        rows(lake, "month = date'2026-05-01'"));
    assertEquals(List.of("tag:team=ads", "tag:team=search", "user:u_a", "user:u_b"),
        statuses.stream().map(BudgetJob.Status::scope).toList());
    assertEquals("quota:user:u_b", AlertRules.budget(statuses.get(3)).orElseThrow().dedupeKey());
  }

  @Test
  void theHourlyJudgesBudgetsOnTheMonthsSpendUpToTheHoursEndOnEachSideOfTheThreshold() {
    CostlakeConfig config = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of(
        "budgets.each-user.scope", "user:*", "budgets.each-user.monthly-usd", "10",
        "budgets.june-all.scope", "all", "budgets.june-all.monthly-usd", "100"));
    Lakehouse lake = lake(config);
    // u_a: $3 on Jun 1 and 2, then on the 3rd $1.99 at 09:10, $0.01 at 10:20, $2 at 11:30; u_c: $0.50
    // at 09:30 on the 3rd (no spend before: no row in the nightly's status).
    List<Map<String, Object>> events = new ArrayList<>();
    events.add(user(event("ja-1", "2026-06-01T12:00:00Z", "acme", "chat", "3"), "u_a", null));
    events.add(user(event("ja-2", "2026-06-02T12:00:00Z", "acme", "chat", "3"), "u_a", null));
    events.add(user(event("ja-3", "2026-06-03T09:10:00Z", "acme", "chat", "1.99"), "u_a", null));
    events.add(user(event("jc-1", "2026-06-03T09:30:00Z", "acme", "chat", "0.5"), "u_c", null));
    events.add(user(event("ja-4", "2026-06-03T10:20:00Z", "acme", "chat", "0.01"), "u_a", null));
    events.add(user(event("ja-5", "2026-06-03T11:30:00Z", "acme", "chat", "2"), "u_a", null));
    AlertFixtures.append(lake, Lakehouse.COST_EVENTS, events);
    AlertFixtures.append(lake, Lakehouse.SPEND_FORECAST, List.of(row("as_of_date", LocalDate.parse("2026-06-03"),
        "month", LocalDate.parse("2026-06-01"), "scope_type", "total", "scope_value", "all",
        "forecast_p50_usd", "150", "forecast_p90_usd", "180")));
    // The nightly of the 3rd: $6 of u_a's through the 2nd; the all-up forecast of $150 is above $110.
    BudgetJob.run(lake, config, LocalDate.parse("2026-06-03"));

    // Through 10:00: u_a $7.99 (79.90%, ok; warning is at 80%), u_c $0.50.
    assertEquals(List.of(
            "each-user u_a 7.990000000 79.90 null null ok the hour 2026-06-03T09:00Z",
            "each-user u_c 0.500000000 5.00 null null ok the hour 2026-06-03T09:00Z",
            "june-all all 8.490000000 8.49 150.000000000 null forecast_exceeds the hour 2026-06-03T09:00Z"),
        intraday(lake, config, "2026-06-03T09:00:00Z"));
    // A quota added after the nightly has no spend there to build on: the month comes from silver.
    CostlakeConfig added = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of(
        "budgets.each-user.scope", "user:*", "budgets.each-user.monthly-usd", "10",
        "budgets.june-all.scope", "all", "budgets.june-all.monthly-usd", "100",
        "budgets.u-a.scope", "user:u_a", "budgets.u-a.monthly-usd", "7"));
    assertEquals(List.of(
            "each-user u_a 7.990000000 79.90 null null ok the hour 2026-06-03T09:00Z",
            "each-user u_c 0.500000000 5.00 null null ok the hour 2026-06-03T09:00Z",
            "june-all all 8.490000000 8.49 150.000000000 null forecast_exceeds the hour 2026-06-03T09:00Z",
            "u-a u_a 7.990000000 114.14 null 2026-06-03 exceeded the hour 2026-06-03T09:00Z"),
        intraday(lake, added, "2026-06-03T09:00:00Z"));
    // Through 11:00: u_a $8.00, 80.00%: warning.
    assertEquals("each-user u_a 8.000000000 80.00 null null warning the hour 2026-06-03T10:00Z",
        intraday(lake, config, "2026-06-03T10:00:00Z").get(0));
    // Through 12:00: u_a $10.00: exceeded, used up on the 3rd.
    List<BudgetJob.Status> noon = BudgetJob.intraday(lake, config, Instant.parse("2026-06-03T11:00:00Z"));
    assertEquals("each-user u_a 10.000000000 100.00 null 2026-06-03 exceeded the hour 2026-06-03T11:00Z",
        line(noon.get(0)));
    Signal quota = AlertRules.budget(noon.get(0)).orElseThrow();
    assertEquals("quota:user:u_a", quota.dedupeKey());
    assertEquals(Severity.CRITICAL, quota.severity());
    assertEquals("$10.00 of $10.00 spent (100.00%) in 2026-06 through the hour 2026-06-03T11:00Z; used up on 2026-06-03.",
        quota.message());
    // Nothing was written: the nightly's two rows (all, and u_a, the one user with spend before the
    // 3rd) are the only ones of June.
    assertEquals(2, rows(lake, "month = date'2026-06-01'").size());

    // The hourly run's rules (the others turned off): the quota alert opens with the hour that
    // crossed its 80%; daily_budget_pace stays the nightly's, so an hourly run never resolves it.
    Map<String, String> alerting = new HashMap<>(Map.of(
        "budgets.each-user.scope", "user:*", "budgets.each-user.monthly-usd", "10",
        "budgets.june-all.scope", "all", "budgets.june-all.monthly-usd", "100", "alerts.enabled", "true"));
    for (String other : List.of("hourly-spend", "request-cost", "request-rate", "anomaly", "unpriced-model",
        "pipeline-run")) {
      alerting.put("alerts.rules." + other + ".enabled", "false");
    }
    CostlakeConfig judged = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), alerting);
    AlertJob.Summary ten = new AlertJob(lake, judged, Clock.fixed(Instant.parse("2026-06-03T11:05:00Z"),
        ZoneOffset.UTC)).hourly(Instant.parse("2026-06-03T10:00:00Z"),
        () -> BudgetJob.intraday(lake, judged, Instant.parse("2026-06-03T10:00:00Z")));
    assertEquals(null, ten.error());
    assertEquals(java.util.Set.of(AlertRules.BUDGET, AlertRules.QUOTA), ten.rulesEvaluated());
    assertEquals(List.of("budget:all:all warning", "quota:user:u_a warning"), ten.signals().stream()
        .filter(g -> g.rule().equals(AlertRules.BUDGET) || g.rule().equals(AlertRules.QUOTA))
        .map(g -> g.dedupeKey() + " " + g.severity().label()).sorted().toList());
  }

  /** Without a nightly in the month, the hourly counts the month from its first day. */
  @Test
  void beforeTheMonthsFirstNightlyTheHourlyCountsTheMonthFromSilver() {
    CostlakeConfig config = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of(
        "budgets.each-user.scope", "user:*", "budgets.each-user.monthly-usd", "10"));
    Lakehouse lake = lake(config);
    AlertFixtures.append(lake, Lakehouse.COST_EVENTS, List.of(
        user(event("jul-0", "2026-06-30T23:59:59Z", "acme", "chat", "5"), "u_j", null),
        user(event("jul-1", "2026-07-01T00:00:00Z", "acme", "chat", "9"), "u_j", null),
        user(event("jul-2", "2026-07-01T01:00:00Z", "acme", "chat", "1"), "u_j", null)));
    assertEquals(List.of("each-user u_j 9.000000000 90.00 null null warning the hour 2026-07-01T00:00Z"),
        intraday(lake, config, "2026-07-01T00:00:00Z"));
  }

  private static List<String> intraday(Lakehouse lake, CostlakeConfig config, String hour) {
    return BudgetJob.intraday(lake, config, Instant.parse(hour)).stream().map(BudgetJobTest::line).toList();
  }

  private static String line(BudgetJob.Status s) {
    return String.join(" ", s.budgetName(), s.scopeValue(), s.spentUsd().toPlainString(), s.pctUsed().toPlainString(),
        String.valueOf(s.forecastP50Usd()), String.valueOf(s.projectedExhaustionDate()), s.status(), s.through());
  }

  private static Map<String, Object> user(Map<String, Object> event, String userId, String team) {
    event.put("user_id", userId);
    if (team != null) {
      event.put("tags", Map.of("team", team));
    }
    return event;
  }

  @Test
  void badBudgetsFailWithTheKeyNamed() {
    ConfigException scope = assertThrows(ConfigException.class, () -> TestSpark.config(tmp.resolve("l"),
        tmp.resolve("r"), Map.of("budgets.x.scope", "team:search", "budgets.x.monthly-usd", "5")));
    assertEquals("Cannot set budgets.x.scope to 'team:search': must be all, tenant:ID, feature:NAME, user:ID,"
        + " model:NAME, project:NAME or tag:KEY=VALUE, or * for the value to give each one its own budget"
        + " (user:* is a quota per user)", scope.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class, () -> TestSpark.config(tmp.resolve("l"),
        tmp.resolve("r"), Map.of("budgets.x.scope", "all", "budgets.x.monthly", "5")));
    assertEquals("Unknown configuration key 'budgets.x.monthly': a budget has "
        + "[scope, monthly-usd, warn-pct, exceed-pct, forecast, forecast-margin-pct]", unknown.getMessage());
  }
}
