package dev.costlake.rollup;

import static org.apache.spark.sql.functions.col;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import dev.costlake.ops.RollupRecord;
import io.delta.tables.DeltaTable;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rebuilds the gold tables for a window of event hours from silver.cost_events, and checks their
 * books. Each table's SQL file (sql/gold/) says what it holds; this class only binds the window and
 * replaces that window of the table in one Delta commit (replaceWhere), so a re-run of any window
 * gives the same rows and never appends a second copy.
 *
 * <p>Which hours to rebuild comes from silver's change data feed: every hour with an event
 * appended, restated or deleted since the silver version the rollups last reflected (the watermark,
 * ops.pipeline_runs.silver_version). A run that crashes before recording its version leaves the
 * watermark where it was, so the next run rebuilds the same hours again.
 */
public final class RollupJob {
  private final Lakehouse lake;
  private final CostlakeConfig config;
  private final String runId;
  private final Clock clock;
  private final SparkSession spark;
  private static final boolean TIMING = Boolean.getBoolean("costlake.timing");
  private long lastMark = System.nanoTime();
  private String step;
  private long checksBalanced;

  public RollupJob(Lakehouse lake, CostlakeConfig config, String runId, Clock clock) {
    this.lake = lake;
    this.config = config;
    this.runId = runId;
    this.clock = clock;
    this.spark = lake.spark();
  }

  /** The latest version of silver.cost_events. */
  public long silverVersion() {
    return DeltaTable.forPath(spark, lake.path(Lakehouse.COST_EVENTS)).history(1)
        .select("version").first().getLong(0);
  }

  /** The silver version the gold tables reflect (the last successful run that recorded one); -1 if none. */
  public long watermark() {
    Row row = lake.table(Lakehouse.PIPELINE_RUNS)
        .where(col("status").equalTo("succeeded").and(col("silver_version").isNotNull()))
        .agg(org.apache.spark.sql.functions.max("silver_version")).first();
    return row.isNullAt(0) ? -1 : row.getLong(0);
  }

