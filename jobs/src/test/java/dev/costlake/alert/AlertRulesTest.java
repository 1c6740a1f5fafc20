package dev.costlake.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each rule fires exactly when its threshold is crossed: one case on each side of it. */
class AlertRulesTest {
  private static BigDecimal d(String v) {
    return new BigDecimal(v);
  }

  private static BudgetJob.Status status(String kind, String spent, String lastDay, String status) {
    return new BudgetJob.Status(LocalDate.parse("2026-03-11"), "acme", kind, "tenant", "acme", "tenant:acme", 31,
        d("310"), d(spent), d(lastDay), d(spent).multiply(d("100")).divide(d("310"), 2, java.math.RoundingMode.HALF_UP),
        d("400"), d("450"), null, "p50", status, "2026-03-10");
  }

  @Test
  void budgetStatusesMapToSeveritiesAndOkIsSilent() {
    assertTrue(AlertRules.budget(status("budget", "100", "10", "ok")).isEmpty());
    Signal warning = AlertRules.budget(status("budget", "250", "10", "warning")).orElseThrow();
    assertEquals(Severity.WARNING, warning.severity());
    assertEquals("budget:tenant:acme", warning.dedupeKey());
    assertEquals("Budget acme (tenant:acme) at 80.65%", warning.title());
    assertEquals("$250.00 of $310.00 spent (80.65%) in 2026-03 through 2026-03-10; month-end forecast P50 $400.00.",
        warning.message());
    Signal exceeded = AlertRules.budget(status("budget", "320", "10", "exceeded")).orElseThrow();
    assertEquals(Severity.CRITICAL, exceeded.severity());
    assertEquals("Budget acme (tenant:acme) exceeded", exceeded.title());
    Signal forecast = AlertRules.budget(status("budget", "100", "10", "forecast_exceeds")).orElseThrow();
    assertEquals(Severity.WARNING, forecast.severity());
    assertEquals("Budget acme (tenant:acme) will be exceeded: forecast $400.00 vs budget $310.00", forecast.title());
    Signal quota = AlertRules.budget(status("quota", "250", "10", "warning")).orElseThrow();
    assertEquals("quota", quota.rule());
    assertEquals("Quota acme (tenant:acme) at 80.65%", quota.title());
  }

  @Test
  void dailyPaceFiresAboveTheMonthlyBudgetOverTheDaysInTheMonth() {
    // 310 / 31 = 10.00 a day.
    assertTrue(AlertRules.dailyBudgetPace(status("budget", "100", "10", "ok")).isEmpty());
    Signal s = AlertRules.dailyBudgetPace(status("budget", "100", "10.01", "ok")).orElseThrow();
    assertEquals("daily_budget_pace:tenant:acme", s.dedupeKey());
    assertEquals(d("10.000000000"), s.threshold());
    assertEquals("$10.01 on 2026-03-10 against $310.00 / 31 days = $10.00 a day.", s.message());
  }

  @Test
  void featureSpikeFiresAbove150PercentOfItsDailyAverage() {
    BigDecimal pct = d("150");
    BigDecimal min = d("1");
    assertTrue(AlertRules.featureDailySpike("chat", "2026-03-10", d("15"), d("10"), 28, pct, min).isEmpty());
    Signal s = AlertRules.featureDailySpike("chat", "2026-03-10", d("15.01"), d("10"), 28, pct, min).orElseThrow();
    assertEquals("Feature chat spent $15.01 on 2026-03-10, 150% of its daily average", s.title());
    assertEquals(d("15.000000000"), s.threshold());
    // Below min-usd, or without a baseline, never.
    assertTrue(AlertRules.featureDailySpike("chat", "2026-03-10", d("0.99"), d("0.10"), 28, pct, min).isEmpty());
    assertTrue(AlertRules.featureDailySpike("chat", "2026-03-10", d("50"), null, 0, pct, min).isEmpty());
  }

