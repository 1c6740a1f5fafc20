package dev.costlake.rollup;

import dev.costlake.alert.AlertJob;
import dev.costlake.alert.BudgetJob;
import dev.costlake.anomaly.AnomalyJob;
import dev.costlake.anomaly.Grain;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.forecast.ForecastJob;
import dev.costlake.ingest.IngestJob;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunCounts;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.config.PostgresSettings;
import dev.costlake.serve.PublishWindow;
import dev.costlake.serve.Publisher;
import dev.costlake.serve.ServingTable;
import io.delta.tables.DeltaTable;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;

/**
 * The scheduled jobs, each one recorded run holding the lakehouse lock:
 * hourly (ingest, rebuild every hour the new events touched, judge the last complete hour for
 * anomalies), nightly (the same, plus the closed days rebuilt whole, the last closed day judged, the
 * month-end forecasts, and table maintenance) and backfill (rebuild a window from silver). Hourly and
 * nightly end by publishing what they changed to PostgreSQL when postgres.url is set.
 */
public final class ScheduledJobs {
  private ScheduledJobs() {}

  /**
   * Ingests what is new, rebuilds the rollups of every hour silver gained or changed since the
   * watermark, then judges the last complete hour (the one before asOf) for anomalies.
   */
  public static RunRecorder.Outcome hourly(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock,
      Instant asOf) {
    return hourly(lake, config, catalog, clock, asOf, summary -> {});
  }

  /** The hourly job; then its alert rules (gold.alerts, delivery), whose summary goes to alerted. */
  public static RunRecorder.Outcome hourly(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock,
      Instant asOf, Consumer<AlertJob.Summary> alerted) {
    String runId = RunRecorder.newRunId();
    IngestJob ingest = new IngestJob(lake, config, catalog, runId, clock);
    RollupJob rollups = new RollupJob(lake, config, runId, clock);
    AnomalyJob anomalies = new AnomalyJob(lake, config, catalog, clock);
    Instant lastCompleteHour = Grain.HOUR.periodOf(asOf).minus(Grain.HOUR.length());
    return RunRecorder.record(lake, config, "hourly", runId, clock, () -> {
      RunCounts counts = ingest.execute()
          .withRollup(rollups.catchUp(LocalDate.ofInstant(asOf, ZoneOffset.UTC), RollupWindow.ofHours(List.of())));
      RunCounts done = timed("anomalies of the last complete hour",
          () -> counts.withAnomalies(anomalies.detect(Grain.HOUR, List.of(lastCompleteHour))));
      // The dates rebuilt, and yesterday and today (so a publish that failed last hour is redone).
      LocalDate today = LocalDate.ofInstant(asOf, ZoneOffset.UTC);
      timed("publishing", () -> publish(lake, config, done.rollup(), today.minusDays(1), today, HOURLY_TABLES,
          lastCompleteHour));
      // Last: a rule or a channel that fails must not fail the run (only publishing gold.alerts can).
      timed("alert rules", () -> alertAndPublish(lake, config, new AlertJob(lake, config, clock).hourly(
          lastCompleteHour, () -> BudgetJob.intraday(lake, config, lastCompleteHour)), alerted));
      return done;
    }, ingest::totals);
  }

  /**
   * The hourly work, plus the rollups of the rebuildDays days before asOf rebuilt whole from silver
   * (the closed days become final whatever happened to them), then Delta maintenance.
   */
  public static RunRecorder.Outcome nightly(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock,
      LocalDate asOf, int rebuildDays) {
    return nightly(lake, config, catalog, clock, asOf, rebuildDays, summary -> {});
  }

