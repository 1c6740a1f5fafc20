package dev.costlake.alert;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * The rules' decisions, pure: each takes what was measured and its threshold and says whether it
 * fires, how badly, and in what words. AlertInputs measures; AlertJob folds and delivers.
 */
public final class AlertRules {
  private AlertRules() {}

  public static final String BUDGET = "budget";
  public static final String QUOTA = "quota";
  public static final String DAILY_BUDGET_PACE = "daily_budget_pace";
  public static final String FEATURE_DAILY_SPIKE = "feature_daily_spike";
  public static final String HOURLY_SPEND = "hourly_spend";
  public static final String DAILY_SPEND = "daily_spend";
  public static final String REQUEST_COST = "request_cost";
  public static final String REQUEST_RATE = "request_rate";
  public static final String ANOMALY_HOUR = "anomaly_hour";
  public static final String ANOMALY_DAY = "anomaly_day";
  public static final String UNPRICED_MODEL = "unpriced_model";
  public static final String PIPELINE_RUN_FAILED = "pipeline_run_failed";
  public static final String BOOKS_UNBALANCED = "books_unbalanced";

  private static final BigDecimal HUNDRED = new BigDecimal(100);

  /** $1,234.57: amounts in messages, to the cent. */
  static String usd(BigDecimal amount) {
    return String.format(java.util.Locale.ROOT, "$%,.2f", amount.setScale(2, RoundingMode.HALF_UP));
  }

  private static String scopeType(BudgetJob.Status s) {
    return s.scopeType();
  }

  private static String scopeValue(BudgetJob.Status s) {
    return s.scopeType().equals("tag") ? s.scope().substring("tag:".length()) : s.scopeValue();
  }

  /**
   * A budget or quota not ok in gold.budget_status: exceeded is critical; warning and
   * forecast_exceeds (the forecast above the budget by more than its margin) are warnings. The rule
   * is the budget's kind (budget or quota).
   */
  public static Optional<Signal> budget(BudgetJob.Status s) {
    if (s.status().equals("ok")) {
      return Optional.empty();
    }
    String what = s.kind().equals("quota") ? "Quota" : "Budget";
    String head = what + " " + s.budgetName() + " (" + s.scope() + ")";
    String used = usd(s.spentUsd()) + " of " + usd(s.budgetUsd()) + " spent (" + s.pctUsed().toPlainString() + "%)";
    BigDecimal forecast = "p90".equals(s.forecastBasis()) ? s.forecastP90Usd() : s.forecastP50Usd();
    String forecastText = forecast == null ? "" : "; month-end forecast " + s.forecastBasis().toUpperCase(java.util.Locale.ROOT)
        + " " + usd(forecast);
    String exhaustion = s.projectedExhaustionDate() == null ? ""
        : "; used up " + (s.spentUsd().compareTo(s.budgetUsd()) >= 0 ? "on " : "by about ") + s.projectedExhaustionDate();
    String message = used + " in " + s.asOfDate().withDayOfMonth(1).toString().substring(0, 7) + " through "
        + s.through() + forecastText + exhaustion + ".";
    return Optional.of(switch (s.status()) {
      case "exceeded" -> new Signal(s.kind(), scopeType(s), scopeValue(s), Severity.CRITICAL, head + " exceeded",
          message, month(s), s.spentUsd(), s.budgetUsd(), "usd");
      case "forecast_exceeds" -> new Signal(s.kind(), scopeType(s), scopeValue(s), Severity.WARNING,
          head + " will be exceeded: forecast " + usd(forecast) + " vs budget " + usd(s.budgetUsd()), message, month(s),
          forecast, s.budgetUsd(), "usd");
      default -> new Signal(s.kind(), scopeType(s), scopeValue(s), Severity.WARNING,
          head + " at " + s.pctUsed().toPlainString() + "%", message, month(s), s.spentUsd(), s.budgetUsd(), "usd");
    });
  }

  private static String month(BudgetJob.Status s) {
    return s.asOfDate().withDayOfMonth(1).toString().substring(0, 7);
  }

