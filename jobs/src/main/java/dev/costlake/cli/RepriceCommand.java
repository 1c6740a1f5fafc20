package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.anomaly.AnomalyJob;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunCounts;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.pricing.RepriceJob;
import dev.costlake.report.TablePrinter;
import dev.costlake.rollup.RollupJob;
import dev.costlake.rollup.RollupWindow;
import dev.costlake.rollup.ScheduledJobs;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `costlake reprice`: restate list costs of a window with the current catalog. */
@Command(
    name = "reprice",
    mixinStandardHelpOptions = true,
    description = {
      "Re-price the events of a range of dates with the current catalog.",
      "Re-prices every event from --from to --to (event dates, inclusive), and every earlier unpriced event,",
      "with the current catalog, in one atomic commit per run; record what changed per model in",
      "ops.price_restatements. Running it again with the same catalog changes nothing."
    })
public final class RepriceCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin DateWindowOptions window;

  @Override
  public Integer call() {
    CostlakeConfig config = common.config();
    PriceCatalog catalog = Pricing.checkedCatalog(config);
    LocalDate from = window.from();
    LocalDate to = window.to();
    Lakehouse lake = Sessions.open(config, common.verbose(), "reprice");
    RunRecorder.Outcome outcome = Reprice.run(lake, config, catalog, Clock.systemUTC(), from, to);
    Reprice.print(outcome, lake, from, to, catalog);
    return outcome.succeeded() ? 0 : Main.EXIT_FAILED;
  }

  /** Runs and prints a recorded reprice; shared with the demo. */
  public static final class Reprice {
    private Reprice() {}

    public static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock,
        LocalDate from, LocalDate to) {
      String runId = RunRecorder.newRunId();
      RepriceJob job = new RepriceJob(lake, config, catalog, runId, clock, from, to);
      RollupJob rollups = new RollupJob(lake, config, runId, clock);
      AnomalyJob anomalies = new AnomalyJob(lake, config, catalog, clock);
      // The restated windows are rebuilt at once (silver's change feed names their hours), and the
      // closed hours and days whose cost changed are judged again, so no anomaly keeps the old prices.
      return RunRecorder.record(lake, config, "reprice", runId, clock, () -> {
        RunCounts counts = job.execute().withRollup(
            rollups.catchUp(LocalDate.now(clock), RollupWindow.ofHours(java.util.List.of())));
        return ScheduledJobs.rejudge(anomalies, counts, clock.instant());
      }, () -> RunCounts.ZERO);
    }

    static void print(RunRecorder.Outcome outcome, Lakehouse lake, LocalDate from, LocalDate to, PriceCatalog catalog) {
      System.out.printf("%ncostlake reprice %s to %s with catalog %s %s in %.1f s (run %s)%n", from, to, catalog.version(),
          outcome.succeeded() ? "succeeded" : "FAILED", outcome.duration().toMillis() / 1000.0, outcome.runId());
      if (!outcome.succeeded()) {
        System.out.println("  error: " + Errors.describe(outcome.error()));
        return;
      }
      System.out.printf("  events read         %,15d%n", outcome.counts().recordsRead());
      System.out.printf("  events re-priced    %,15d%n", outcome.counts().recordsAccepted());
      if (outcome.counts().recordsAccepted() == 0) {
        System.out.println("  nothing changed: every event already carries the price this catalog gives it");
        return;
      }
      for (AnomalyJob.Result judged : outcome.counts().anomalies()) {
        System.out.printf("  %ss judged again %,11d (%d flagged)%n", judged.grain().label(), judged.periodsJudged(),
            judged.flagged().size());
      }
      TablePrinter.print(lake.spark().sql(
          "select model, events_repriced, events_newly_priced,"
              + " cast(old_list_cost_usd_nanos as decimal(18,0)) * 0.000000001 as old_list_cost_usd,"
              + " cast(new_list_cost_usd_nanos as decimal(18,0)) * 0.000000001 as new_list_cost_usd,"
              + " cast(new_cost_usd_nanos - old_cost_usd_nanos as decimal(18,0)) * 0.000000001 as cost_change_usd"
              + " from ops.price_restatements where restatement_id = '" + outcome.runId() + "' order by model"),
          TablePrinter.Format.TABLE, 1000, System.out);
    }
  }
}
