package dev.costlake.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The accuracy targets, on synthetic daily spend made the way `costlake generate` makes traffic
 * (weekdays weight 1.0, weekends 0.55) with a daily growth and lognormal day-to-day noise, replayed
 * by the backtest's own code (BacktestScores): the median forecast's error on day 10 of the month
 * at most half the burn-rate baseline's, and 75-90% of month totals within P10-P90.
 */
class ForecastAccuracyTest {
  private static final LocalDate FIRST_DAY = LocalDate.parse("2026-01-01");
  private static final LocalDate LAST_DAY = LocalDate.parse("2026-06-30");

  /** base x (1 + growth)^day x weekday weight x exp(sigma x N(0, 1)), USD to the nano. */
  static ScopeSeries synthetic(String name, double baseUsd, double growthPerDay, double sigma, long seed) {
    Random random = new Random(seed);
    TreeMap<LocalDate, BigDecimal> costs = new TreeMap<>();
    int day = 0;
    for (LocalDate d = FIRST_DAY; !d.isAfter(LAST_DAY); d = d.plusDays(1), day++) {
      double weight = SpendForecaster.isWeekend(d) ? 0.55 : 1.0;
      double usd = baseUsd * Math.pow(1 + growthPerDay, day) * weight * Math.exp(sigma * random.nextGaussian());
      costs.put(d, BigDecimal.valueOf(usd).setScale(9, RoundingMode.HALF_UP));
    }
    return new ScopeSeries(ScopeSeries.TOTAL, name, costs);
  }

  /** 36 series: growth 0.5%, 0.75% and 1% a day x noise 0.10, 0.125 and 0.15 x 4 seeds. */
  static List<ScopeSeries> grid() {
    List<ScopeSeries> series = new ArrayList<>();
    long seed = 1;
    for (double growth : new double[] {0.005, 0.0075, 0.01}) {
      for (double sigma : new double[] {0.10, 0.125, 0.15}) {
        for (int i = 0; i < 4; i++) {
          series.add(synthetic("g" + growth + "-s" + sigma + "-" + i, 1000, growth, sigma, seed++));
        }
      }
    }
    return series;
  }

  private static BacktestSummary replay(List<ScopeSeries> series, LocalDate from) {
    List<LocalDate> dates = BacktestScores.asOfDates(FIRST_DAY, LAST_DAY, from, null);
    List<BacktestScores.Accuracy> rows = BacktestScores.score(series, dates, 91);
    return new BacktestSummary(dates.get(0), dates.get(dates.size() - 1), dates.size(), series.size(), rows);
  }

  private static void print(String title, BacktestSummary summary) {
    System.out.printf("%s: run dates %s to %s, %d series%n", title, summary.fromDate(), summary.toDate(),
        summary.scopes());
    for (int day : new int[] {1, 5, 10, 15, 20, 25}) {
      BacktestScores.Accuracy ours = summary.row(ScopeSeries.TOTAL, day, BacktestScores.OURS);
      BacktestScores.Accuracy baseline = summary.row(ScopeSeries.TOTAL, day, BacktestScores.BASELINE);
      System.out.printf("  day %2d: MAPE ours %6.2f%%  baseline %6.2f%%  coverage %5.1f%%  (n=%d)%n", day,
          ours.mapePct(), baseline.mapePct(), ours.coveragePct(), ours.nForecasts());
    }
    System.out.printf("  P10-P90 coverage over every run date: %.1f%%%n", summary.coveragePct(ScopeSeries.TOTAL));
  }

  @Test
  void withAMonthOfHistoryTheDayTenErrorIsAtMostHalfTheBaselinesAndEightyPercentOfTotalsAreCovered() {
    BacktestSummary summary = replay(grid(), LocalDate.parse("2026-02-01"));
    print("February to June (a month of history or more)", summary);
    double ours = summary.row(ScopeSeries.TOTAL, 10, BacktestScores.OURS).mapePct().doubleValue();
    double baseline = summary.row(ScopeSeries.TOTAL, 10, BacktestScores.BASELINE).mapePct().doubleValue();
    assertTrue(ours <= baseline / 2, "day 10 MAPE " + ours + "% vs the baseline's " + baseline + "%");
    double coverage = summary.coveragePct(ScopeSeries.TOTAL);
    assertTrue(coverage >= 75 && coverage <= 90, "P10-P90 coverage " + coverage + "%");
  }

  @Test
  void fromTheFirstDayOfDataTheShortHistoryMonthStaysCalibrated() {
    // January starts with no history: run_rate, then weekday_level (no trend) until the 29th, which
    // cannot beat the baseline by half on day 10; the interval must stay honest all the same.
    BacktestSummary summary = replay(grid(), null);
    print("January to June (January without history)", summary);
    double coverage = summary.coveragePct(ScopeSeries.TOTAL);
    assertTrue(coverage >= 75 && coverage <= 90, "P10-P90 coverage " + coverage + "%");
    double ours = summary.row(ScopeSeries.TOTAL, 10, BacktestScores.OURS).mapePct().doubleValue();
    double baseline = summary.row(ScopeSeries.TOTAL, 10, BacktestScores.BASELINE).mapePct().doubleValue();
    assertTrue(ours < baseline, "day 10 MAPE " + ours + "% vs the baseline's " + baseline + "%");
  }
}
