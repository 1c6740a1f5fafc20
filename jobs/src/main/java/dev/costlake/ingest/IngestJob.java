package dev.costlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import dev.costlake.ops.Lateness;
import dev.costlake.ops.RunCounts;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Ingests raw files not seen before into silver.cost_events and silver.quarantine, exactly once.
 *
 * <p>Spark's file source (Trigger.AvailableNow, checkpoint in the lakehouse) decides which files are
 * new; each micro-batch is parsed once, classified against every earlier event, and appended with
 * Delta idempotent writes keyed on (stream id, batch id), so a batch replayed after a crash is never
 * appended twice and a file is never read twice.
 */
public final class IngestJob {
  public static final String STREAM = "ingest";
  static final int MAX_EVENT_ID_LENGTH = 200;
  private static final String TXN_APP_PREFIX = "costlake-ingest-";
  private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private final Lakehouse lake;
  private final CostlakeConfig config;
  private final String runId;
  private final Clock clock;
  private final SparkSession spark;
  private final Pricing pricing;
  private CrashPoint crashPoint = CrashPoint.NONE;
  private static final boolean TIMING = Boolean.getBoolean("costlake.timing");
  private long lastMark = System.nanoTime();
  private RunCounts totals = RunCounts.ZERO;
  /** The first and last hour of gold.cost_hourly when the run started (null, null: nothing rolled up yet). */
  private Instant firstRolledUpHour;
  private Instant lastRolledUpHour;

  public IngestJob(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, String runId, Clock clock) {
    this.lake = lake;
    this.config = config;
    this.runId = runId;
    this.clock = clock;
    this.spark = lake.spark();
    this.pricing = new Pricing(spark, catalog, config.priceAliases());
  }

  /** Test hook: fail at a chosen point of a batch, as a crash would. */
  IngestJob withCrashPoint(CrashPoint point) {
    this.crashPoint = point;
    return this;
  }

