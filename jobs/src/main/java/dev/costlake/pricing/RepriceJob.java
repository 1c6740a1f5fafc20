package dev.costlake.pricing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import dev.costlake.ops.RunCounts;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Restates list costs after a catalog change: re-prices every event of a window (and every earlier
 * unpriced event) with the current catalog and applies the differences to silver.cost_events in one
 * MERGE, a single Delta commit, so a window is never half old, half new. What changed is recorded
 * per model in ops.price_restatements; a second run with the same catalog finds nothing to change.
 */
public final class RepriceJob {
  /** Delta commit metadata key that ties a silver commit to its restatement. */
  static final String USER_METADATA_CONF = "spark.databricks.delta.commitInfo.userMetadata";
  private static final String USER_METADATA_PREFIX = "costlake-reprice:";
  static final List<String> PRICING_COLUMNS = List.of(
      "list_cost_usd_nanos", "cost_usd_nanos", "pricing_status", "price_id", "price_match", "price_catalog_version");

  private final Lakehouse lake;
  private final SparkSession spark;
  private final Pricing pricing;
  private final String runId;
  private final Clock clock;
  private final LocalDate from;
  private final LocalDate to;
  private final List<Row> summary = new ArrayList<>();
  private Runnable beforeMerge = () -> { };

  public RepriceJob(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, String runId, Clock clock,
      LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    this.lake = lake;
    this.spark = lake.spark();
    this.pricing = new Pricing(spark, catalog, config.priceAliases());
    this.runId = runId;
    this.clock = clock;
    this.from = from;
    this.to = to;
  }

  /** Test hook: run (e.g. throw, as a crash would) after the 'pending' record, before the MERGE. */
  RepriceJob beforeMerge(Runnable hook) {
    this.beforeMerge = hook;
    return this;
  }

