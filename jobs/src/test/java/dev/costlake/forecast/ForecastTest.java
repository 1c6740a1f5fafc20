package dev.costlake.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The month-end forecast's statistics on small series whose answers are worked out by hand. */
class ForecastTest {
  private static final int HISTORY_DAYS = 91;
  /** A Tuesday: March 2026 has 31 days, 9 of them before it (Sunday 1st .. Monday 9th), 22 from it. */
  private static final LocalDate MARCH_10 = LocalDate.parse("2026-03-10");

  /** A series of costUsd(date) for every date from first to last (inclusive), in gold's DECIMAL(38,9). */
  private static ScopeSeries series(LocalDate first, LocalDate last, Function<LocalDate, String> costUsd) {
    TreeMap<LocalDate, BigDecimal> costs = new TreeMap<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      costs.put(d, new BigDecimal(costUsd.apply(d)).setScale(9));  // as gold's DECIMAL(38,9)
    }
    return new ScopeSeries("tenant", "acme", costs);
  }

  private static ScopeSeries constant(LocalDate first, LocalDate last, String costUsd) {
    return series(first, last, d -> costUsd);
  }

  private static ScopeForecast forecast(ScopeSeries series, LocalDate asOf) {
    return SpendForecaster.forecast(series, asOf, HISTORY_DAYS, ForecastJob.DAILY_HORIZON_DAYS);
  }

  private static BigDecimal usd(String value) {
    return new BigDecimal(value);
  }

  @Test
  void monthsHaveTheirRealLength() {
    assertEquals(28, SpendForecaster.daysInMonth(LocalDate.parse("2026-02-10")));
    assertEquals(29, SpendForecaster.daysInMonth(LocalDate.parse("2028-02-10")));
    assertEquals(28, SpendForecaster.daysInMonth(LocalDate.parse("2100-02-10")));  // not a leap year
    assertEquals(31, SpendForecaster.daysInMonth(LocalDate.parse("2026-01-31")));
    assertEquals(31, SpendForecaster.daysInMonth(LocalDate.parse("2026-03-01")));
    assertEquals(30, SpendForecaster.daysInMonth(LocalDate.parse("2026-04-15")));
  }

  @Test
  void februaryForecastsCountTheRemainingDaysOfItsRealLength() {
    // $10 a day for months: as of the 20th, 19 days are spent and the rest of February remains.
    ScopeForecast feb2026 = forecast(constant(LocalDate.parse("2025-11-01"), LocalDate.parse("2026-02-19"), "10"),
        LocalDate.parse("2026-02-20"));
    assertEquals(28, feb2026.daysInMonth());
    assertEquals(19, feb2026.daysElapsed());
    assertEquals(usd("190.000000000"), feb2026.spendToDateUsd());
    assertEquals(usd("280.00"), feb2026.forecastP50Usd());  // 190 + 9 days x 10
    assertEquals(usd("280.00"), feb2026.baselineForecastUsd());

    ScopeForecast feb2028 = forecast(constant(LocalDate.parse("2027-11-01"), LocalDate.parse("2028-02-19"), "10"),
        LocalDate.parse("2028-02-20"));
    assertEquals(29, feb2028.daysInMonth());
    assertEquals(usd("290.00"), feb2028.forecastP50Usd());  // 190 + 10 days x 10 (leap year)
    assertEquals(usd("290.00"), feb2028.baselineForecastUsd());
    assertEquals(LocalDate.parse("2028-02-01"), feb2028.month());
  }

  @Test
  void aConstantSeriesForecastsTheConstantTimesTheRemainingDaysWhateverTheHistory() {
    // 91 days of history or more: the weekday-and-trend model; 10: weekday level; 5: run rate.
    ScopeForecast longHistory = forecast(constant(LocalDate.parse("2025-11-01"), MARCH_10.minusDays(1), "10"), MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_TREND, longHistory.method());
    assertEquals(91, longHistory.historyDays());
    assertEquals(usd("90.000000000"), longHistory.spendToDateUsd());
    assertEquals(usd("310.00"), longHistory.forecastP50Usd());  // 90 + 22 x 10
    assertEquals(usd("310.00"), longHistory.forecastP10Usd());  // no variability at all
    assertEquals(usd("310.00"), longHistory.forecastP90Usd());
    assertEquals(usd("10.00"), longHistory.dailyBurnRateUsd());
    assertEquals(usd("310.00"), longHistory.baselineForecastUsd());

    ScopeForecast tenDays = forecast(constant(LocalDate.parse("2026-02-28"), MARCH_10.minusDays(1), "10"), MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_LEVEL, tenDays.method());
    assertEquals(10, tenDays.historyDays());
    assertEquals(usd("310.00"), tenDays.forecastP50Usd());

    ScopeForecast twentySevenDays = forecast(constant(LocalDate.parse("2026-02-11"), MARCH_10.minusDays(1), "10"), MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_LEVEL, twentySevenDays.method());
    assertEquals(27, twentySevenDays.historyDays());
    ScopeForecast twentyEightDays = forecast(constant(LocalDate.parse("2026-02-10"), MARCH_10.minusDays(1), "10"), MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_TREND, twentyEightDays.method());
    assertEquals(usd("310.00"), twentyEightDays.forecastP50Usd());

    ScopeForecast sixDays = forecast(constant(LocalDate.parse("2026-03-04"), MARCH_10.minusDays(1), "10"), MARCH_10);
    assertEquals(SpendForecaster.RUN_RATE, sixDays.method());
    assertEquals(6, sixDays.historyDays());
    assertEquals(usd("280.00"), sixDays.forecastP50Usd());  // 60 + 22 x 10
    // A scope born on the 4th: the naive burn rate spreads its 6 days over the 9 elapsed.
    assertEquals(usd("206.67"), sixDays.baselineForecastUsd());  // 60 x 31 / 9 = 206.666...
    assertEquals(usd("6.67"), sixDays.dailyBurnRateUsd());
    // run_rate's interval: the remaining 220 -/+ 1.2815515655446004 x 0.35 x 220 = 98.6794...
    assertEquals(usd("181.32"), sixDays.forecastP10Usd());
    assertEquals(usd("378.68"), sixDays.forecastP90Usd());
    ScopeForecast sevenDays = forecast(constant(LocalDate.parse("2026-03-03"), MARCH_10.minusDays(1), "10"), MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_LEVEL, sevenDays.method());
  }

  @Test
  void weekdayFactorsAreEachDayOverItsCentredWeekMean() {
    // Weekdays $10, weekends $5: every 7 consecutive days hold $60, a mean of 60/7.
    ScopeSeries twoLevels = series(LocalDate.parse("2026-01-05"), LocalDate.parse("2026-03-01"),
        d -> SpendForecaster.isWeekend(d) ? "5" : "10");
    double[] y = twoLevels.dense(LocalDate.parse("2026-01-05"), LocalDate.parse("2026-03-02"));
    double[] factors = SpendForecaster.weekdayFactors(y, LocalDate.parse("2026-01-05"));
    double weekday = 7.0 / 6;   // 10 / (60/7)
    double weekend = 7.0 / 12;  // 5 / (60/7)
    assertArrayEquals(new double[] {weekday, weekday, weekday, weekday, weekday, weekend, weekend}, factors, 1e-12);

    // Mondays $14: a week holds $64, so Mondays are 14 x 7/64, Tuesdays to Fridays 10 x 7/64, weekends 5 x 7/64.
    ScopeSeries mondays = series(LocalDate.parse("2026-01-05"), LocalDate.parse("2026-03-01"),
        d -> switch (d.getDayOfWeek()) {
          case MONDAY -> "14";
          case SATURDAY, SUNDAY -> "5";
          default -> "10";
        });
    double[] mondayFactors = SpendForecaster.weekdayFactors(
        mondays.dense(LocalDate.parse("2026-01-05"), LocalDate.parse("2026-03-02")), LocalDate.parse("2026-01-05"));
    assertArrayEquals(new double[] {1.53125, 1.09375, 1.09375, 1.09375, 1.09375, 0.546875, 0.546875}, mondayFactors,
        1e-12);
  }

  @Test
  void theWeekdayModelForecastsEachRemainingDayByItsWeekday() {
    ScopeSeries mondays = series(LocalDate.parse("2025-12-01"), MARCH_10.minusDays(1),
        d -> switch (d.getDayOfWeek()) {
          case MONDAY -> "14";
          case SATURDAY, SUNDAY -> "5";
          default -> "10";
        });
    ScopeForecast f = forecast(mondays, MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_TREND, f.method());
    // March 1-9: Sun 5, Mon 14, Tue-Fri 40, Sat 5, Sun 5, Mon 14.
    assertEquals(usd("83.000000000"), f.spendToDateUsd());
    // March 10-31: 3 Mondays (16, 23, 30) x 14 + 13 Tuesdays-Fridays x 10 + 6 weekend days x 5 = 202.
    assertEquals(usd("285.00"), f.forecastP50Usd());
    assertEquals(usd("285.89"), f.baselineForecastUsd());  // 83 x 31 / 9 = 285.888...
    assertEquals(usd("9.22"), f.dailyBurnRateUsd());
    // The next 30 days, day by day, past the month's end.
    assertEquals(30, f.days().size());
    assertEquals(new ScopeForecast.Day(MARCH_10, usd("10.00"), usd("10.00"), usd("10.00")), f.days().get(0));
    assertEquals(new ScopeForecast.Day(LocalDate.parse("2026-03-14"), usd("5.00"), usd("5.00"), usd("5.00")),
        f.days().get(4));
    assertEquals(new ScopeForecast.Day(LocalDate.parse("2026-03-16"), usd("14.00"), usd("14.00"), usd("14.00")),
        f.days().get(6));
    assertEquals(new ScopeForecast.Day(LocalDate.parse("2026-04-08"), usd("10.00"), usd("10.00"), usd("10.00")),
        f.days().get(29));
  }

  @Test
  void theWeekdayLevelIsTheMeanWeekdayAndWeekendDayOfTheLastWeek() {
    // $100 a day until March 2 (older than the last 7 days, so ignored), then weekdays $10, weekends $4.
    ScopeSeries s = series(LocalDate.parse("2026-02-28"), MARCH_10.minusDays(1),
        d -> d.isBefore(LocalDate.parse("2026-03-03")) ? "100" : SpendForecaster.isWeekend(d) ? "4" : "10");
    ScopeForecast f = forecast(s, MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_LEVEL, f.method());
    // To date: March 1-2 at 100, March 3-9: 5 weekdays x 10 + 2 weekend days x 4.
    assertEquals(usd("258.000000000"), f.spendToDateUsd());
    // March 10-31: 16 weekdays x 10 + 6 weekend days x 4 = 184.
    assertEquals(usd("442.00"), f.forecastP50Usd());
    assertTrue(f.forecastP10Usd().compareTo(f.forecastP50Usd()) < 0);
    assertTrue(f.forecastP90Usd().compareTo(f.forecastP50Usd()) > 0);
  }

  @Test
  void aSteadyGrowthIsExtrapolatedWithADampedTrend() {
    // 1% a day since January 1st, no weekly pattern: the line through the log of the spend has
    // slope ln(1.01), and day s ahead gets ln(1.01) x (0.98 + 0.98^2 + ... + 0.98^s).
    LocalDate first = LocalDate.parse("2026-01-01");
    ScopeSeries growing = series(first, MARCH_10.minusDays(1),
        d -> BigDecimal.valueOf(100 * Math.pow(1.01, d.toEpochDay() - first.toEpochDay()))
            .setScale(9, java.math.RoundingMode.HALF_UP).toPlainString());
    ScopeForecast f = forecast(growing, MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_TREND, f.method());
    double last = 100 * Math.pow(1.01, 67);  // March 9th, day 67
    double remaining = 0;
    double undamped = 0;
    double damped = 0;
    for (int s = 1; s <= 22; s++) {
      damped += Math.pow(0.98, s);
      remaining += last * Math.pow(1.01, damped);
      undamped += last * Math.pow(1.01, s);
    }
    assertEquals(f.spendToDateUsd().doubleValue() + remaining, f.forecastP50Usd().doubleValue(), 0.01);
    assertTrue(f.forecastP50Usd().doubleValue() < f.spendToDateUsd().doubleValue() + undamped - 10,
        "the trend is damped");
    // The burn rate of the month's first 9 days misses the growth to come.
    assertTrue(f.baselineForecastUsd().doubleValue() < f.forecastP50Usd().doubleValue() - 100);
  }

  @Test
  void oneOutlierDayMovesNeitherTheWeeklyPatternNorTheTrend() {
    Function<LocalDate, String> usual = d -> SpendForecaster.isWeekend(d) ? "5" : "10";
    LocalDate spike = LocalDate.parse("2026-03-04");
    ScopeSeries clean = series(LocalDate.parse("2025-12-01"), MARCH_10.minusDays(1), usual);
    ScopeSeries spiked = series(LocalDate.parse("2025-12-01"), MARCH_10.minusDays(1),
        d -> d.equals(spike) ? "100" : usual.apply(d));
    ScopeForecast withSpike = forecast(spiked, MARCH_10);
    ScopeForecast without = forecast(clean, MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_TREND, withSpike.method());
    // The day's $90 extra is spend to date, and nothing more: the remaining days are forecast alike.
    assertEquals(usd("90.000000000"), withSpike.spendToDateUsd().subtract(without.spendToDateUsd()));
    assertEquals(without.forecastP50Usd().add(usd("90")), withSpike.forecastP50Usd());
    assertEquals(without.days(), withSpike.days());
    // The burn rate extrapolates it: 9 days holding 75 + 90 over 31 days.
    assertEquals(usd("568.33"), withSpike.baselineForecastUsd());
  }

  @Test
  void aScopeWithDaysWithoutSpendGetsTheLevelMethodNotATrend() {
    // Spend on weekdays only: a line through the log of zero has no meaning.
    ScopeSeries weekdaysOnly = series(LocalDate.parse("2025-12-01"), MARCH_10.minusDays(1),
        d -> SpendForecaster.isWeekend(d) ? "0" : "10");
    ScopeForecast f = forecast(weekdaysOnly, MARCH_10);
    assertEquals(SpendForecaster.WEEKDAY_LEVEL, f.method());
    assertEquals(usd("220.00"), f.forecastP50Usd());  // 60 to date + 16 weekdays x 10
  }

  @Test
  void theBaselineIsTheExactSpendToDateOverTheDaysElapsedTimesTheMonthRoundedHalfUp() {
    // April (30 days), 2 days elapsed, $0.015 spent: 0.015 x 30 / 2 = 0.225, half-up 0.23 (half-even: 0.22).
    ScopeSeries s = new ScopeSeries("model", "gpt-4o-mini", new TreeMap<>(Map.of(
        LocalDate.parse("2026-04-01"), usd("0.010000001"), LocalDate.parse("2026-04-02"), usd("0.004999999"))));
    ScopeForecast f = forecast(s, LocalDate.parse("2026-04-03"));
    assertEquals(usd("0.015000000"), f.spendToDateUsd());  // exact, never rounded
    assertEquals(2, f.daysElapsed());
    assertEquals(usd("0.23"), f.baselineForecastUsd());
    assertEquals(usd("0.01"), f.dailyBurnRateUsd());  // 0.0075, half-up
    // The spend to date is a floor: P10 is never below it, rounded up to the cent.
    assertTrue(f.forecastP10Usd().compareTo(usd("0.02")) >= 0);
  }

  @Test
  void onTheFirstTheBurnRateIsTheLastSevenDays() {
    LocalDate march1 = LocalDate.parse("2026-03-01");
    // Weekdays 10, weekends 5: Feb 22-28 hold 60.
    ScopeForecast f = forecast(series(LocalDate.parse("2025-12-01"), march1.minusDays(1),
        d -> SpendForecaster.isWeekend(d) ? "5" : "10"), march1);
    assertEquals(0, f.daysElapsed());
    assertEquals(0, f.spendToDateUsd().signum());
    assertEquals(usd("8.57"), f.dailyBurnRateUsd());  // 60 / 7
    assertEquals(usd("265.71"), f.baselineForecastUsd());  // 60 x 31 / 7
    // March 2026: 22 weekdays x 10 + 9 weekend days x 5.
    assertEquals(usd("265.00"), f.forecastP50Usd());
    assertEquals(march1, f.days().get(0).forecastDate());

    // A scope 4 days old on the 1st: its burn rate is the mean of its 4 days.
    ScopeForecast young = forecast(constant(LocalDate.parse("2026-02-25"), march1.minusDays(1), "3"), march1);
    assertEquals(SpendForecaster.RUN_RATE, young.method());
    assertEquals(usd("3.00"), young.dailyBurnRateUsd());
    assertEquals(usd("93.00"), young.baselineForecastUsd());
    assertEquals(usd("93.00"), young.forecastP50Usd());
  }

  @Test
  void aScopeWithoutSpendInTheHistoryWindowIsNotForecast() {
    ScopeSeries old = constant(LocalDate.parse("2025-06-01"), LocalDate.parse("2025-06-30"), "10");
    assertNull(forecast(old, MARCH_10));
    // Spend within the window but none lately: the days since count as zero spend.
    ScopeForecast quiet = forecast(constant(LocalDate.parse("2025-12-01"), LocalDate.parse("2026-01-31"), "10"),
        MARCH_10);
    assertEquals(0, quiet.forecastP50Usd().signum());
    assertEquals(SpendForecaster.WEEKDAY_LEVEL, quiet.method());
  }

  @Test
  void intervalsAreOrderedNeverBelowSpendToDateAndWiderWithLessHistory() {
    Random random = new Random(7);
    TreeMap<LocalDate, BigDecimal> noisy = new TreeMap<>();
    for (LocalDate d = LocalDate.parse("2025-10-01"); d.isBefore(LocalDate.parse("2026-06-01")); d = d.plusDays(1)) {
      double weekday = SpendForecaster.isWeekend(d) ? 0.55 : 1.0;
      noisy.put(d, BigDecimal.valueOf(100 * weekday * Math.exp(0.12 * random.nextGaussian()))
          .setScale(9, java.math.RoundingMode.HALF_UP));
    }
    for (int born : List.of(3, 12, 40, 200)) {
      for (LocalDate asOf = LocalDate.parse("2026-03-01"); asOf.isBefore(LocalDate.parse("2026-05-01"));
          asOf = asOf.plusDays(3)) {
        LocalDate first = asOf.minusDays(born);
        ScopeForecast f = forecast(new ScopeSeries("feature", "chat", noisy.tailMap(first, true)), asOf);
        assertTrue(f.spendToDateUsd().compareTo(f.forecastP10Usd()) <= 0, f::toString);
        assertTrue(f.forecastP10Usd().compareTo(f.forecastP50Usd()) <= 0, f::toString);
        assertTrue(f.forecastP50Usd().compareTo(f.forecastP90Usd()) <= 0, f::toString);
        assertTrue(f.forecastP10Usd().compareTo(f.forecastP90Usd()) < 0, f::toString);
        for (ScopeForecast.Day day : f.days()) {
          assertTrue(day.forecastP10Usd().signum() >= 0, f::toString);
          assertTrue(day.forecastP10Usd().compareTo(day.forecastP50Usd()) <= 0, f::toString);
          assertTrue(day.forecastP50Usd().compareTo(day.forecastP90Usd()) <= 0, f::toString);
        }
      }
    }
    // The same days, with 3, 12 and 60 days of history: the interval narrows as history grows.
    LocalDate asOf = LocalDate.parse("2026-04-10");
    double[] widths = new double[3];
    int i = 0;
    for (int born : List.of(3, 12, 60)) {
      ScopeForecast f = forecast(new ScopeSeries("feature", "chat", noisy.tailMap(asOf.minusDays(born), true)), asOf);
      widths[i++] = f.forecastP90Usd().subtract(f.forecastP10Usd()).doubleValue()
          / f.forecastP50Usd().subtract(f.spendToDateUsd()).doubleValue();
    }
    assertTrue(widths[0] > widths[1] && widths[1] > widths[2], java.util.Arrays.toString(widths));
  }

  @Test
  void theMeanDayIsMeasuredFromTheResidualsWithAnOddDayClipped() {
    // (e^0.1 + e^-0.1 + e^0 + e^0.3) / 4: the 2.0 (a day 7.4x its line) counts as 3 SDs, 0.3.
    assertEquals(1.0899668, SpendForecaster.meanOverMedian(new double[] {0.1, -0.1, 0.0, 2.0}, 0.1), 1e-7);
    // No spread: the line's day is the mean day, whatever one odd day did.
    assertEquals(1.0, SpendForecaster.meanOverMedian(new double[] {0, 0, 0, 5}, 0), 0);
  }

  private static SpendForecaster.TrendFit fit(double slope, double slopeSe, double[] factors, double factorSe) {
    double[] se = new double[7];
    java.util.Arrays.fill(se, factorSe);
    return new SpendForecaster.TrendFit(factors, se, 0, slope, slopeSe, 0.1, 1, 56);
  }

  @Test
  void siblingsDifferFromTheParentByTheirMeanSquaredDifferenceLessTheirSamplingVariance() {
    double[] flat = {1, 1, 1, 1, 1, 1, 1};
    SpendForecaster.TrendFit parent = fit(0.005, 0.0005, flat, 0.01);
    // Slopes 0.015, -0.005 and 0.025 differ from the parent's by 0.01, -0.01 and 0.02: mean square
    // (1 + 1 + 4) x 1e-4 / 3 = 2e-4; each is known to +/-0.005: less 2.5e-5 = 1.75e-4.
    // Factors: two siblings with Monday 1.2 and Sunday 0.8 (squares 0.04 + 0.04), one equal to the
    // parent's: mean square 0.16 / 21; less a sampling variance of 0.1^2 = 0.01 each: below zero, so 0.
    double[] tilted = {1.2, 1, 1, 1, 1, 1, 0.8};
    double[] tau2 = SpendForecaster.siblingDispersion(List.of(
        fit(0.015, 0.005, tilted, 0.1), fit(-0.005, 0.005, tilted, 0.1), fit(0.025, 0.005, flat, 0.1)), parent);
    assertEquals(1.75e-4, tau2[0], 1e-15);
    assertEquals(0, tau2[1]);
    // Known more precisely (factor errors of 0.02), the same factors do differ: 0.16 / 21 - 0.0004.
    double[] precise = SpendForecaster.siblingDispersion(List.of(
        fit(0.015, 0.005, tilted, 0.02), fit(-0.005, 0.005, tilted, 0.02), fit(0.025, 0.005, flat, 0.02)), parent);
    assertEquals(0.16 / 21 - 0.0004, precise[1], 1e-15);
  }

  @Test
  void aPooledFitMovesTowardTheParentByItsOwnNoiseOverTheSiblingsSpread() {
    // 70 days of a scope at 2% a day, no weekly pattern: its own slope ln(1.02), known to +/-0.01.
    LocalDate first = LocalDate.parse("2026-01-01");
    double[] y = new double[70];
    for (int i = 0; i < y.length; i++) {
      y[i] = 10 * Math.pow(1.02, i);
    }
    double[] flat = {1, 1, 1, 1, 1, 1, 1};
    double[] weekly = {1.2, 1.2, 1.2, 1.2, 1.2, 0.5, 0.5};
    SpendForecaster.TrendFit own = fit(Math.log(1.02), 0.01, flat, 0.05);
    SpendForecaster.TrendFit parent = fit(0.005, 0.002, weekly, 0.01);
    // Siblings' slopes differ by a variance of 1e-4, its own error is 1e-4: half way. Their factors do
    // not differ at all: the parent's. The pooled slope's error: sqrt(0.5 x 1e-4 + (0.5 x 0.002)^2).
    SpendForecaster.TrendFit pooled = SpendForecaster.pool(own, parent, 1e-4, 0, y, first);
    double slope = 0.005 + 0.5 * (Math.log(1.02) - 0.005);
    assertEquals(slope, pooled.slope(), 1e-15);
    assertEquals(Math.sqrt(0.5e-4 + 1e-6), pooled.slopeSe(), 1e-15);
    assertArrayEquals(weekly, pooled.factors(), 1e-15);
    // The level is refitted to its own days under the pooled line and factors: the median over the
    // last 56 days of log(y / factor) carried to the last day along the pooled slope.
    double[] atLast = new double[56];
    for (int i = 0; i < 56; i++) {
      LocalDate day = first.plusDays(14 + i);
      atLast[i] = Math.log(y[14 + i] / weekly[day.getDayOfWeek().getValue() - 1]) + slope * (55 - i);
    }
    assertEquals(SpendForecaster.median(atLast), pooled.logLevel(), 1e-12);
    // Siblings that differ without bound leave it its own slope.
    assertEquals(Math.log(1.02), SpendForecaster.pool(own, parent, Double.POSITIVE_INFINITY, 0, y, first).slope(),
        0);
  }

  @Test
  void forecastsBelowTheTotalBorrowItsTrendWhenTheirSiblingsDoNotReallyDiffer() {
    // A total growing 1% a day and three features, each a third of it with its own day noise: their
    // slopes differ from the total's by no more than their noise, so each takes the total's trend.
    LocalDate first = LocalDate.parse("2025-12-01");
    Random random = new Random(3);
    Map<LocalDate, double[]> shares = new TreeMap<>();
    for (LocalDate d = first; d.isBefore(MARCH_10); d = d.plusDays(1)) {
      shares.put(d, new double[] {Math.exp(0.2 * random.nextGaussian()), Math.exp(0.2 * random.nextGaussian()),
          Math.exp(0.2 * random.nextGaussian())});
    }
    Function<LocalDate, Double> total = d -> 30 * Math.pow(1.01, d.toEpochDay() - first.toEpochDay());
    List<ScopeSeries> all = new java.util.ArrayList<>();
    TreeMap<LocalDate, BigDecimal> totalCosts = new TreeMap<>();
    for (LocalDate d : shares.keySet()) {
      double[] s = shares.get(d);
      totalCosts.put(d, BigDecimal.valueOf(total.apply(d) * (s[0] + s[1] + s[2]) / 3)
          .setScale(9, java.math.RoundingMode.HALF_UP));
    }
    all.add(new ScopeSeries(ScopeSeries.TOTAL, ScopeSeries.ALL, totalCosts));
    for (int f = 0; f < 3; f++) {
      TreeMap<LocalDate, BigDecimal> costs = new TreeMap<>();
      for (LocalDate d : shares.keySet()) {
        costs.put(d, BigDecimal.valueOf(total.apply(d) / 3 * shares.get(d)[f]).setScale(9, java.math.RoundingMode.HALF_UP));
      }
      all.add(new ScopeSeries(ScopeSeries.FEATURE, "f" + f, costs));
    }
    List<ScopeForecast> forecasts = SpendForecaster.forecastAll(all, MARCH_10, HISTORY_DAYS, 30);
    assertEquals(List.of(SpendForecaster.WEEKDAY_TREND, SpendForecaster.WEEKDAY_TREND_POOLED,
        SpendForecaster.WEEKDAY_TREND_POOLED, SpendForecaster.WEEKDAY_TREND_POOLED),
        forecasts.stream().map(ScopeForecast::method).toList());
    // The total alone is forecast as forecast() does.
    assertEquals(forecast(all.get(0), MARCH_10), forecasts.get(0));
    // Two features alone have no siblings to measure against: their own fits.
    List<ScopeForecast> two = SpendForecaster.forecastAll(all.subList(0, 3), MARCH_10, HISTORY_DAYS, 30);
    assertEquals(SpendForecaster.WEEKDAY_TREND, two.get(1).method());
    assertEquals(forecast(all.get(1), MARCH_10).forecastP50Usd(), two.get(1).forecastP50Usd());
  }
}
