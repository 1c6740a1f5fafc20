package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.anomaly.AnomalyEvaluation;
import dev.costlake.anomaly.AnomalyJob;
import dev.costlake.anomaly.Grain;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.generate.AnomalyLabel;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunCounts;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.report.RunSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `costlake anomalies`: judge any range of hours or days, and score the findings against labels. */
@Command(
    name = "anomalies",
    mixinStandardHelpOptions = true,
    description = {"Judge any range for cost anomalies and score the results.",
        "The hourly and nightly jobs judge the last period into gold.cost_anomalies by themselves."},
    subcommands = {AnomaliesCommand.Detect.class, AnomaliesCommand.Evaluate.class})
public final class AnomaliesCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: detect or evaluate");
  }

  /** `costlake anomalies detect`: judge every hour and/or day of a range (after a backfill, or to look back). */
  @Command(name = "detect", mixinStandardHelpOptions = true,
      description = {"Judge every hour and day of a range of dates for anomalies.",
          "Judges every UTC hour and/or day of the event dates --from to --to and replaces their rows of"
              + " gold.cost_anomalies (recomputing a period gives the same rows)."})
  public static final class Detect implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Mixin DateWindowOptions window;

    @Option(names = "--grain", defaultValue = "both", paramLabel = "GRAIN",
        description = "hour, day or both. Default: ${DEFAULT-VALUE}.")
    String grain;

    @Override
    public Integer call() {
      CostlakeConfig config = common.config();
      LocalDate from = window.from();
      LocalDate to = window.to();
      List<Grain> grains = grain.equalsIgnoreCase("both") ? List.of(Grain.HOUR, Grain.DAY) : List.of(Grain.parse(grain));
      PriceCatalog catalog = Pricing.checkedCatalog(config);
      Lakehouse lake = Sessions.open(config, common.verbose(), "anomalies");
      RunRecorder.Outcome outcome = run(lake, config, catalog, Clock.systemUTC(), from, to, grains);
      System.out.printf("%ncostlake anomalies detect %s to %s %s in %.1f s (run %s)%n", from, to,
          outcome.succeeded() ? "succeeded" : "FAILED", outcome.duration().toMillis() / 1000.0, outcome.runId());
      if (!outcome.succeeded()) {
        System.out.println("  error: " + Errors.describe(outcome.error()));
        return Main.EXIT_FAILED;
      }
      for (AnomalyJob.Result result : outcome.counts().anomalies()) {
        RunSummary.printAnomalies(result, System.out, 10);
      }
      return 0;
    }

    /** A recorded run holding the lakehouse lock; shared with the demo. */
    public static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock,
        LocalDate from, LocalDate to, List<Grain> grains) {
      AnomalyJob job = new AnomalyJob(lake, config, catalog, clock);
      return RunRecorder.record(lake, config, "anomalies", RunRecorder.newRunId(), clock, () -> {
        RunCounts counts = RunCounts.ZERO;
        for (Grain g : grains) {
          counts = counts.withAnomalies(job.detectRange(g, from, to));
        }
        return counts;
      }, () -> RunCounts.ZERO);
    }
  }

  /** `costlake anomalies evaluate`: precision, recall and driver accuracy against injected labels. */
  @Command(name = "evaluate", mixinStandardHelpOptions = true,
      description = {"Score the detected anomalies against labelled ones.",
          "Compares gold.cost_anomalies with the labels `costlake generate --anomalies N` wrote."})
  public static final class Evaluate implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "The labels file (JSON lines).")
    Path labels;

    @Override
    public Integer call() throws java.io.IOException {
      CostlakeConfig config = common.config();
      List<AnomalyLabel> truth = AnomalyLabel.readAll(labels);
      Lakehouse lake = Sessions.open(config, common.verbose(), "anomalies evaluate");
      print(AnomalyEvaluation.score(truth, found(lake)), System.out);
      return 0;
    }
  }

  /** Every row of gold.cost_anomalies, as the evaluation reads it. */
  public static List<AnomalyEvaluation.Found> found(Lakehouse lake) {
    List<AnomalyEvaluation.Found> found = new ArrayList<>();
    boolean hasMetric = java.util.Arrays.asList(lake.table(Lakehouse.COST_ANOMALIES).columns()).contains("metric");
    for (Row r : lake.table(Lakehouse.COST_ANOMALIES).selectExpr("grain", "period_start", "scope_type", "scope_value",
        hasMetric ? "coalesce(metric, 'cost_usd')" : "'cost_usd'", "direction", "impact_usd", "top_driver",
        "top_factor").collectAsList()) {
      found.add(new AnomalyEvaluation.Found(Grain.parse(r.getString(0)), r.getTimestamp(1).toInstant(), r.getString(2),
          r.getString(3), r.getString(4), r.getString(5), r.getDecimal(6).doubleValue(), r.getString(7),
          r.getString(8)));
    }
    return found;
  }

  public static void print(AnomalyEvaluation.Score score, PrintStream out) {
    out.printf("%n  %-4s %-15s %-26s %-28s %-6s %-22s %s%n", "id", "kind", "scope", "window (UTC)", "found",
        "driver", "detector's top driver / factor");
    for (AnomalyEvaluation.LabelOutcome o : score.labels()) {
      AnomalyLabel l = o.label();
      out.printf("  %-4s %-15s %-26s %-28s %-6s %-22s %s%n", l.labelId(), l.kind(),
          l.scopeType() + " " + l.scopeValue(), l.start() + " +" + java.time.Duration.between(l.start(), l.end()).toHours() + "h",
          o.found() ? (o.driverFirst() ? "yes" : "yes*") : "NO", l.driver(),
          o.match().map(m -> m.topDriver() + " / " + m.topFactor()).orElse(""));
    }
    out.printf(Locale.ROOT, "%n  recall, spikes >= %.0fx   %5.2f   (%d labels; target >= 0.90)%n",
        AnomalyEvaluation.SPIKE_FACTOR, score.recallLargeSpikes(), score.largeSpikes());
    out.printf(Locale.ROOT, "  recall, all kinds       %5.2f   (%d labels)%n", score.recallAll(), score.labels().size());
    for (java.util.Map.Entry<String, int[]> kind : score.recallByKind().entrySet()) {
      int[] counts = kind.getValue();
      out.printf(Locale.ROOT, "  recall, %-15s %5.2f   (%d of %d)%n", kind.getKey(), (double) counts[0] / counts[1],
          counts[0], counts[1]);
    }
    out.printf(Locale.ROOT, "  precision               %5.2f   (%d of %d flagged spikes and drops overlap an injection"
        + " in a scope it touched; target >= 0.80)%n", score.precision(), score.flaggedRight(), score.flagged());
    out.printf(Locale.ROOT, "  driver ranked first     %5.2f   (of the labels found; * above = not first; target >= 0.90)%n",
        score.driverFirst());
    out.printf("  new spend rows          %5d   (not counted above)%n", score.newSpend());
  }
}