  /**
   * The nightly job; after the forecasts it writes gold.budget_status, and last it evaluates the
   * nightly alert rules (gold.alerts, delivery), whose summary goes to alerted.
   */
  public static RunRecorder.Outcome nightly(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock,
      LocalDate asOf, int rebuildDays, Consumer<AlertJob.Summary> alerted) {
    if (rebuildDays < 1) {
      throw new IllegalArgumentException("--rebuild-days must be at least 1, not " + rebuildDays);
    }
    String runId = RunRecorder.newRunId();
    IngestJob ingest = new IngestJob(lake, config, catalog, runId, clock);
    RollupJob rollups = new RollupJob(lake, config, runId, clock);
    AnomalyJob anomalies = new AnomalyJob(lake, config, catalog, clock);
    return RunRecorder.record(lake, config, "nightly", runId, clock, () -> {
      RunCounts counts = ingest.execute();
      RunCounts done = counts.withRollup(
          rollups.catchUp(asOf, RollupWindow.ofDays(asOf.minusDays(rebuildDays), asOf.minusDays(1))));
      RunCounts judged = timed("anomalies of the last closed day", () -> done.withAnomalies(anomalies.detect(
          Grain.DAY, List.of(asOf.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))));
      timed("month-end forecasts", () -> ForecastJob.run(lake, config, asOf));
      List<BudgetJob.Status> budgets = timed("budgets", () -> BudgetJob.run(lake, config, asOf));
      timed("OPTIMIZE and VACUUM", () -> maintain(lake, config, asOf));
      // Every table over the trend's days (nightly rebuilds them all) and the dates rebuilt; the
      // day before the run date is closed, so final through its last hour.
      timed("publishing", () -> publish(lake, config, judged.rollup(), asOf.minusDays(config.trendDays()), asOf,
          NIGHTLY_TABLES, asOf.atStartOfDay(ZoneOffset.UTC).toInstant().minus(Grain.HOUR.length())));
      timed("alert rules", () -> alertAndPublish(lake, config, new AlertJob(lake, config, clock).nightly(asOf,
          budgets), alerted));
      return judged;
    }, ingest::totals);
  }

  private static final boolean TIMING = Boolean.getBoolean("costlake.timing");

  /** Runs a step; with -Dcostlake.timing=true, prints how long it took (as the rollup steps do). */
  private static <T> T timed(String step, java.util.function.Supplier<T> body) {
    long began = System.nanoTime();
    try {
      return body.get();
    } finally {
      if (TIMING) {
        System.err.printf("[timing] %6.2f s  %s%n", (System.nanoTime() - began) / 1e9, step);
      }
    }
  }

  private static void timed(String step, Runnable body) {
    timed(step, () -> {
      body.run();
      return null;
    });
  }

  /**
   * Judges again the closed periods a run rebuilt (a reprice restating prices): every rebuilt hour
   * before the last complete one's end, and their days before today (UTC). Later periods, which
   * used the rebuilt ones as their baseline, keep the judgement they were given.
   */
  public static RunCounts rejudge(AnomalyJob anomalies, RunCounts counts, Instant now) {
    if (counts.rollup() == null || counts.rollup().rebuiltHours().isEmpty()) {
      return counts;
    }
    Instant currentHour = Grain.HOUR.periodOf(now);
    Instant today = Grain.DAY.periodOf(now);
    java.util.TreeSet<Instant> hours = new java.util.TreeSet<>(counts.rollup().rebuiltHours().headSet(currentHour));
    java.util.TreeSet<Instant> days = new java.util.TreeSet<>();
    for (Instant hour : hours) {
      Instant day = Grain.DAY.periodOf(hour);
      if (day.isBefore(today)) {
        days.add(day);
      }
    }
    return counts.withAnomalies(anomalies.detectAll(Grain.HOUR, hours))
        .withAnomalies(anomalies.detectAll(Grain.DAY, days));
  }

  /**
   * Hands the rules' summary on and, when the rules ran, publishes gold.alerts whole, which they
   * just rewrote. The other tables were published before the rules ran, so a notification's
   * dashboard link already finds its data.
   */
  private static void alertAndPublish(Lakehouse lake, CostlakeConfig config, AlertJob.Summary summary,
      Consumer<AlertJob.Summary> alerted) {
    alerted.accept(summary);
    if (!summary.rulesEvaluated().isEmpty() && config.postgres() != null) {
      new Publisher(lake, config.postgres()).publish(List.of(ServingTable.ALERTS), PublishWindow.ALL, null);
    }
  }

  /** What the nightly job publishes before its rules: every table but gold.alerts, which follows them. */
  static final List<ServingTable> NIGHTLY_TABLES = java.util.Arrays.stream(ServingTable.values())
      .filter(t -> t != ServingTable.ALERTS).toList();

  /** What the hourly job publishes: the rollups and the anomalies it judged. */
  static final List<ServingTable> HOURLY_TABLES = java.util.stream.Stream.concat(ServingTable.ROLLUPS.stream(),
      java.util.stream.Stream.of(ServingTable.COST_ANOMALIES)).toList();

