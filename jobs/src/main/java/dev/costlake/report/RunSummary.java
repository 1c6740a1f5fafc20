package dev.costlake.report;

import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunCounts;
import dev.costlake.ops.RunRecorder;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.Row;

/** The short summary a person reads at the end of an ingest run. */
public final class RunSummary {
  private RunSummary() {}

  public static void printIngest(RunRecorder.Outcome outcome, Lakehouse lake, PrintStream out) {
    RunCounts c = outcome.counts();
    out.printf("%ncostlake %s %s in %.1f s (run %s)%n", outcome.job(),
        outcome.succeeded() ? "succeeded" : "FAILED", outcome.duration().toMillis() / 1000.0,
        outcome.runId());
    if (!outcome.succeeded()) {
      out.println("  error: " + dev.costlake.cli.Errors.describe(outcome.error()));
    }
    out.printf("  files read          %,15d%n", c.filesRead());
    out.printf("  records read        %,15d%n", c.recordsRead());
    out.printf("    accepted          %,15d%n", c.recordsAccepted());
    out.printf("    duplicate         %,15d   (identical re-sends, counted and dropped)%n", c.recordsDuplicate());
    out.printf("    quarantined       %,15d%n", c.recordsQuarantined());
    if (c.recordsQuarantined() > 0) {
      List<Row> reasons = lake.table(Lakehouse.QUARANTINE)
          .where(org.apache.spark.sql.functions.col("ingest_run_id").equalTo(outcome.runId()))
          .groupBy("reason").count()
          .orderBy(org.apache.spark.sql.functions.desc("count"), org.apache.spark.sql.functions.asc("reason"))
          .collectAsList();
      for (Row reason : reasons) {
        out.printf("      %-26s %,8d%n", reason.getString(0), reason.getLong(1));
      }
    }
    out.printf("  books balance       %15s%n", c.balanced() ? "yes" : "NO");
    if (c.recordsUnpriced() > 0) {
      out.printf("  unpriced events     %,15d   (no catalog price: kept with a null list cost, never $0)%n",
          c.recordsUnpriced());
      c.unpricedByModel().entrySet().stream()
          .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()))
          .forEach(e -> out.printf("      %-26s %,8d%n", e.getKey(), e.getValue()));
      out.println("    add their prices (prices.catalog), then `costlake reprice`; `costlake prices missing` lists them");
    }
    if (c.recordsRead() > 0 && outcome.duration().toMillis() > 0) {
      out.printf("  throughput          %,15.0f records/s%n",
          c.recordsRead() * 1000.0 / outcome.duration().toMillis());
    }
    if (c.late().events() > 0) {
      out.printf("  late events         %,15d   (arrived after their hours were rolled up, which are rebuilt;"
          + " the oldest from %s, %,d s late)%n", c.late().events(), c.late().earliestEventTime(), c.late().maxLatenessSeconds());
    }
    if (c.late().backfilledEvents() > 0) {
      out.printf("  history backfilled  %,15d   (older than rollups.lateness, for hours not rolled up before:"
          + " not late)%n", c.late().backfilledEvents());
    }
  }

  /** What a run rebuilt in the gold tables, and whether their books balance. */
  public static void printRollups(RunRecorder.Outcome outcome, Lakehouse lake, PrintStream out) {
    RunCounts c = outcome.counts();
    if (outcome.job().equals("backfill")) {
      out.printf("%ncostlake %s %s in %.1f s (run %s)%n", outcome.job(),
          outcome.succeeded() ? "succeeded" : "FAILED", outcome.duration().toMillis() / 1000.0, outcome.runId());
      if (!outcome.succeeded()) {
        out.println("  error: " + dev.costlake.cli.Errors.describe(outcome.error()));
      }
    }
    if (c.rollup() == null) {
      return;
    }
    if (c.rollup().hours() == 0) {
      out.println("  rollups             nothing changed in silver since the last run; trend refreshed");
      return;
    }
    out.printf("  rollups rebuilt     %,15d hours, %s to %s%n", c.rollup().hours(), c.rollup().from(), c.rollup().to());
    out.printf("  rollup books        %15s   (%d sums over the gold tables equal silver's; ops.rollup_checks)%n",
        outcome.succeeded() ? "balance" : "see error", c.rollup().checks());
  }

  /** The anomalies a run judged, worst first, each with its sentence. */
  public static void printAnomalies(RunRecorder.Outcome outcome, PrintStream out) {
    for (dev.costlake.anomaly.AnomalyJob.Result result : outcome.counts().anomalies()) {
      printAnomalies(result, out, 8);
    }
  }

  public static void printAnomalies(dev.costlake.anomaly.AnomalyJob.Result result, PrintStream out, int limit) {
    if (result.periodsJudged() == 0) {
      out.printf("  anomalies (%s)      none judged: no rollups yet for that period%n", result.grain().label());
      return;
    }
    long anomalies = result.flagged().stream().filter(f -> !f.direction().equals("new_spend")).count();
    out.printf("  anomalies (%s)  %,11d   in %,d %s(s) judged (gold.cost_anomalies)%s%n", result.grain().label(),
        anomalies, result.periodsJudged(), result.grain().label(),
        anomalies == result.flagged().size() ? "" : ", plus " + (result.flagged().size() - anomalies) + " new spend");
    result.flagged().stream()
        .sorted(java.util.Comparator.comparing((dev.costlake.anomaly.AnomalyJob.Flagged f) -> f.impactUsd().abs()).reversed())
        .limit(limit)
        .forEach(f -> out.printf("    %-8s %s  %s%n", f.severity(), f.periodStart(), f.explanation()));
  }

  /** The all-up month-end forecast a nightly run wrote (gold.spend_forecast). */
  public static void printForecast(Lakehouse lake, java.time.LocalDate asOf, PrintStream out) {
    List<Row> rows = lake.spark().sql("select month, spend_to_date_usd, forecast_p10_usd, forecast_p50_usd,"
        + " forecast_p90_usd, baseline_forecast_usd, method from gold.spend_forecast where as_of_date = date'" + asOf
        + "' and scope_type = 'total'").collectAsList();
    if (rows.isEmpty()) {
      return;
    }
    Row r = rows.get(0);
    out.printf("  month-end forecast  %15s USD  (%s: P10 %s, P90 %s; %s so far; burn-rate baseline %s; %s)%n",
        cents(r.getDecimal(3)), r.getDate(0).toString().substring(0, 7), cents(r.getDecimal(2)),
        cents(r.getDecimal(4)), cents(r.getDecimal(1)), cents(r.getDecimal(5)), r.getString(6));
  }

  private static String cents(java.math.BigDecimal usd) {
    return usd.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }
}
