package dev.costlake.generate;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Settings for one {@link EventGenerator} run; the compact constructor rejects values it cannot honour.
 *
 * @param startDate         first UTC day to generate
 * @param days              number of consecutive days, at least 1
 * @param eventsPerDay      average valid events per day before anomalies; the run draws exactly
 *                          {@code days * eventsPerDay}
 * @param seed              makes the output reproducible: same options, same bytes
 * @param malformedFraction malformed lines added per valid event of a file, in [0, 0.5]
 * @param duplicateFraction re-sent (byte-identical) lines added per valid event of a file, in [0, 0.5]
 * @param threads           hour-files written in parallel, at least 1; does not change the output
 * @param dailyGrowth       day {@code d}'s traffic weight is multiplied by {@code (1 + dailyGrowth)^d},
 *                          in [-0.5, 0.5]; 0 for a flat trend
 * @param dailyNoise        sigma of a per-day log-normal traffic factor with mean 1, in [0, 1]; 0 for none
 * @param anomalies         labelled anomalies to inject, at least 0; see {@link AnomalyPlan}
 */
public record GeneratorOptions(LocalDate startDate, int days, long eventsPerDay, long seed,
                               double malformedFraction, double duplicateFraction, int threads,
                               double dailyGrowth, double dailyNoise, int anomalies) {

  public static final double MAX_ABS_DAILY_GROWTH = 0.5;
  public static final double MAX_DAILY_NOISE = 1.0;

  public GeneratorOptions {
    Objects.requireNonNull(startDate, "startDate must not be null");
    if (days < 1) {
      throw new IllegalArgumentException("days must be >= 1, got " + days);
    }
    if (eventsPerDay < 1) {
      throw new IllegalArgumentException("eventsPerDay must be >= 1, got " + eventsPerDay);
    }
    requireFraction("malformedFraction", malformedFraction);
    requireFraction("duplicateFraction", duplicateFraction);
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (!(Math.abs(dailyGrowth) <= MAX_ABS_DAILY_GROWTH)) {
      throw new IllegalArgumentException("dailyGrowth must be in [-" + MAX_ABS_DAILY_GROWTH + ", "
          + MAX_ABS_DAILY_GROWTH + "], got " + dailyGrowth);
    }
    // A day weight that overflows or underflows would turn the apportioning into NaN or zeros.
    double lastDayTrend = StrictMath.pow(1 + dailyGrowth, days - 1);
    if (!(lastDayTrend >= 1e-100 && lastDayTrend <= 1e100)) {
      throw new IllegalArgumentException("dailyGrowth " + dailyGrowth + " over " + days
          + " days makes the last day's weight " + lastDayTrend + " times the first's; use fewer days");
    }
    if (!(dailyNoise >= 0 && dailyNoise <= MAX_DAILY_NOISE)) {
      throw new IllegalArgumentException("dailyNoise must be in [0, " + MAX_DAILY_NOISE + "], got "
          + dailyNoise);
    }
    AnomalyPlan.requireRoom(days, anomalies);
  }

  /** A run with a flat trend, no day-level noise and no anomalies. */
  public GeneratorOptions(LocalDate startDate, int days, long eventsPerDay, long seed,
                          double malformedFraction, double duplicateFraction, int threads) {
    this(startDate, days, eventsPerDay, seed, malformedFraction, duplicateFraction, threads,
        0.0, 0.0, 0);
  }

  public GeneratorOptions withDailyGrowth(double growth) {
    return new GeneratorOptions(startDate, days, eventsPerDay, seed, malformedFraction,
        duplicateFraction, threads, growth, dailyNoise, anomalies);
  }

  public GeneratorOptions withDailyNoise(double sigma) {
    return new GeneratorOptions(startDate, days, eventsPerDay, seed, malformedFraction,
        duplicateFraction, threads, dailyGrowth, sigma, anomalies);
  }

  public GeneratorOptions withAnomalies(int count) {
    return new GeneratorOptions(startDate, days, eventsPerDay, seed, malformedFraction,
        duplicateFraction, threads, dailyGrowth, dailyNoise, count);
  }

  private static void requireFraction(String name, double value) {
    // Written as a negated range test so that NaN is rejected too.
    if (!(value >= 0.0 && value <= 0.5)) {
      throw new IllegalArgumentException(name + " must be in [0, 0.5], got " + value);
    }
  }
}
