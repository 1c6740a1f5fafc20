package dev.costlake.anomaly;

import dev.costlake.config.CostlakeConfig;
import java.math.BigDecimal;

/**
 * How anomalies are judged (the anomalies.* config keys).
 *
 * @param zThreshold          |z| at or above which a period is anomalous
 * @param robust              median and MAD (scaled by 1.4826) instead of mean and standard deviation
 * @param minBaselinePeriods  comparable periods a scope needs (from its first spend on) before it is judged
 * @param minImpactUsd        |actual - expected| below this is never flagged, whatever z says
 * @param minStddevFraction   the baseline spread is taken as at least this fraction of the expected cost
 * @param hourBaselineWeeks   hours: the same hour of the week over at most this many previous weeks
 * @param trailingHours       hours with too little history for weeks: the trailing this-many hours
 * @param dayBaselineDays     days: the trailing this-many days of the same kind (weekday or weekend)
 */
public record AnomalySettings(double zThreshold, boolean robust, int minBaselinePeriods, BigDecimal minImpactUsd,
    double minStddevFraction, int hourBaselineWeeks, int trailingHours, int dayBaselineDays) {

  /** Spread floor in USD: a baseline of identical values would otherwise make any cent infinitely surprising. */
  public static final BigDecimal MIN_STDDEV_USD = new BigDecimal("0.01");

  /**
   * Requests and cached share (int_usage_anomalies_detected.sql): a fall of less than this fraction of
   * the usual is never flagged, however unusual (a broken feature or cache loses most of it; a busy
   * total losing one feature's share is not news). Set a priori, not yet tuned: docs/benchmarks.md
   * gives the tuning seed and the held-out seeds to measure it on.
   */
  public static final double MIN_FALL_FRACTION = 0.5;

  /** A scope whose usual cached share of input is below this has no prompt cache to lose. */
  public static final double MIN_CACHED_INPUT_SHARE = 0.02;

  public static AnomalySettings from(CostlakeConfig config) {
    return new AnomalySettings(config.anomalyZThreshold(), config.anomalyRobust(), config.anomalyMinBaselinePeriods(),
        config.anomalyMinImpactUsd(), config.anomalyMinStddevFraction(), config.anomalyHourBaselineWeeks(),
        config.anomalyTrailingHours(), config.anomalyDayBaselineDays());
  }

  /** The method named in gold.cost_anomalies.stat_method. */
  public String statMethod() {
    return robust ? "median_mad" : "mean_stddev";
  }
}
