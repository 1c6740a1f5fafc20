package dev.costlake.forecast;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Month-end spend forecasts from one scope's daily series: pure functions, no Spark.
 *
 * <p>The month is the calendar month of the run date (as_of_date); its spend to date (the days
 * before the run date) is known exactly, so only the remaining days, the run date to the month's
 * last day, are forecast. Which method depends on the scope's history: the days from its first
 * spend (at most forecast.history-days back) to the day before the run date.
 * <ul>
 *   <li>{@value #WEEKDAY_TREND} (28 days or more, with spend on every day of the last 8 weeks, or of
 *       the whole history if shorter):
 *       day-of-week factors from the last 12 weeks (each day over its centred 7-day mean, which
 *       neither the weekly pattern nor a steady trend biases; per weekday the mean without the
 *       highest and lowest), times a level and trend fitted to the log of the last 8 weeks'
 *       deseasonalised days by Theil-Sen (the median of pairwise slopes), so that one odd day moves
 *       neither. Growth is multiplicative, like spend; the trend is damped, so a steep slope
 *       flattens out instead of compounding for a month.
 *   <li>{@value #WEEKDAY_TREND_POOLED} (forecastAll only): weekday_trend for a tenant, feature or model
 *       whose trend and weekday factors are pulled toward the total's by how much noisier its own are
 *       than its type's real differences from the total (pool()).
 *   <li>{@value #WEEKDAY_LEVEL} (7 to 27 days, or a scope with days without spend): the last 7
 *       days' mean weekday and mean weekend day, without a trend; the interval allows for an
 *       untracked one.
 *   <li>{@value #RUN_RATE} (fewer than 7 days): the mean day, with a wide interval.
 * </ul>
 * The P10-P90 interval is a normal one around the forecast: the scope's own day-to-day spread
 * (robust, from its residuals) over the remaining days, plus the error of the fitted level and trend,
 * which moves every remaining day the same way and so does not average out. Its multipliers were
 * calibrated with ForecastAccuracyTest, on synthetic series made like `costlake generate`'s traffic,
 * to hold about 80% of month totals.
 */
public final class SpendForecaster {
  public static final String WEEKDAY_TREND = "weekday_trend";
  public static final String WEEKDAY_LEVEL = "weekday_level";
  public static final String RUN_RATE = "run_rate";
  /** weekday_trend with its trend and weekday factors pooled with the total's (forecastAll). */
  public static final String WEEKDAY_TREND_POOLED = "weekday_trend_pooled";
  /** Pooling needs siblings to measure how much scopes of a type really differ from the total. */
  static final int POOL_MIN_SIBLINGS = 3;

  static final int TREND_MIN_HISTORY_DAYS = 28;
  static final int LEVEL_MIN_HISTORY_DAYS = 7;
  /** Weekday factors from the last 12 weeks: 10 to 12 days of each weekday, enough to drop an odd one. */
  static final int SEASONAL_WINDOW_DAYS = 84;
  /**
   * Level and trend from the last 8 weeks: with day-to-day noise of 10-15%, 4 weeks leave the slope
   * uncertain by +/-0.3% a day, which a month of extrapolation turns into +/-7%. On the synthetic
   * series, 8 weeks instead of 4 (with the 12-week factors) took the day-10 error from 5.2% to 3.9%.
   */
  static final int TREND_WINDOW_DAYS = 56;
  /** One of each weekday: a longer window lags a trend it does not model (measured on the synthetic series). */
  static final int LEVEL_WINDOW_DAYS = 7;
  /** On the 1st nothing of the month has elapsed: the baseline's burn rate is the mean of the last 7 days. */
  static final int BASELINE_DAY_ONE_DAYS = 7;
  /** Each day ahead keeps this share of the day before's growth: at most 49 days' worth of the slope in all. */
  static final double TREND_DAMPING = 0.98;
  /** The standard normal's 90th percentile: P10 and P90 are the forecast -/+ this many standard deviations. */
  static final double Z_P90 = 1.2815515655446004;
  /** weekday_trend's mean-over-median estimate clips the log residuals at this many robust standard deviations. */
  static final double SMEAR_CLIP_SD = 3;
  /** A normal standard deviation from the median absolute deviation. */
  static final double MAD_TO_SD = 1.4826;
  /**
   * weekday_trend's spread multiplier: residuals of days the factors and the line were fitted to
   * understate the error on days they were not (calibrated: 80% coverage on the synthetic series).
   */
  static final double TREND_SPREAD = 1.25;
  /** The relative daily drift an untracked trend may have: what weekday_level's interval allows for. */
  static final double LEVEL_DRIFT_PER_DAY = 0.005;
  /** weekday_level trusts no less than this relative daily spread from a week of days. */
  static final double SHORT_HISTORY_MIN_REL_SD = 0.25;
  /** run_rate's spread, relative to the forecast of the remaining days (weekends alone are 45% below weekdays). */
  static final double RUN_RATE_REL_SD = 0.35;

  private SpendForecaster() {}

  /** The real number of days of the month of date (28 or 29 in February). */
  public static int daysInMonth(LocalDate date) {
    return date.lengthOfMonth();
  }

  public static boolean isWeekend(LocalDate date) {
    return date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
  }

  /**
   * The forecast of series' month as of asOf, and its next horizonDays days (from asOf on); null if the
   * scope had no spend in the history window nor in the month to date.
   */
  public static ScopeForecast forecast(ScopeSeries series, LocalDate asOf, int historyDays, int horizonDays) {
    History history = History.of(series, asOf, historyDays);
    if (history == null) {
      return null;
    }
    int remaining = asOf.lengthOfMonth() - asOf.getDayOfMonth() + 1;
    return assemble(series, asOf, history,
        project(history.days(), history.firstDate(), Math.max(remaining, horizonDays)), horizonDays);
  }

  /**
   * Every scope's forecast as of asOf, in the order of series (scopes without spend in the window
   * left out). Each scope is forecast from its own history, as forecast() does, except that a
   * weekday_trend scope below the total (a tenant, feature or model) borrows strength from the
   * total's fit: its trend and weekday factors are pulled toward the total's by as much as its own
   * estimates are noisier than its siblings really differ ({@value #WEEKDAY_TREND_POOLED}; see
   * pool()).
   */
  public static List<ScopeForecast> forecastAll(List<ScopeSeries> series, LocalDate asOf, int historyDays,
      int horizonDays) {
    int remaining = asOf.lengthOfMonth() - asOf.getDayOfMonth() + 1;
    int days = Math.max(remaining, horizonDays);
    Map<ScopeSeries, History> histories = new LinkedHashMap<>();
    Map<ScopeSeries, TrendFit> fits = new LinkedHashMap<>();
    TrendFit parent = null;
    for (ScopeSeries scope : series) {
      History history = History.of(scope, asOf, historyDays);
      if (history == null) {
        continue;
      }
      histories.put(scope, history);
      if (trendEligible(history.days())) {
        TrendFit fit = fitTrend(history.days(), history.firstDate());
        fits.put(scope, fit);
        if (scope.scopeType().equals(ScopeSeries.TOTAL) && scope.scopeValue().equals(ScopeSeries.ALL)) {
          parent = fit;
        }
      }
    }
    Map<String, double[]> dispersion = new LinkedHashMap<>();
    if (parent != null) {
      Map<String, List<TrendFit>> byType = new LinkedHashMap<>();
      fits.forEach((scope, fit) -> {
        if (!scope.scopeType().equals(ScopeSeries.TOTAL)) {
          byType.computeIfAbsent(scope.scopeType(), k -> new ArrayList<>()).add(fit);
        }
      });
      for (var entry : byType.entrySet()) {
        if (entry.getValue().size() >= POOL_MIN_SIBLINGS) {
          dispersion.put(entry.getKey(), siblingDispersion(entry.getValue(), parent));
        }
      }
    }
    List<ScopeForecast> forecasts = new ArrayList<>();
    for (var entry : histories.entrySet()) {
      ScopeSeries scope = entry.getKey();
      History history = entry.getValue();
      TrendFit own = fits.get(scope);
      double[] tau2 = dispersion.get(scope.scopeType());
      Projection projection;
      if (own != null && tau2 != null) {
        TrendFit pooled = pool(own, parent, tau2[0], tau2[1], history.days(), history.firstDate());
        projection = trendProjection(pooled, history.firstDate().plusDays(history.days().length), days,
            WEEKDAY_TREND_POOLED);
      } else {
        projection = project(history.days(), history.firstDate(), days);
      }
      forecasts.add(assemble(scope, asOf, history, projection, horizonDays));
    }
    return forecasts;
  }

  /**
   * A scope's history as of a run date: its daily spend from its first day (at most historyDays
   * back) to the day before the run date, starting on firstDate.
   */
  record History(double[] days, LocalDate firstDate) {
    /** null if the scope had no spend in the history window nor in the month to date. */
    static History of(ScopeSeries series, LocalDate asOf, int historyDays) {
      LocalDate monthStart = asOf.withDayOfMonth(1);
      LocalDate historyStart = asOf.minusDays(historyDays);
      LocalDate windowStart = monthStart.isBefore(historyStart) ? monthStart : historyStart;
      if (!series.hasSpendBetween(windowStart, asOf.minusDays(1))) {
        return null;
      }
      double[] days = series.dense(historyStart, asOf);
      return new History(days, asOf.minusDays(days.length));
    }
  }

  /** The month's forecast and the next horizonDays days from a projection of its remaining days. */
  private static ScopeForecast assemble(ScopeSeries series, LocalDate asOf, History history, Projection projection,
      int horizonDays) {
    LocalDate monthStart = asOf.withDayOfMonth(1);
    int daysInMonth = daysInMonth(asOf);
    int elapsed = asOf.getDayOfMonth() - 1;
    int remaining = daysInMonth - elapsed;
    BigDecimal spendToDate = series.spendUsd(monthStart, asOf.minusDays(1));
    double toDate = spendToDate.doubleValue();
    double remainingMean = 0;
    for (int h = 0; h < remaining; h++) {
      remainingMean += projection.mean[h];
    }
    double sd = projection.spread * Math.sqrt(projection.sumVariance(remaining));
    double p50 = toDate + remainingMean;
    BigDecimal atLeast = spendToDate.setScale(2, RoundingMode.CEILING);
    BigDecimal p10 = cents(Math.max(toDate, p50 - Z_P90 * sd)).max(atLeast);
    BigDecimal p50Usd = cents(p50).max(p10);
    BigDecimal p90 = cents(p50 + Z_P90 * sd).max(p50Usd);

    List<ScopeForecast.Day> days = new ArrayList<>();
    for (int h = 0; h < horizonDays; h++) {
      double daySd = projection.spread * Math.sqrt(projection.dayVariance(h));
      BigDecimal dayP10 = cents(Math.max(0, projection.mean[h] - Z_P90 * daySd));
      BigDecimal dayP50 = cents(projection.mean[h]).max(dayP10);
      days.add(new ScopeForecast.Day(asOf.plusDays(h), dayP10, dayP50,
          cents(projection.mean[h] + Z_P90 * daySd).max(dayP50)));
    }

    BigDecimal burnRate;
    BigDecimal baseline;
    if (elapsed > 0) {
      burnRate = spendToDate.divide(BigDecimal.valueOf(elapsed), 2, RoundingMode.HALF_UP);
      baseline = spendToDate.multiply(BigDecimal.valueOf(daysInMonth))
          .divide(BigDecimal.valueOf(elapsed), 2, RoundingMode.HALF_UP);
    } else {
      // On the 1st no day of the month has elapsed: the burn rate is the mean of the last 7 days
      // (of the scope's life, if it is younger), so the baseline still says something.
      int days7 = Math.min(BASELINE_DAY_ONE_DAYS, history.days().length);
      BigDecimal last7 = series.spendUsd(asOf.minusDays(days7), asOf.minusDays(1));
      burnRate = days7 == 0 ? BigDecimal.ZERO.setScale(2)
          : last7.divide(BigDecimal.valueOf(days7), 2, RoundingMode.HALF_UP);
      baseline = days7 == 0 ? BigDecimal.ZERO.setScale(2)
          : last7.multiply(BigDecimal.valueOf(daysInMonth)).divide(BigDecimal.valueOf(days7), 2, RoundingMode.HALF_UP);
    }
    return new ScopeForecast(series.scopeType(), series.scopeValue(), asOf, monthStart, daysInMonth, elapsed,
        history.days().length, spendToDate, p10, p50Usd, p90, burnRate, baseline, projection.method, days);
  }

  static BigDecimal cents(double usd) {
    return BigDecimal.valueOf(usd).setScale(2, RoundingMode.HALF_UP);
  }

  /**
   * The future days' expected spend and its uncertainty. Each day has its own noise (variance
   * noise[h], independent between days) plus parts shared by all days (an error in the level or the
   * trend moves every day the same way): correlated[k][h] is part k's standard deviation on day h.
   */
  record Projection(String method, double[] mean, double[] noise, List<double[]> correlated, double spread) {
    /** Variance of the sum of the first days days. */
    double sumVariance(int days) {
      double variance = 0;
      for (int h = 0; h < days; h++) {
        variance += noise[h];
      }
      for (double[] part : correlated) {
        double sum = 0;
        for (int h = 0; h < days; h++) {
          sum += part[h];
        }
        variance += sum * sum;
      }
      return variance;
    }

    double dayVariance(int h) {
      double variance = noise[h];
      for (double[] part : correlated) {
        variance += part[h] * part[h];
      }
      return variance;
    }
  }

  /** The next days days from the history y (its first day firstDate, its last the day before the first forecast day). */
  static Projection project(double[] y, LocalDate firstDate, int days) {
    LocalDate start = firstDate.plusDays(y.length);
    if (trendEligible(y)) {
      return trendProjection(fitTrend(y, firstDate), start, days, WEEKDAY_TREND);
    }
    if (y.length >= LEVEL_MIN_HISTORY_DAYS) {
      return weekdayLevel(y, firstDate, start, days);
    }
    return runRate(y, days);
  }

  private static boolean trendEligible(double[] y) {
    return y.length >= TREND_MIN_HISTORY_DAYS && allPositive(y, Math.max(0, y.length - TREND_WINDOW_DAYS));
  }

  /**
   * weekday_trend's fit of a history: the day-of-week factors (with each one's standard error,
   * relative), and the line through the log of the last TREND_WINDOW_DAYS deseasonalised days: its
   * value at the window's last day, its slope (with its standard error), the robust spread of the
   * residuals around it and the mean day over the median one (smear).
   */
  record TrendFit(double[] factors, double[] factorSe, double logLevel, double slope, double slopeSe, double sd,
      double smear, int window) {}

  static TrendFit fitTrend(double[] y, LocalDate firstDate) {
    List<List<Double>> ratios = weekdayRatios(y, firstDate);
    double[] factors = factorsOf(ratios);
    int w = Math.min(y.length, TREND_WINDOW_DAYS);
    double slope = theilSen(deseasonalised(y, firstDate, factors, w))[1];
    Line line = fitLine(y, firstDate, factors, slope, w);
    double[] factorSe = new double[7];
    for (int d = 0; d < 7; d++) {
      // A factor is the trimmed mean of a weekday's ratios to its centred week: each ratio carries
      // the day's noise and a seventh of it again through the week's mean.
      factorSe[d] = factors[d] * line.sd() * Math.sqrt(8.0 / 7 / Math.max(1, ratios.get(d).size() - 2));
    }
    double sxx = w * ((double) w * w - 1) / 12;
    return new TrendFit(factors, factorSe, line.logLevel(), slope, line.sd() / Math.sqrt(sxx), line.sd(),
        line.smear(), w);
  }

  /** The log of the last w days of y over their weekday factors. */
  private static double[] deseasonalised(double[] y, LocalDate firstDate, double[] factors, int w) {
    int offset = y.length - w;
    double[] logZ = new double[w];
    for (int i = 0; i < w; i++) {
      logZ[i] = Math.log(y[offset + i] / factor(factors, firstDate.plusDays(offset + i)));
    }
    return logZ;
  }

  /** A line of known slope through a window's log days: its value at the last day, the residuals' spread and smear. */
  private record Line(double logLevel, double sd, double smear) {}

  /**
   * The line of the given slope through the log of the last w deseasonalised days (its level the
   * median, so that odd days do not move it), the robust spread of the residuals and the smear.
   */
  private static Line fitLine(double[] y, LocalDate firstDate, double[] factors, double slope, int w) {
    double[] logZ = deseasonalised(y, firstDate, factors, w);
    double[] atLast = new double[w];
    for (int i = 0; i < w; i++) {
      atLast[i] = logZ[i] + slope * (w - 1 - i);
    }
    double logLevel = median(atLast);
    double[] residuals = new double[w];
    for (int i = 0; i < w; i++) {
      residuals[i] = atLast[i] - logLevel;
    }
    // Day noise is multiplicative: the spread of the log residuals is the relative daily spread.
    double sd = MAD_TO_SD * medianAbs(residuals);
    // The line runs through the median day; spend adds up the mean day. How far the mean lies above
    // the median is measured from the residuals themselves (Duan's smearing estimate: the mean of
    // their exponentials), not assumed lognormal: a small scope's day is a sum of a few dozen
    // heavy-tailed request costs, whose log spread overstates exp(sd^2 / 2). Residuals are clipped
    // at SMEAR_CLIP_SD robust standard deviations, so that one odd day does not lift every forecast day.
    return new Line(logLevel, sd, meanOverMedian(residuals, sd));
  }

  /**
   * A scope's fit pulled toward its parent's (the total's): partial pooling, the empirical-Bayes
   * way. Its slope moves toward the parent's by the share slopeSe^2 / (slopeSe^2 + slopeTau2) and
   * each weekday factor toward the parent's likewise, where tau2 is how much the siblings' true
   * slopes (factors) differ from the parent's, measured across them (siblingDispersion). A small
   * scope, whose 8 weeks cannot tell a 0.5 %/day trend from its noise, takes the total's trend and
   * weekly shape and keeps its own level; a large one, or one whose trend really differs (a feature
   * ramping up), keeps its own. The level is refitted to the scope's days under the pooled slope and
   * factors.
   */
  static TrendFit pool(TrendFit own, TrendFit parent, double slopeTau2, double factorTau2, double[] y,
      LocalDate firstDate) {
    double slopeWeight = ownWeight(slopeTau2, own.slopeSe());
    double slope = parent.slope() + slopeWeight * (own.slope() - parent.slope());
    // The pooled slope's error: the own estimate's, scaled by its weight, and the parent's, by the rest.
    double slopeSe = Math.sqrt(slopeWeight * own.slopeSe() * own.slopeSe()
        + Math.pow((1 - slopeWeight) * parent.slopeSe(), 2));
    double[] factors = new double[7];
    double total = 0;
    for (int d = 0; d < 7; d++) {
      double weight = ownWeight(factorTau2, own.factorSe()[d]);
      factors[d] = parent.factors()[d] + weight * (own.factors()[d] - parent.factors()[d]);
      total += factors[d];
    }
    for (int d = 0; d < 7; d++) {
      factors[d] = factors[d] * 7 / total;
    }
    Line line = fitLine(y, firstDate, factors, slope, own.window());
    return new TrendFit(factors, own.factorSe(), line.logLevel(), slope, slopeSe, line.sd(), line.smear(),
        own.window());
  }

  /** The weight of an own estimate with standard error se when true values differ from the parent's by variance tau2. */
  private static double ownWeight(double tau2, double se) {
    double variance = se * se;
    return variance == 0 || Double.isInfinite(tau2) ? 1 : tau2 / (tau2 + variance);
  }

  /**
   * {slopeTau2, factorTau2}: how much siblings' true slopes, and weekday factors, differ from the
   * parent's, estimated across them as the mean squared difference less the mean sampling variance
   * (never below zero). The plain mean, not a robust one: one sibling that really differs should make
   * pooling more cautious for all.
   */
  static double[] siblingDispersion(List<TrendFit> siblings, TrendFit parent) {
    double slopeSquares = 0;
    double slopeVariance = 0;
    double factorSquares = 0;
    double factorVariance = 0;
    for (TrendFit fit : siblings) {
      slopeSquares += Math.pow(fit.slope() - parent.slope(), 2);
      slopeVariance += fit.slopeSe() * fit.slopeSe();
      for (int d = 0; d < 7; d++) {
        factorSquares += Math.pow(fit.factors()[d] - parent.factors()[d], 2);
        factorVariance += fit.factorSe()[d] * fit.factorSe()[d];
      }
    }
    int n = siblings.size();
    return new double[] {Math.max(0, (slopeSquares - slopeVariance) / n),
        Math.max(0, (factorSquares - factorVariance) / (7.0 * n))};
  }

  /** weekday_trend's projection of a fit: the damped trend from the level, times each day's weekday factor. */
  static Projection trendProjection(TrendFit fit, LocalDate start, int days, String method) {
    int w = fit.window();
    double level = Math.exp(fit.logLevel()) * fit.smear();
    double[] mean = new double[days];
    double[] noise = new double[days];
    double[] levelPart = new double[days];
    double[] trendPart = new double[days];
    double damped = 0;
    for (int h = 0; h < days; h++) {
      damped += Math.pow(TREND_DAMPING, h + 1);
      mean[h] = level * Math.exp(fit.slope() * damped) * factor(fit.factors(), start.plusDays(h));
      noise[h] = Math.pow(fit.sd() * mean[h], 2);
      // The fitted line's error at the window's centre and in its slope, which grows with the
      // distance from that centre; both move every day the same way.
      levelPart[h] = fit.sd() * mean[h] / Math.sqrt(w);
      trendPart[h] = fit.slopeSe() * mean[h] * ((w - 1) / 2.0 + damped);
    }
    return new Projection(method, mean, noise, List.of(levelPart, trendPart), TREND_SPREAD);
  }

  /** The mean of exp(r) over the log residuals r, each clipped to +/- SMEAR_CLIP_SD x sd (Duan's smearing). */
  static double meanOverMedian(double[] residuals, double sd) {
    double sum = 0;
    for (double r : residuals) {
      sum += Math.exp(Math.max(-SMEAR_CLIP_SD * sd, Math.min(SMEAR_CLIP_SD * sd, r)));
    }
    return sum / residuals.length;
  }

  private static boolean allPositive(double[] y, int from) {
    for (int i = from; i < y.length; i++) {
      if (y[i] <= 0) {
        return false;
      }
    }
    return true;
  }

  static Projection weekdayLevel(double[] y, LocalDate firstDate, LocalDate start, int days) {
    int w = Math.min(y.length, LEVEL_WINDOW_DAYS);
    int offset = y.length - w;
    double weekdaySum = 0;
    double weekendSum = 0;
    int weekdays = 0;
    int weekends = 0;
    for (int i = offset; i < y.length; i++) {
      if (isWeekend(firstDate.plusDays(i))) {
        weekendSum += y[i];
        weekends++;
      } else {
        weekdaySum += y[i];
        weekdays++;
      }
    }
    // 7 days or more hold both weekdays and a weekend.
    double weekdayLevel = weekdaySum / weekdays;
    double weekendLevel = weekendSum / weekends;
    double squares = 0;
    for (int i = offset; i < y.length; i++) {
      double level = isWeekend(firstDate.plusDays(i)) ? weekendLevel : weekdayLevel;
      if (level > 0) {
        squares += Math.pow(y[i] / level - 1, 2);
      }
    }
    // Two levels were fitted to w days.
    double relSd = Math.max(SHORT_HISTORY_MIN_REL_SD, Math.sqrt(squares / (w - 2)));
    double[] mean = new double[days];
    double[] noise = new double[days];
    double[] weekdayPart = new double[days];
    double[] weekendPart = new double[days];
    double[] driftPart = new double[days];
    for (int h = 0; h < days; h++) {
      boolean weekend = isWeekend(start.plusDays(h));
      mean[h] = weekend ? weekendLevel : weekdayLevel;
      noise[h] = Math.pow(relSd * mean[h], 2);
      weekdayPart[h] = weekend ? 0 : relSd * weekdayLevel / Math.sqrt(weekdays);
      weekendPart[h] = weekend ? relSd * weekendLevel / Math.sqrt(weekends) : 0;
      // The level is the mean of days centred (w - 1) / 2 days before the last one.
      driftPart[h] = LEVEL_DRIFT_PER_DAY * mean[h] * (h + 1 + (w - 1) / 2.0);
    }
    return new Projection(WEEKDAY_LEVEL, mean, noise, List.of(weekdayPart, weekendPart, driftPart), 1.0);
  }

  static Projection runRate(double[] y, int days) {
    double level = y.length == 0 ? 0 : mean(y);
    double[] mean = new double[days];
    double[] part = new double[days];
    Arrays.fill(mean, level);
    Arrays.fill(part, RUN_RATE_REL_SD * level);
    return new Projection(RUN_RATE, mean, new double[days], List.of(part), 1.0);
  }

  /**
   * Multiplicative day-of-week factors (index: ISO day of week - 1, Monday = 0) averaging 1: each day
   * of the last 12 weeks over its centred 7-day mean (which holds one of each weekday, so neither the
   * weekly pattern nor a steady trend biases it), per weekday the mean without the highest and the
   * lowest (an odd day, and the days whose 7-day mean it inflated, fall out).
   */
  static double[] weekdayFactors(double[] y, LocalDate firstDate) {
    return factorsOf(weekdayRatios(y, firstDate));
  }

  /** Per weekday (Monday first), each day of the last 12 weeks over its centred 7-day mean. */
  private static List<List<Double>> weekdayRatios(double[] y, LocalDate firstDate) {
    int offset = Math.max(0, y.length - SEASONAL_WINDOW_DAYS);
    List<List<Double>> ratios = new ArrayList<>();
    for (int d = 0; d < 7; d++) {
      ratios.add(new ArrayList<>());
    }
    for (int i = offset + 3; i + 3 < y.length; i++) {
      double sum = 0;
      for (int j = i - 3; j <= i + 3; j++) {
        sum += y[j];
      }
      if (sum > 0) {
        ratios.get(firstDate.plusDays(i).getDayOfWeek().getValue() - 1).add(y[i] / (sum / 7));
      }
    }
    return ratios;
  }

  /** Per weekday the trimmed mean of its ratios, scaled so that the seven average 1. */
  private static double[] factorsOf(List<List<Double>> ratios) {
    double[] factors = new double[7];
    double total = 0;
    for (int d = 0; d < 7; d++) {
      List<Double> r = ratios.get(d);
      factors[d] = r.isEmpty() ? 1 : trimmedMean(r.stream().mapToDouble(Double::doubleValue).toArray());
      total += factors[d];
    }
    for (int d = 0; d < 7; d++) {
      factors[d] = total > 0 ? factors[d] * 7 / total : 1;
    }
    return factors;
  }

  private static double factor(double[] factors, LocalDate date) {
    double f = factors[date.getDayOfWeek().getValue() - 1];
    // A weekday that never had spend has factor 0: its deseasonalised value is unknown, not infinite.
    return f > 0 ? f : 1;
  }

  /**
   * Theil-Sen line through (i, z[i]): {its value at the last index, its slope}. The slope is the
   * median of all pairwise slopes and the intercept the median residual, so a minority of odd days
   * cannot tilt it.
   */
  static double[] theilSen(double[] z) {
    int n = z.length;
    double[] slopes = new double[n * (n - 1) / 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        slopes[k++] = (z[j] - z[i]) / (j - i);
      }
    }
    double slope = n < 2 ? 0 : median(slopes);
    double[] atLast = new double[n];
    for (int i = 0; i < n; i++) {
      atLast[i] = z[i] + slope * (n - 1 - i);
    }
    return new double[] {median(atLast), slope};
  }

  /** The mean without the smallest and the largest value (when there are more than 2): one odd day does not count. */
  static double trimmedMean(double[] values) {
    if (values.length <= 2) {
      return mean(values);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return mean(Arrays.copyOfRange(sorted, 1, sorted.length - 1));
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double medianAbs(double[] values) {
    double[] abs = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      abs[i] = Math.abs(values[i]);
    }
    return median(abs);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