  /** Yesterday's spend of a budget's scope above its monthly amount / days in the month (kind budget only). */
  public static Optional<Signal> dailyBudgetPace(BudgetJob.Status s) {
    if (!s.kind().equals("budget") || s.lastDaySpentUsd().multiply(BigDecimal.valueOf(s.daysInMonth()))
        .compareTo(s.budgetUsd()) <= 0) {
      return Optional.empty();
    }
    BigDecimal pace = s.budgetUsd().divide(BigDecimal.valueOf(s.daysInMonth()), 9, RoundingMode.HALF_UP);
    String day = s.asOfDate().minusDays(1).toString();
    return Optional.of(new Signal(DAILY_BUDGET_PACE, scopeType(s), scopeValue(s), Severity.WARNING,
        "Budget " + s.budgetName() + " (" + s.scope() + ") spent " + usd(s.lastDaySpentUsd()) + " on " + day
            + ", above its daily pace of " + usd(pace),
        usd(s.lastDaySpentUsd()) + " on " + day + " against " + usd(s.budgetUsd()) + " / " + s.daysInMonth()
            + " days = " + usd(pace) + " a day.", day, s.lastDaySpentUsd(), pace, "usd"));
  }

  /**
   * A feature's spend on a day above pct % of its mean daily spend over the baseline days it had
   * spend; a day below minUsd, or a feature without baseline, never fires.
   */
  public static Optional<Signal> featureDailySpike(String feature, String day, BigDecimal dayUsd,
      BigDecimal baselineMeanUsd, int baselineDays, BigDecimal pct, BigDecimal minUsd) {
    if (baselineDays == 0 || baselineMeanUsd == null || baselineMeanUsd.signum() <= 0 || dayUsd.compareTo(minUsd) < 0
        || dayUsd.multiply(HUNDRED).compareTo(baselineMeanUsd.multiply(pct)) <= 0) {
      return Optional.empty();
    }
    BigDecimal threshold = baselineMeanUsd.multiply(pct).divide(HUNDRED, 9, RoundingMode.HALF_UP);
    BigDecimal ofMean = dayUsd.multiply(HUNDRED).divide(baselineMeanUsd, 0, RoundingMode.HALF_UP);
    return Optional.of(new Signal(FEATURE_DAILY_SPIKE, "feature", feature, Severity.WARNING,
        "Feature " + feature + " spent " + usd(dayUsd) + " on " + day + ", " + ofMean + "% of its daily average",
        usd(dayUsd) + " on " + day + " against a mean of " + usd(baselineMeanUsd) + " a day over its last "
            + baselineDays + " days with spend (threshold " + pct.stripTrailingZeros().toPlainString() + "%: "
            + usd(threshold) + ").", day, dayUsd, threshold, "usd"));
  }

  /** Total spend of a period above a threshold: warning, critical from twice the threshold. */
  public static Optional<Signal> spendAbove(String rule, String what, String period, BigDecimal spentUsd,
      BigDecimal thresholdUsd) {
    if (spentUsd == null || spentUsd.compareTo(thresholdUsd) <= 0) {
      return Optional.empty();
    }
    Severity severity = spentUsd.compareTo(thresholdUsd.multiply(BigDecimal.valueOf(2))) >= 0
        ? Severity.CRITICAL : Severity.WARNING;
    return Optional.of(new Signal(rule, "total", "all", severity,
        what + " " + period + " spent " + usd(spentUsd) + ", above " + usd(thresholdUsd),
        "Total spend of " + what.toLowerCase(java.util.Locale.ROOT) + " " + period + ": " + usd(spentUsd)
            + " (threshold " + usd(thresholdUsd) + ").", period, spentUsd, thresholdUsd, "usd"));
  }

  /** Requests of a feature in an hour that cost more than the threshold each. */
  public static Optional<Signal> requestCost(String feature, String hour, BigDecimal maxRequestUsd, long requestsAbove,
      String costliestEventId, BigDecimal thresholdUsd) {
    if (maxRequestUsd == null || maxRequestUsd.compareTo(thresholdUsd) <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Signal(REQUEST_COST, "feature", feature, Severity.WARNING,
        requestsAbove + " request" + (requestsAbove == 1 ? "" : "s") + " of feature " + feature + " above "
            + usd(thresholdUsd) + " each in hour " + hour,
        "The costliest cost " + usd(maxRequestUsd) + " (event " + costliestEventId + ").", hour, maxRequestUsd,
        thresholdUsd, "usd"));
  }

