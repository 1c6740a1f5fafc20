package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.report.RunSummary;
import dev.costlake.rollup.ScheduledJobs;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The scheduled jobs: `costlake hourly`, `costlake nightly`, `costlake backfill`. */
public final class ScheduleCommands {
  private ScheduleCommands() {}

  /** `costlake hourly`: ingest what is new, rebuild every hour it touched. */
  @Command(
      name = "hourly",
      mixinStandardHelpOptions = true,
      description = {
        "Ingest new events, then rebuild the gold rollups they fall in.",
        "Ingests what is new in raw.path, then rebuilds the gold rollups of every hour and day the new",
        "(or restated) events fall in, however late they arrived, and check their books against silver.",
        "Run it every hour (cron, Airflow, a cluster scheduler); runs that overlap take turns (the lakehouse lock, lake.path/_costlake/lock)."
      })
  public static final class Hourly implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--as-of", paramLabel = "TIME",
        description = "Run as of this UTC time, e.g. 2026-11-23T14:05:00Z (default: now). The hour before it is the"
            + " last complete hour; the weekly and trend tables end on its date.")
    Instant asOf;

    @Override
    public Integer call() {
      CostlakeConfig config = common.config();
      PriceCatalog catalog = Pricing.checkedCatalog(config);
      Instant at = asOf != null ? asOf : Instant.now();
      Lakehouse lake = Sessions.open(config, common.verbose(), "hourly");
      java.util.List<dev.costlake.alert.AlertJob.Summary> alerts = new java.util.ArrayList<>();
      RunRecorder.Outcome outcome = ScheduledJobs.hourly(lake, config, catalog, Clock.systemUTC(), at, alerts::add);
      RunSummary.printIngest(outcome, lake, System.out);
      RunSummary.printRollups(outcome, lake, System.out);
      RunSummary.printAnomalies(outcome, System.out);
      alerts.forEach(a -> AlertsCommand.printSummary(a, System.out));
      return outcome.succeeded() ? 0 : Main.EXIT_FAILED;
    }
  }

  /** `costlake nightly`: close the previous day, then maintain the tables. */
  @Command(
      name = "nightly",
      mixinStandardHelpOptions = true,
      description = {
        "Do the hourly work, then rebuild closed days and run daily jobs.",
        "The hourly work, then the days before the run date rebuilt whole from silver (they are closed),",
        "the weekly top cost drivers and the 90-day cost-per-request trend, the last closed day judged for",
        "anomalies, the month-end forecasts, then Delta maintenance (OPTIMIZE of recent partitions, VACUUM).",
        "Run it once a day after midnight UTC."
      })
  public static final class Nightly implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--as-of", paramLabel = "DATE",
        description = "The run date (default: today, UTC); the days before it are closed.")
    LocalDate asOf;

    @Option(names = "--rebuild-days", defaultValue = "1", paramLabel = "N",
        description = "Closed days rebuilt whole from silver. Default: ${DEFAULT-VALUE} (the day before the run date).")
    int rebuildDays;

    @Override
    public Integer call() {
      CostlakeConfig config = common.config();
      PriceCatalog catalog = Pricing.checkedCatalog(config);
      LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
      Lakehouse lake = Sessions.open(config, common.verbose(), "nightly");
      java.util.List<dev.costlake.alert.AlertJob.Summary> alerts = new java.util.ArrayList<>();
      RunRecorder.Outcome outcome = ScheduledJobs.nightly(lake, config, catalog, Clock.systemUTC(), date, rebuildDays,
          alerts::add);
      RunSummary.printIngest(outcome, lake, System.out);
      RunSummary.printRollups(outcome, lake, System.out);
      RunSummary.printAnomalies(outcome, System.out);
      alerts.forEach(a -> AlertsCommand.printSummary(a, System.out));
      if (outcome.succeeded()) {
        RunSummary.printForecast(lake, date, System.out);
      }
      return outcome.succeeded() ? 0 : Main.EXIT_FAILED;
    }
  }

  /** `costlake backfill`: rebuild a window of rollups from silver. */
  @Command(
      name = "backfill",
      mixinStandardHelpOptions = true,
      description = {
        "Rebuild every gold rollup of a range of event dates from silver.",
        "Rebuilds every gold rollup for the event dates --from to --to (inclusive) from silver.cost_events,",
        "after an outage, a restatement or a bug fix, and check their books. Ingests nothing."
      })
  public static final class Backfill implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Mixin DateWindowOptions window;

    @Override
    public Integer call() {
      CostlakeConfig config = common.config();
      LocalDate from = window.from();
      LocalDate to = window.to();
      Lakehouse lake = Sessions.open(config, common.verbose(), "backfill");
      RunRecorder.Outcome outcome = ScheduledJobs.backfill(lake, config, Clock.systemUTC(), from, to,
          LocalDate.now(ZoneOffset.UTC));
      RunSummary.printRollups(outcome, lake, System.out);
      return outcome.succeeded() ? 0 : Main.EXIT_FAILED;
    }
  }
}
