package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.forecast.BacktestScores;
import dev.costlake.forecast.BacktestSummary;
import dev.costlake.forecast.ForecastBacktest;
import dev.costlake.forecast.ForecastJob;
import dev.costlake.forecast.ForecastSummary;
import dev.costlake.forecast.ScopeForecast;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunCounts;
import dev.costlake.ops.RunRecorder;
import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `costlake forecast`: month-end spend forecasts, and `costlake forecast backtest`: how good they were. */
@Command(
    name = "forecast",
    mixinStandardHelpOptions = true,
    description = {
      "Forecast every scope's month-end spend as of a run date.",
      "Forecasts the month-end spend of the total, each tenant, feature and model as of a run date,",
      "with a P10-P90 interval and the naive burn-rate baseline, into gold.spend_forecast, and its next",
      "30 days into gold.spend_forecast_daily. Spend to date runs through the day before the run date;",
      "days and months are those of forecast.time-zone. Re-running a date replaces its rows."
    },
    subcommands = {ForecastCommand.Backtest.class})
public final class ForecastCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--as-of", paramLabel = "DATE",
      description = "The run date (default: today in forecast.time-zone, UTC unless set).")
  LocalDate asOf;

  @Override
  public Integer call() {
    CostlakeConfig config = common.config();
    LocalDate date = asOf != null ? asOf : LocalDate.now(config.forecastTimeZone());
    Lakehouse lake = Sessions.open(config, common.verbose(), "forecast");
    AtomicReference<ForecastSummary> summary = new AtomicReference<>();
    RunRecorder.Outcome outcome = RunRecorder.record(lake, config, "forecast", RunRecorder.newRunId(),
        Clock.systemUTC(), () -> {
          summary.set(ForecastJob.run(lake, config, date));
          return RunCounts.ZERO;
        }, () -> RunCounts.ZERO);
    print(outcome, summary.get(), System.out);
    return outcome.succeeded() ? 0 : Main.EXIT_FAILED;
  }

  static void print(RunRecorder.Outcome outcome, ForecastSummary summary, PrintStream out) {
    out.printf("%ncostlake forecast %s in %.1f s (run %s)%n", outcome.succeeded() ? "succeeded" : "FAILED",
        outcome.duration().toMillis() / 1000.0, outcome.runId());
    if (!outcome.succeeded()) {
      out.println("  error: " + Errors.describe(outcome.error()));
      return;
    }
    out.printf("  run date            %15s   (spend to date through the day before, %s)%n", summary.asOfDate(),
        summary.timeZone());
    out.printf("  month               %15s%n", summary.month().toString().substring(0, 7));
    out.printf("  scopes forecast     %,15d   (gold.spend_forecast)%n", summary.scopes());
    out.printf("  daily rows          %,15d   (gold.spend_forecast_daily)%n", summary.dailyRows());
    ScopeForecast total = summary.total();
    if (total == null) {
      out.println("  no spend in the history window: nothing to forecast");
      return;
    }
    if (summary.lastSpendDate() != null && summary.lastSpendDate().isBefore(summary.asOfDate().minusDays(1))) {
      out.printf("  warning: no spend after %s; the days after it count as zero spend%n", summary.lastSpendDate());
    }
    out.printf("  total spend to date %15s USD  (%d of %d days)%n", total.spendToDateUsd().toPlainString(),
        total.daysElapsed(), total.daysInMonth());
    out.printf("  month-end forecast  %15s USD  (P10 %s, P90 %s; %s, %d days of history)%n",
        total.forecastP50Usd().toPlainString(), total.forecastP10Usd().toPlainString(),
        total.forecastP90Usd().toPlainString(), total.method(), total.historyDays());
    out.printf("  burn-rate baseline  %15s USD  (%s a day)%n", total.baselineForecastUsd().toPlainString(),
        total.dailyBurnRateUsd().toPlainString());
  }

  /** `costlake forecast backtest`: replay the forecasts over history, score them against the month totals. */
  @Command(
      name = "backtest",
      mixinStandardHelpOptions = true,
      description = {
        "Replay past month-end forecasts and score them against actuals.",
        "Replays the month-end forecasts from every past run date --from to --to whose month the data covers",
        "whole (default: every such month), compare them and the burn-rate baseline with the month's actual",
        "total, and write the error (MAPE) and P10-P90 coverage by day of month to gold.forecast_accuracy."
      })
  public static final class Backtest implements Callable<Integer> {
    @ParentCommand ForecastCommand parent;

    @Option(names = "--from", paramLabel = "DATE", description = "First run date to replay (default: the data's first).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last run date to replay (default: the data's last).")
    LocalDate to;

    @Override
    public Integer call() {
      CostlakeConfig config = parent.common.config();
      if (from != null && to != null && to.isBefore(from)) {
        throw new IllegalArgumentException("--to " + to + " is before --from " + from);
      }
      Lakehouse lake = Sessions.open(config, parent.common.verbose(), "forecast backtest");
      AtomicReference<BacktestSummary> summary = new AtomicReference<>();
      RunRecorder.Outcome outcome = RunRecorder.record(lake, config, "forecast-backtest", RunRecorder.newRunId(),
          Clock.systemUTC(), () -> {
            summary.set(ForecastBacktest.run(lake, config, from, to));
            return RunCounts.ZERO;
          }, () -> RunCounts.ZERO);
      print(outcome, summary.get(), System.out);
      return outcome.succeeded() ? 0 : Main.EXIT_FAILED;
    }

    /** The days of the month printed: the table has them all. */
    private static final List<Integer> DAYS = List.of(1, 5, 10, 15, 20, 25);

    static void print(RunRecorder.Outcome outcome, BacktestSummary summary, PrintStream out) {
      out.printf("%ncostlake forecast backtest %s in %.1f s (run %s)%n",
          outcome.succeeded() ? "succeeded" : "FAILED", outcome.duration().toMillis() / 1000.0, outcome.runId());
      if (!outcome.succeeded()) {
        out.println("  error: " + Errors.describe(outcome.error()));
        return;
      }
      out.printf("  run dates replayed  %,15d   (%s to %s)%n", summary.runDates(), summary.fromDate(), summary.toDate());
      out.printf("  scopes              %,15d%n", summary.scopes());
      out.printf("  forecasts scored    %,15d   (gold.forecast_accuracy)%n", summary.forecasts(BacktestScores.ALL));
      for (String scopeType : List.of("total", BacktestScores.ALL)) {
        out.printf("%n  %s: error of the month-end forecast by day of month%n",
            scopeType.equals("total") ? "the total" : "every scope pooled");
        out.println("    day  forecasts  MAPE ours  MAPE baseline  P10-P90 coverage");
        for (int day : DAYS) {
          BacktestScores.Accuracy ours = summary.row(scopeType, day, BacktestScores.OURS);
          BacktestScores.Accuracy baseline = summary.row(scopeType, day, BacktestScores.BASELINE);
          if (ours == null) {
            out.printf("    %3d  %9d  %9s  %13s  %16s%n", day, 0, "-", "-", "-");
            continue;
          }
          out.printf("    %3d  %,9d  %8.2f%%  %12.2f%%  %15.1f%%%n", day, ours.nForecasts(), ours.mapePct(),
              baseline.mapePct(), ours.coveragePct());
        }
        out.printf("    all days: P10-P90 coverage %.1f%% of %,d forecasts%n", summary.coveragePct(scopeType),
            summary.forecasts(scopeType));
      }
    }
  }
}