  /**
   * An hour's requests above multiple x its normal (the same hour on the days before); an hour with fewer than
   * minRequests never fires (a quiet service doubling is no incident).
   */
  public static Optional<Signal> requestRate(String hour, long requests, BigDecimal baselineMeanRequests,
      BigDecimal multiple, BigDecimal minRequests) {
    if (baselineMeanRequests == null || baselineMeanRequests.signum() <= 0
        || BigDecimal.valueOf(requests).compareTo(minRequests) < 0
        || BigDecimal.valueOf(requests).compareTo(baselineMeanRequests.multiply(multiple)) <= 0) {
      return Optional.empty();
    }
    BigDecimal threshold = baselineMeanRequests.multiply(multiple).setScale(2, RoundingMode.HALF_UP);
    return Optional.of(new Signal(REQUEST_RATE, "total", "all", Severity.WARNING,
        "Request rate in hour " + hour + ": " + requests + " requests, above " + multiple.stripTrailingZeros()
            .toPlainString() + "x normal",
        requests + " requests in hour " + hour + " against a normal of "
            + baselineMeanRequests.setScale(1, RoundingMode.HALF_UP).toPlainString()
            + " (the mean of that hour on the days before; threshold "
            + threshold.toPlainString() + ").", hour, BigDecimal.valueOf(requests), threshold, "requests"));
  }

  /** An anomaly of gold.cost_anomalies at or above minSeverity, with its explanation. */
  public static Optional<Signal> anomaly(String grain, String periodText, String scopeType, String scopeValue,
      String severity, String direction, BigDecimal actualUsd, BigDecimal expectedUsd, String explanation,
      Severity minSeverity) {
    Severity s = Severity.parse(severity);
    if (s.compareTo(minSeverity) < 0) {
      return Optional.empty();
    }
    return Optional.of(new Signal(grain.equals("hour") ? ANOMALY_HOUR : ANOMALY_DAY, scopeType, scopeValue, s,
        "Cost " + direction.replace('_', ' ') + " in " + anomalyScope(scopeType, scopeValue) + " (" + grain + " "
            + periodText + "): " + usd(actualUsd) + " vs usually " + usd(expectedUsd),
        explanation, periodText, actualUsd, expectedUsd, "usd"));
  }

  /** An anomaly's scope in words: all spend, tenant acme, tenant/feature acme/chat. */
  static String anomalyScope(String scopeType, String scopeValue) {
    return switch (scopeType) {
      case "total" -> "all spend";
      case "tenant_feature" -> "tenant/feature " + scopeValue;
      default -> scopeType + " " + scopeValue;
    };
  }

  /** A model with unpriced events: its cost is unknown until its price is added. */
  public static Optional<Signal> unpricedModel(String model, long unpricedEvents, String window) {
    if (unpricedEvents <= 0) {
      return Optional.empty();
    }
    return Optional.of(new Signal(UNPRICED_MODEL, "model", model, Severity.WARNING,
        "Model " + model + " has no price: " + unpricedEvents + " unpriced event" + (unpricedEvents == 1 ? "" : "s"),
        unpricedEvents + " events of model " + model + " in " + window + " matched no catalog price (add it, then"
            + " costlake reprice).", window, BigDecimal.valueOf(unpricedEvents), BigDecimal.ZERO, "count"));
  }

  /** The latest finished run of a job failed. */
  public static Optional<Signal> pipelineRunFailed(String job, String status, String runId, String error) {
    if (!"failed".equals(status)) {
      return Optional.empty();
    }
    return Optional.of(new Signal(PIPELINE_RUN_FAILED, "job", job, Severity.CRITICAL,
        "The latest " + job + " run failed", "Run " + runId + " failed: " + (error == null ? "no error recorded" : error),
        runId, null, null, "count"));
  }

  /** The latest rollup check found a table whose sums differ from silver's. */
  public static Optional<Signal> booksUnbalanced(String table, String measure, String runId, BigDecimal silverValue,
      BigDecimal rollupValue) {
    if (silverValue.compareTo(rollupValue) == 0) {
      return Optional.empty();
    }
    return Optional.of(new Signal(BOOKS_UNBALANCED, "rollup_table", table, Severity.CRITICAL,
        "The books of " + table + " do not balance (" + measure + ")",
        "Run " + runId + ": " + measure + " sums to " + rollupValue.toPlainString() + " in " + table + " but "
            + silverValue.toPlainString() + " in silver.cost_events.", runId, rollupValue, silverValue, "count"));
  }
}