  /** Ingests every new file; returns the run's books. Throws if a batch's books do not balance. */
  public RunCounts execute() {
    String rawPath = config.rawPath();
    requireRawPathExists(rawPath);
    // Lateness is about hours already rolled up: read their range once, before this run adds events.
    Row rolledUp = spark.table(Lakehouse.COST_HOURLY).agg(
        org.apache.spark.sql.functions.min("event_hour"), org.apache.spark.sql.functions.max("event_hour")).first();
    firstRolledUpHour = rolledUp.isNullAt(0) ? null : rolledUp.getTimestamp(0).toInstant();
    lastRolledUpHour = rolledUp.isNullAt(1) ? null : rolledUp.getTimestamp(1).toInstant();
    spark.sparkContext().setJobDescription("costlake ingest: listing new files under " + rawPath);
    Dataset<Row> newFiles =
        spark
            .readStream()
            .format("binaryFile")
            .schema("path string, modificationTime timestamp, length bigint, content binary")
            // Any folder layout: do not infer partition columns from dt=/hr= folder names.
            .option("recursiveFileLookup", "true")
            .option("maxFilesPerTrigger", config.maxFilesPerBatch())
            .option("maxFileAge", config.maxFileAge().toMillis() + "ms")
            .load(rawPath)
            // Only the listing is needed here; selecting no content keeps the files unread.
            .select("path");
    StreamingQuery query;
    try {
      query =
          newFiles
              .writeStream()
              .queryName("costlake_ingest")
              .trigger(Trigger.AvailableNow())
              .option("checkpointLocation", lake.checkpointPath(STREAM))
              .foreachBatch((VoidFunction2<Dataset<Row>, Long>) this::ingestBatch)
              .start();
      query.awaitTermination();
    } catch (TimeoutException e) {
      throw new IllegalStateException("The ingest stream did not start: " + e.getMessage(), e);
    } catch (StreamingQueryException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
    return totals;
  }

  private void requireRawPathExists(String rawPath) {
    try {
      Path path = new Path(rawPath);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        throw new IllegalArgumentException(
            "raw.path " + rawPath + " does not exist: nothing to ingest. Write events there,"
                + " run `costlake generate --out " + rawPath + "`, or set raw.path");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check raw.path " + rawPath, e);
    }
  }

  private void ingestBatch(Dataset<Row> batchFiles, Long batchId) {
    List<String> paths = batchFiles.as(Encoders.STRING()).collectAsList();
    String streamId = spark.sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    if (streamId == null) {
      throw new IllegalStateException("ingest batch ran outside its streaming query");
    }
    String batchKey = streamId + ":" + batchId;
    RawFiles files = RawFiles.classify(paths);
    String staging = lake.stagingPath(STREAM + "/" + streamId + "/" + batchId);
    Instant batchStartedAt = clock.instant();
    describe("batch " + batchId + ": parsing " + files.count() + " files");

    // Pass 1: read and parse every record once, counting records as they flow past.
    Observation rawObserved = new Observation("raw_records_" + batchId);
    RawRecords.read(spark, files)
        .observe(rawObserved, count(lit(1)).as("records"))
        .createOrReplaceTempView("raw_records");
    Map<String, String> stagingArgs = Map.of(
        "max_event_time", SqlFile.timestampLiteral(batchStartedAt.plus(config.maxClockSkew())),
        "max_event_id_length", String.valueOf(MAX_EVENT_ID_LENGTH),
        "max_dimension_length", String.valueOf(config.maxDimensionLength()));
    spark.sql(SqlFile.load("staging/stg_cost_events.sql").bind(stagingArgs))
        .write()
        .mode("overwrite")
        .parquet(staging + "/staged");
    long recordsRead = observedCount(rawObserved) + files.unsupported().size();

    // Pass 2: settle the contested event ids (more than one copy, or already in silver): a narrow,
    // usually tiny set, so the wide rows are never shuffled.
    describe("batch " + batchId + ": deduplicating against silver.cost_events");
    Dataset<Row> staged = spark.read().parquet(staging + "/staged");
    staged.createOrReplaceTempView("stg_cost_events");
    // Earlier copies are looked up only in the silver partitions of the batch's own event dates.
    List<java.time.LocalDate> batchDates = new java.util.ArrayList<>();
    for (Row row : staged.where(col("reason").isNull()).select("event_date").distinct().collectAsList()) {
      batchDates.add(row.getDate(0).toLocalDate());
    }
    spark.sql(
            SqlFile.load("intermediate/int_cost_events_contested.sql")
                .bind(Map.of("ingest_batch_id", SqlFile.literal(batchKey),
                    "batch_dates", SqlFile.dateList(batchDates))))
        .write()
        .mode("overwrite")
        .parquet(staging + "/contested");
    spark.read().parquet(staging + "/contested").createOrReplaceTempView("int_cost_events_contested");
    Dataset<Row> accepted = spark.sql(SqlFile.load("intermediate/int_cost_events_accepted.sql").text());
    accepted.createOrReplaceTempView("int_cost_events_accepted");
    // One pass gives the books their accepted count, pricing its model names, and the events older
    // than rollups.lateness: late where their hour was already rolled up, backfilled history where not.
    Instant lateBefore = batchStartedAt.minus(config.lateness());
    org.apache.spark.sql.Column old = col("event_time").lt(lit(java.sql.Timestamp.from(lateBefore)));
    org.apache.spark.sql.Column rolledUp = firstRolledUpHour == null ? lit(false)
        : col("event_time").geq(lit(java.sql.Timestamp.from(firstRolledUpHour)))
            .and(col("event_time").lt(lit(java.sql.Timestamp.from(lastRolledUpHour.plus(java.time.Duration.ofHours(1))))));
    Row profile = accepted.agg(
            count(lit(1)),
            org.apache.spark.sql.functions.collect_set("model"),
            org.apache.spark.sql.functions.count_if(old.and(rolledUp)),
            org.apache.spark.sql.functions.min(org.apache.spark.sql.functions.when(old.and(rolledUp), col("event_time"))),
            org.apache.spark.sql.functions.count_if(old.and(org.apache.spark.sql.functions.not(rolledUp))))
        .first();
    long acceptedCount = profile.getLong(0);
    Lateness late = Lateness.of(profile.getLong(2),
        profile.isNullAt(3) ? null : profile.getTimestamp(3).toInstant(), profile.getLong(4), batchStartedAt);
    Dataset<Row> priced = pricing.price("int_cost_events_accepted", profile.getList(1));
    Map<String, Long> contested = new HashMap<>();
    for (Row row : spark.table("int_cost_events_contested").groupBy("outcome").count().collectAsList()) {
      contested.put(row.getString(0), row.getLong(1));
    }
    Dataset<Row> rejected = spark.sql(SqlFile.load("intermediate/int_cost_events_rejected.sql")
        .bind(Map.of("has_conflicts", String.valueOf(contested.containsKey("quarantined")))));
    if (!files.unsupported().isEmpty()) {
      rejected = rejected.unionByName(RawRecords.unsupportedFiles(spark, files.unsupported()));
    }

    // The books, from three independent queries, before anything is written.
    long duplicates = contested.getOrDefault("duplicate", 0L);
    RunCounts batch = new RunCounts(recordsRead, acceptedCount, rejected.count(), duplicates, files.count(), 1);
    if (!batch.balanced()) {
      throw new BooksDoNotBalanceException(
          String.format(
              "ingest batch %d: read %d records but accepted %d + quarantined %d + duplicate %d = %d;"
                  + " nothing was written for this batch",
              batchId, batch.recordsRead(), batch.recordsAccepted(), batch.recordsQuarantined(),
              batch.recordsDuplicate(),
              batch.recordsAccepted() + batch.recordsQuarantined() + batch.recordsDuplicate()));
    }

    describe("batch " + batchId + ": writing " + batch.recordsAccepted() + " events");
    java.sql.Timestamp ingestedAt = java.sql.Timestamp.from(batchStartedAt);
    // An empty append would still be a Delta commit (~2 s): a batch with nothing to quarantine (or
    // nothing accepted) skips it. Each table's replay protection is its own, so skipping one is safe.
    if (batch.recordsAccepted() > 0) {
      appendOnce(priced, Lakehouse.COST_EVENTS, streamId, batchId, batchKey, ingestedAt);
    }
    crashPoint.reached(CrashPoint.AFTER_SILVER_WRITE);
    describe("batch " + batchId + ": writing quarantine");

    if (batch.recordsQuarantined() > 0) {
      appendOnce(rejected, Lakehouse.QUARANTINE, streamId, batchId, batchKey, ingestedAt);
    }
    crashPoint.reached(CrashPoint.AFTER_QUARANTINE_WRITE);

    describe("batch " + batchId + ": done");
    deleteQuietly(staging);
    totals = totals.plus(batch.withUnpriced(unpricedByModel(batchKey)).withLate(late));
  }

  /**
   * Appends a batch's rows with its lineage, as a Delta idempotent write: a replay of the same
   * (stream, batch) after a crash is skipped by Delta instead of appended twice.
   */
  private void appendOnce(Dataset<Row> rows, String table, String streamId, long batchId, String batchKey,
      java.sql.Timestamp ingestedAt) {
    rows.withColumn("ingest_run_id", lit(runId))
        .withColumn("ingest_batch_id", lit(batchKey))
        .withColumn("ingested_at", lit(ingestedAt))
        .write()
        .format("delta")
        .mode("append")
        .option("txnAppId", TXN_APP_PREFIX + streamId)
        .option("txnVersion", batchId)
        .save(lake.path(table));
  }

  /** The batch's events no price matched, by model, read back from what silver committed. */
  private Map<String, Long> unpricedByModel(String batchKey) {
    Map<String, Long> byModel = new HashMap<>();
    for (Row row : lake.table(Lakehouse.COST_EVENTS)
        .where(col("ingest_batch_id").equalTo(batchKey).and(col("pricing_status").equalTo("unpriced")))
        .groupBy("model").count().collectAsList()) {
      byModel.put(row.getString(0), row.getLong(1));
    }
    return byModel;
  }

  private static long observedCount(Observation observation) {
    try {
      return ((Number) observation.getAsJava().get("records")).longValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting raw records", e);
    }
  }

  private void describe(String what) {
    if (TIMING) {
      long now = System.nanoTime();
      System.err.printf("[timing] %.2f s -> %s%n", (now - lastMark) / 1e9, what);
      lastMark = now;
    }
    spark.sparkContext().setJobDescription("costlake ingest " + runId.substring(0, 8) + ": " + what);
  }

  private void deleteQuietly(String folder) {
    try {
      Path path = new Path(folder);
      path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, true);
    } catch (IOException e) {
      // Staging is overwritten by the next run of the same batch; a leftover folder is harmless.
    }
  }

  /** The books of the batches committed so far. */
  public RunCounts totals() {
    return totals;
  }
}