  @Test
  void spendThresholdsFireAboveAndTurnCriticalAtTwice() {
    assertTrue(AlertRules.spendAbove(AlertRules.HOURLY_SPEND, "Hour", "2026-03-10T13:00Z", d("100"), d("100")).isEmpty());
    Signal w = AlertRules.spendAbove(AlertRules.HOURLY_SPEND, "Hour", "2026-03-10T13:00Z", d("100.01"), d("100"))
        .orElseThrow();
    assertEquals(Severity.WARNING, w.severity());
    assertEquals("hourly_spend:total:all", w.dedupeKey());
    assertEquals("Hour 2026-03-10T13:00Z spent $100.01, above $100.00", w.title());
    assertEquals(Severity.WARNING, AlertRules.spendAbove(AlertRules.DAILY_SPEND, "Day", "2026-03-10", d("1999.99"),
        d("1000")).orElseThrow().severity());
    assertEquals(Severity.CRITICAL, AlertRules.spendAbove(AlertRules.DAILY_SPEND, "Day", "2026-03-10", d("2000"),
        d("1000")).orElseThrow().severity());
  }

  @Test
  void aSingleRequestFiresAboveOneDollar() {
    assertTrue(AlertRules.requestCost("chat", "2026-03-10T13:00Z", d("1"), 0, "e1", d("1")).isEmpty());
    Signal s = AlertRules.requestCost("chat", "2026-03-10T13:00Z", d("1.000000001"), 1, "e1", d("1")).orElseThrow();
    assertEquals("1 request of feature chat above $1.00 each in hour 2026-03-10T13:00Z", s.title());
    assertEquals("The costliest cost $1.00 (event e1).", s.message());
  }

  @Test
  void requestRateFiresAboveTwiceNormalWithEnoughRequests() {
    BigDecimal two = d("2");
    BigDecimal min = d("100");
    assertTrue(AlertRules.requestRate("h", 200, d("100"), two, min).isEmpty());
    assertEquals("request_rate:total:all", AlertRules.requestRate("h", 201, d("100"), two, min).orElseThrow().dedupeKey());
    // A quiet service tripling is no incident.
    assertTrue(AlertRules.requestRate("h", 99, d("10"), two, min).isEmpty());
  }

  @Test
  void anomaliesFireFromTheChosenSeverityWithTheirExplanation() {
    Optional<Signal> info = AlertRules.anomaly("day", "2026-03-10", "feature", "chat", "info", "new_spend", d("5"),
        d("0"), "first spend", Severity.WARNING);
    assertTrue(info.isEmpty());
    Signal s = AlertRules.anomaly("hour", "2026-03-10T13:00Z", "feature", "chat", "warning", "spike", d("50"), d("10"),
        "chat spent $50.00, 5x its usual; user:u_1 drove it.", Severity.WARNING).orElseThrow();
    assertEquals("anomaly_hour:feature:chat", s.dedupeKey());
    assertEquals("chat spent $50.00, 5x its usual; user:u_1 drove it.", s.message());
    assertEquals("Cost spike in feature chat (hour 2026-03-10T13:00Z): $50.00 vs usually $10.00", s.title());
    // The total reads as all spend, a tenant x feature with both names.
    assertEquals("Cost drop in all spend (day 2026-03-10): $1.00 vs usually $10.00", AlertRules.anomaly("day",
        "2026-03-10", "total", "all", "warning", "drop", d("1"), d("10"), "less", Severity.WARNING).orElseThrow().title());
    assertEquals("Cost spike in tenant/feature acme/chat (day 2026-03-10): $9.00 vs usually $1.00", AlertRules.anomaly(
        "day", "2026-03-10", "tenant_feature", "acme/chat", "critical", "spike", d("9"), d("1"), "more", Severity.WARNING)
        .orElseThrow().title());
  }

  @Test
  void unpricedModelsFailedRunsAndUnbalancedBooksFire() {
    assertTrue(AlertRules.unpricedModel("m", 0, "w").isEmpty());
    assertEquals("unpriced_model:model:m", AlertRules.unpricedModel("m", 1, "w").orElseThrow().dedupeKey());
    assertTrue(AlertRules.pipelineRunFailed("hourly", "succeeded", "r1", null).isEmpty());
    Signal failed = AlertRules.pipelineRunFailed("hourly", "failed", "r1", "boom").orElseThrow();
    assertEquals(Severity.CRITICAL, failed.severity());
    assertEquals("Run r1 failed: boom", failed.message());
    assertTrue(AlertRules.booksUnbalanced("gold.cost_daily", "cost_usd", "r1", d("5.0"), d("5")).isEmpty());
    assertEquals("books_unbalanced:rollup_table:gold.cost_daily",
        AlertRules.booksUnbalanced("gold.cost_daily", "cost_usd", "r1", d("5"), d("4.999999999")).orElseThrow()
            .dedupeKey());
  }
}