  /** The event hours of every row appended, changed or deleted in silver in versions (after, upTo]. */
  public RollupWindow changedSince(long after, long upTo) {
    if (upTo <= after) {
      return RollupWindow.ofHours(List.of());
    }
    describe("finding the event hours silver versions " + (after + 1) + " to " + upTo + " changed");
    List<Row> rows;
    try {
      rows = spark.read().format("delta")
          .option("readChangeFeed", "true")
          .option("startingVersion", after + 1)
          .option("endingVersion", upTo)
          .load(lake.path(Lakehouse.COST_EVENTS))
          .select("event_hour").distinct().collectAsList();
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot read silver.cost_events changes after version " + after
          + " (the rollups' watermark): " + e.getMessage() + ". If that history was vacuumed, rebuild the"
          + " affected dates with `costlake backfill --from DATE --to DATE`", e);
    }
    List<Instant> hours = new ArrayList<>();
    for (Row row : rows) {
      hours.add(row.getTimestamp(0).toInstant());
    }
    return RollupWindow.ofHours(hours);
  }

  /** Rebuilds what changed in silver since the watermark; the record carries the new watermark. */
  public RollupRecord catchUp(LocalDate asOf, RollupWindow alsoRebuild) {
    long upTo = silverVersion();
    RollupWindow window = changedSince(watermark(), upTo).plus(alsoRebuild);
    rebuild(window, asOf);
    return record(window, upTo);
  }

  /** Rebuilds a window without moving the watermark (backfill). */
  public RollupRecord backfill(RollupWindow window, LocalDate asOf) {
    rebuild(window, asOf);
    return record(window, null);
  }

  private RollupRecord record(RollupWindow window, Long silverVersion) {
    NavigableSet<LocalDate> dates = window.dates();
    return new RollupRecord(window.hours().size(), dates.isEmpty() ? null : dates.first(),
        dates.isEmpty() ? null : dates.last(), silverVersion, checksBalanced,
        java.util.Collections.unmodifiableNavigableSet(new java.util.TreeSet<>(window.hours())));
  }

  /**
   * Replaces the window in every gold table, in dependency order, then checks the books.
   * asOf is the run date: weeks and the trend's 90 days end before it.
   */
  public void rebuild(RollupWindow window, LocalDate asOf) {
    if (!window.isEmpty()) {
      String dates = SqlFile.dateList(window.dates());
      String hours = SqlFile.timestampList(window.hours());
      String hoursPredicate = "event_date in (" + dates + ") and event_hour in (" + hours + ")";
      String datesPredicate = "event_date in (" + dates + ")";
      Map<String, String> hourBindings = Map.of("event_dates", dates, "event_hours", hours);
      // The two hourly tables read the window's events once each; neither has the user and the
      // slices in one grain (that grain had a row per ~1.1 events), so both are small and their
      // commits overlap.
      describe("rebuilding " + Lakehouse.COST_HOURLY + " and " + Lakehouse.COST_HOURLY_BY_USER + " for " + window);
      inParallel(List.of(
          () -> replace(Lakehouse.COST_HOURLY, hourBindings, hoursPredicate),
          () -> replace(Lakehouse.COST_HOURLY_BY_USER, hourBindings, hoursPredicate)));
      describe("rebuilding " + Lakehouse.COST_DAILY + " and " + Lakehouse.COST_DAILY_BY_USER + " for "
          + window.dates().size() + " days");
      inParallel(List.of(
          () -> replace(Lakehouse.COST_DAILY, Map.of("event_dates", dates), datesPredicate),
          () -> replace(Lakehouse.COST_DAILY_BY_USER, Map.of("event_dates", dates), datesPredicate)));
      describe("rebuilding the " + Lakehouse.DAILY_DIMENSION_TABLES.size() + " per-dimension daily tables");
      List<Runnable> dimensions = new ArrayList<>();
      for (String table : Lakehouse.DAILY_DIMENSION_TABLES) {
        dimensions.add(() -> replace(table, Map.of("event_dates", dates), datesPredicate));
      }
      inParallel(dimensions);
    }
    NavigableSet<LocalDate> weeks = window.driverWeeks(asOf);
    describe("rebuilding " + Lakehouse.TOP_COST_DRIVERS + " (" + weeks.size() + " weeks) and "
        + Lakehouse.COST_PER_REQUEST_TREND);
    List<Runnable> derived = new ArrayList<>();
    if (!weeks.isEmpty()) {
      derived.add(() -> replace(Lakehouse.TOP_COST_DRIVERS, Map.of(
              "week_starts", SqlFile.dateList(weeks),
              "from_date", SqlFile.dateLiteral(weeks.first().minusWeeks(1)),
              "to_date", SqlFile.dateLiteral(weeks.last().plusDays(6)),
              "top_n", String.valueOf(config.topN())),
          "week_start in (" + SqlFile.dateList(weeks) + ")"));
    }
    // The trend reads the closed days before asOf: with nothing new in silver it only changes when
    // asOf's date (or trend-days) does, so a quiet hourly of the same day skips its commit.
    String trendDays = asOf.minusDays(config.trendDays()) + ".." + asOf.minusDays(1);
    if (!window.isEmpty() || !trendDays.equals(lastTrendDays())) {
      derived.add(() -> replace(Lakehouse.COST_PER_REQUEST_TREND, Map.of(
          "from_date", SqlFile.dateLiteral(asOf.minusDays(config.trendDays())),
          "to_date", SqlFile.dateLiteral(asOf.minusDays(1))), null, TREND_DAYS + trendDays));
    }
    if (!derived.isEmpty()) {
      inParallel(derived);
    }
    if (!window.isEmpty()) {
      describe("checking the rollups' books for " + window.dates().size() + " days");
      checksBalanced = check(window);
    }
    describe(null);
  }

  /**
   * Runs independent table rebuilds at once: each is a small Spark job plus a Delta commit whose
   * fixed costs (planning, the log, the commit) are mostly driver time, so overlapping them cuts the
   * wall time of a run even on two cores. Different tables never conflict in Delta.
   */
  private void inParallel(List<Runnable> rebuilds) {
    if (rebuilds.size() == 1) {
      rebuilds.get(0).run();
      return;
    }
    String description = spark.sparkContext().getLocalProperty("spark.job.description");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(rebuilds.size());
    try {
      List<java.util.concurrent.Future<?>> running = new ArrayList<>();
      for (Runnable rebuild : rebuilds) {
        running.add(pool.submit(() -> {
          spark.sparkContext().setJobDescription(description);
          rebuild.run();
        }));
      }
      for (java.util.concurrent.Future<?> rebuild : running) {
        try {
          rebuild.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while rebuilding rollups", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The Delta commit message (userMetadata) of a trend rebuild, before the days it covered. */
  private static final String TREND_DAYS = "cost_per_request_trend days ";

  /** The days (from..to) gold.cost_per_request_trend was last rebuilt for; null if unknown. */
  private String lastTrendDays() {
    Row last = DeltaTable.forPath(spark, lake.path(Lakehouse.COST_PER_REQUEST_TREND)).history(1)
        .select("userMetadata").first();
    String message = last.isNullAt(0) ? "" : last.getString(0);
    return message.startsWith(TREND_DAYS) ? message.substring(TREND_DAYS.length()) : null;
  }

  /** Runs a gold table's query (statement 2 of its SQL file) and replaces where (all of it if null). */
  private void replace(String table, Map<String, String> bindings, String where) {
    replace(table, bindings, where, null);
  }

  /** The same, with message as the commit's userMetadata when not null. */
  private void replace(String table, Map<String, String> bindings, String where, String message) {
    String file = table.replace('.', '/') + ".sql";
    Dataset<Row> rows = spark.sql(SqlFile.load(file).statement(1).bind(bindings));
    // Columns in the table's order and types, whatever order the query chose.
    List<Column> columns = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField field : lake.table(table).schema().fields()) {
      columns.add(col(field.name()).cast(field.dataType()).as(field.name()));
    }
    var writer = rows.select(columns.toArray(Column[]::new)).write().format("delta").mode("overwrite");
    if (where != null) {
      writer = writer.option("replaceWhere", where);
    }
    if (message != null) {
      writer = writer.option("userMetadata", message);
    }
    writer.save(lake.path(table));
  }

  /**
   * Appends this run's checks to ops.rollup_checks; throws if any measure of any table is off.
   * Returns how many checks balanced (all of them).
   */
  private long check(RollupWindow window) {
    NavigableSet<LocalDate> dates = window.dates();
    Map<String, String> bindings = new LinkedHashMap<>();
    bindings.put("run_id", SqlFile.literal(runId));
    bindings.put("checked_at", SqlFile.timestampLiteral(clock.instant()));
    bindings.put("event_dates", SqlFile.dateList(dates));
    bindings.put("window_from", SqlFile.dateLiteral(dates.first()));
    bindings.put("window_to", SqlFile.dateLiteral(dates.last()));
    bindings.put("window_days", String.valueOf(dates.size()));
    List<Row> checks = spark.sql(SqlFile.load("ops/rollup_checks.sql").statement(1).bind(bindings)).collectAsList();
    spark.createDataFrame(checks, lake.table(Lakehouse.ROLLUP_CHECKS).schema())
        .write().format("delta").mode("append").save(lake.path(Lakehouse.ROLLUP_CHECKS));
    List<String> off = new ArrayList<>();
    for (Row check : checks) {
      if (!check.getBoolean(check.fieldIndex("balanced"))) {
        off.add(String.format("%s.%s = %s but silver says %s", check.getAs("rollup_table"), check.getAs("measure"),
            check.getAs("rollup_value").toString(), check.getAs("silver_value").toString()));
      }
    }
    if (!off.isEmpty()) {
      throw new RollupBooksException("the rollups do not add up to silver.cost_events for " + dates.size()
          + " days from " + dates.first() + " to " + dates.last() + " (ops.rollup_checks, run " + runId + "): "
          + String.join("; ", off.subList(0, Math.min(6, off.size())))
          + (off.size() > 6 ? "; and " + (off.size() - 6) + " more" : "")
          + ". Rebuild the dates with `costlake backfill`");
    }
    return checks.size();
  }

  /** Labels the Spark jobs that follow; with -Dcostlake.timing=true, prints how long the previous step took. */
  private void describe(String what) {
    if (TIMING) {
      long now = System.nanoTime();
      if (step != null) {
        System.err.printf("[timing] %6.2f s  %s%n", (now - lastMark) / 1e9, step);
      }
      lastMark = now;
      step = what;
    }
    spark.sparkContext().setJobDescription(what == null ? null
        : "costlake rollups " + runId.substring(0, Math.min(8, runId.length())) + ": " + what);
  }
}