  /** Re-prices the window; the counts say how many events were read and how many changed. */
  public RunCounts execute() {
    Instant startedAt = clock.instant();
    describe("settling earlier restatements");
    settlePendingRestatements();
    describe("re-pricing " + from + " to " + to);
    Dataset<Row> silver = lake.table(Lakehouse.COST_EVENTS);
    Dataset<Row> window = silver.where(
        col("event_date").between(lit(java.sql.Date.valueOf(from)), lit(java.sql.Date.valueOf(to)))
            .or(col("event_date").lt(lit(java.sql.Date.valueOf(from))).and(col("pricing_status").equalTo("unpriced"))));
    window.drop(PRICING_COLUMNS.toArray(String[]::new)).createOrReplaceTempView("reprice_events");
    Pricing.EventsAndModels windowEvents = pricing.countWithModels("reprice_events");
    pricing.price("reprice_events", windowEvents.models()).createOrReplaceTempView("reprice_priced");
    window.createOrReplaceTempView("reprice_current");

    // The changes, computed once and staged, so the MERGE and the record describe the same rows.
    String staging = lake.stagingPath("reprice/" + runId);
    spark.sql(SqlFile.load("intermediate/int_price_changes.sql").text())
        .write().mode("overwrite").parquet(staging);
    Dataset<Row> changes = spark.read().parquet(staging);
    summary.clear();
    summary.addAll(changes.groupBy("model").agg(
            org.apache.spark.sql.functions.count(lit(1)).as("events_repriced"),
            org.apache.spark.sql.functions.count_if(col("old_pricing_status").equalTo("unpriced")).as("events_newly_priced"),
            org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.coalesce(col("old_list_cost_usd_nanos"), lit(0L))).as("old_list"),
            org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.coalesce(col("list_cost_usd_nanos"), lit(0L))).as("new_list"),
            org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.coalesce(col("old_cost_usd_nanos"), lit(0L))).as("old_cost"),
            org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.coalesce(col("cost_usd_nanos"), lit(0L))).as("new_cost"),
            org.apache.spark.sql.functions.array_sort(org.apache.spark.sql.functions.collect_set("old_price_catalog_version")).as("old_versions"))
        .orderBy("model").collectAsList());
    long changed = summary.stream().mapToLong(r -> r.getLong(1)).sum();
    if (changed > 0) {
      describe("applying " + changed + " changed prices in one commit");
      recordRestatement(startedAt, "pending");
      beforeMerge.run();
      merge(changes);
      markRestatement("committed");
    }
    deleteQuietly(staging);
    spark.sparkContext().setJobDescription(null);
    return new RunCounts(windowEvents.events(), changed, 0, 0, 0, 1);
  }

  /** Labels the Spark jobs that follow, so the UI and logs say what is running. */
  private void describe(String what) {
    spark.sparkContext().setJobDescription("costlake reprice " + runId + ": " + what);
  }

  /** Per model: events_repriced, events_newly_priced, old/new list cost, old/new cost, old versions. */
  public List<Row> summary() {
    return summary;
  }

  private void merge(Dataset<Row> changes) {
    Set<LocalDate> dates = new HashSet<>();
    for (Row row : changes.select("event_date").distinct().collectAsList()) {
      dates.add(row.getDate(0).toLocalDate());
    }
    StringBuilder datesIn = new StringBuilder();
    for (LocalDate date : dates) {
      datesIn.append(datesIn.length() == 0 ? "" : ", ").append("date'").append(date).append("'");
    }
    Map<String, String> set = new LinkedHashMap<>();
    for (String column : PRICING_COLUMNS) {
      set.put(column, "changes." + column);
    }
    String previous = spark.conf().getOption(USER_METADATA_CONF).getOrElse(() -> null);
    spark.conf().set(USER_METADATA_CONF, USER_METADATA_PREFIX + runId);
    try {
      DeltaTable.forPath(spark, lake.path(Lakehouse.COST_EVENTS)).as("silver")
          .merge(changes.as("changes"),
              // event_date first: the MERGE reads only the partitions that change
              "silver.event_date in (" + datesIn + ") and silver.event_date = changes.event_date"
                  + " and silver.event_id = changes.event_id")
          .whenMatched().updateExpr(set)
          .execute();
    } finally {
      if (previous == null) {
        spark.conf().unset(USER_METADATA_CONF);
      } else {
        spark.conf().set(USER_METADATA_CONF, previous);
      }
    }
  }

  private void recordRestatement(Instant startedAt, String status) {
    List<Row> rows = new ArrayList<>();
    for (Row r : summary) {
      rows.add(org.apache.spark.sql.RowFactory.create(runId, status, Timestamp.from(startedAt),
          java.sql.Date.valueOf(from), java.sql.Date.valueOf(to), r.getString(0), r.getLong(1), r.getLong(2),
          r.isNullAt(3) ? null : r.getLong(3), r.isNullAt(4) ? null : r.getLong(4),
          r.isNullAt(5) ? null : r.getLong(5), r.isNullAt(6) ? null : r.getLong(6),
          r.getList(7), pricing.catalog().version()));
    }
    spark.createDataFrame(rows, lake.table(Lakehouse.PRICE_RESTATEMENTS).schema())
        .write().format("delta").mode("append").save(lake.path(Lakehouse.PRICE_RESTATEMENTS));
  }

  private void markRestatement(String status) {
    DeltaTable.forPath(spark, lake.path(Lakehouse.PRICE_RESTATEMENTS))
        .update(col("restatement_id").equalTo(runId), Map.of("status", lit(status)));
  }

  /** A reprice that died after recording 'pending' is settled from silver's Delta history. */
  private void settlePendingRestatements() {
    List<String> pending = lake.table(Lakehouse.PRICE_RESTATEMENTS).where(col("status").equalTo("pending"))
        .select("restatement_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    if (pending.isEmpty()) {
      return;
    }
    Set<String> committed = new HashSet<>(DeltaTable.forPath(spark, lake.path(Lakehouse.COST_EVENTS)).history()
        .where(col("userMetadata").startsWith(USER_METADATA_PREFIX))
        .select(org.apache.spark.sql.functions.substring_index(col("userMetadata"), ":", -1))
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    DeltaTable restatements = DeltaTable.forPath(spark, lake.path(Lakehouse.PRICE_RESTATEMENTS));
    for (String id : pending) {
      restatements.update(col("restatement_id").equalTo(id),
          Map.of("status", lit(committed.contains(id) ? "committed" : "abandoned")));
    }
  }

  private void deleteQuietly(String folder) {
    try {
      Path path = new Path(folder);
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
    } catch (IOException e) {
      // A leftover scratch folder is harmless: the next reprice has its own run id.
    }
  }
}