  /**
   * Publishes the window a run changed to PostgreSQL, when postgres.url is set: from..to widened to
   * the dates the rollups rebuilt.
   */
  static void publish(Lakehouse lake, CostlakeConfig config, dev.costlake.ops.RollupRecord rollup, LocalDate from,
      LocalDate to, List<ServingTable> tables, Instant completeThrough) {
    PostgresSettings postgres = config.postgres();
    if (postgres == null) {
      return;
    }
    if (rollup != null && rollup.from() != null && rollup.from().isBefore(from)) {
      from = rollup.from();
    }
    if (rollup != null && rollup.to() != null && rollup.to().isAfter(to)) {
      to = rollup.to();
    }
    new Publisher(lake, postgres).publish(tables, PublishWindow.of(from, to), completeThrough);
  }

  /** Rebuilds every hour of the dates from..to from silver; the watermark stays where it is. */
  public static RunRecorder.Outcome backfill(Lakehouse lake, CostlakeConfig config, Clock clock, LocalDate from,
      LocalDate to, LocalDate asOf) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    String runId = RunRecorder.newRunId();
    RollupJob rollups = new RollupJob(lake, config, runId, clock);
    return RunRecorder.record(lake, config, "backfill", runId, clock,
        () -> RunCounts.ZERO.withRollup(rollups.backfill(RollupWindow.ofDays(from, to), asOf)),
        () -> RunCounts.ZERO);
  }

  /**
   * Compacts the recent partitions the hourly runs wrote in small pieces (OPTIMIZE), and deletes
   * files no version within the retention period references (VACUUM) from every table old enough
   * to have any.
   */
  static void maintain(Lakehouse lake, CostlakeConfig config, LocalDate asOf) {
    var spark = lake.spark();
    String recent = "event_date >= '" + asOf.minusDays(config.optimizeDays()) + "' and event_date < '" + asOf + "'";
    for (String table : List.of(Lakehouse.COST_EVENTS, Lakehouse.COST_HOURLY, Lakehouse.COST_DAILY)) {
      spark.sparkContext().setJobDescription("costlake nightly: OPTIMIZE " + table + " where " + recent);
      DeltaTable.forPath(spark, lake.path(table)).optimize().where(recent).executeCompaction();
    }
    // Wall-clock time, as Delta's own retention check uses: not the run's --as-of.
    Instant now = Instant.now();
    org.apache.hadoop.conf.Configuration hadoop = spark.sessionState().newHadoopConf();
    for (String table : Lakehouse.TABLES) {
      if (youngerThanAnyRetention(lake, hadoop, table, now)) {
        continue;
      }
      spark.sparkContext().setJobDescription("costlake nightly: VACUUM " + table);
      // LITE finds what to delete from the Delta log instead of listing every file of the table, so
      // its cost follows the day's changes, not the table's size. Files stay as long as the table's
      // delta.deletedFileRetentionDuration says (Delta's default: 7 days).
      // Delta prints "Deleted N files ..." to the console for every table; the run summary says enough.
      scala.Console$.MODULE$.withOut(java.io.OutputStream.nullOutputStream(), (scala.Function0<Object>) () ->
          spark.sql("vacuum delta.`" + lake.path(table) + "` lite").collectAsList());
    }
    spark.sparkContext().setJobDescription(null);
  }

  /**
   * The shortest retention Delta's VACUUM accepts unless its safety check
   * (spark.databricks.delta.retentionDurationCheck.enabled) is turned off.
   */
  static final java.time.Duration VACUUM_MIN_RETENTION = java.time.Duration.ofDays(7);

  /**
   * Whether the table's first commit is more recent than VACUUM_MIN_RETENTION: then every file it
   * ever removed was removed within any retention VACUUM accepts, and VACUUM LITE (which deletes only
   * files the log removed) would delete nothing. Checking costs one file status; a VACUUM costs about
   * 20 small Spark jobs a table (together about 30 s of a small nightly run on 2 cores). When version
   * 0's file is gone (Delta cleans up logs older than 30 days), the table is older than that.
   */
  static boolean youngerThanAnyRetention(Lakehouse lake, org.apache.hadoop.conf.Configuration hadoop, String table,
      Instant now) {
    org.apache.hadoop.fs.Path firstCommit = new org.apache.hadoop.fs.Path(lake.path(table),
        "_delta_log/00000000000000000000.json");
    try {
      org.apache.hadoop.fs.FileSystem fs = firstCommit.getFileSystem(hadoop);
      long ageMillis = now.toEpochMilli() - fs.getFileStatus(firstCommit).getModificationTime();
      return ageMillis < VACUUM_MIN_RETENTION.toMillis();
    } catch (java.io.FileNotFoundException e) {
      return false;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + firstCommit, e);
    }
  }
}
