package dev.costlake.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.costlake.lake.Lakehouse;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Writes ops.pipeline_runs: a 'running' row when a run starts, its outcome when it ends. */
public final class PipelineRunLog {
  private final SparkSession spark;
  private final String path;

  public PipelineRunLog(Lakehouse lake) {
    this.spark = lake.spark();
    this.path = lake.path(Lakehouse.PIPELINE_RUNS);
  }

  public void started(String runId, String job, Instant startedAt) {
    spark
        .createDataFrame(
            List.of(RowFactory.create(runId, job, Timestamp.from(startedAt), "running")),
            spark.table(Lakehouse.PIPELINE_RUNS).select("run_id", "job", "started_at", "status").schema())
        .write()
        .format("delta")
        .mode("append")
        .save(path);
  }

  public void ended(String runId, Instant endedAt, RunCounts counts, String error) {
    Map<String, Column> set = new java.util.LinkedHashMap<>();
    set.put("ended_at", lit(Timestamp.from(endedAt)));
    set.put("status", lit(error == null ? "succeeded" : "failed"));
    set.put("records_read", lit(counts.recordsRead()));
    set.put("records_accepted", lit(counts.recordsAccepted()));
    set.put("records_quarantined", lit(counts.recordsQuarantined()));
    set.put("records_duplicate", lit(counts.recordsDuplicate()));
    set.put("files_read", lit(counts.filesRead()));
    set.put("batches", lit(counts.batches()));
    set.put("records_unpriced", lit(counts.recordsUnpriced()));
    set.put("unpriced_models", unpricedModels(counts.unpricedByModel()));
    Lateness late = counts.late();
    set.put("records_late", lit(late.events()));
    set.put("max_lateness_seconds", lit(late.maxLatenessSeconds()));
    set.put("earliest_late_event_time", late.earliestEventTime() == null ? lit(null).cast("timestamp")
        : lit(Timestamp.from(late.earliestEventTime())));
    RollupRecord rollup = counts.rollup();
    if (rollup != null) {
      set.put("rollup_hours", lit(rollup.hours()));
      set.put("rollup_from", rollup.from() == null ? lit(null).cast("date") : lit(java.sql.Date.valueOf(rollup.from())));
      set.put("rollup_to", rollup.to() == null ? lit(null).cast("date") : lit(java.sql.Date.valueOf(rollup.to())));
      set.put("silver_version", lit(rollup.silverVersion()).cast("bigint"));
    }
    set.put("error", lit(error).cast("string"));
    // Runs end outside the lakehouse lock, so another run's row may change under this UPDATE.
    Conflicts.retry(Lakehouse.PIPELINE_RUNS, () -> DeltaTable.forPath(spark, path).update(col("run_id").equalTo(runId), set));
  }

  private static Column unpricedModels(Map<String, Long> byModel) {
    if (byModel.isEmpty()) {
      return org.apache.spark.sql.functions.map().cast("map<string,bigint>");
    }
    List<Column> keysAndValues = new java.util.ArrayList<>();
    byModel.forEach((model, n) -> {
      keysAndValues.add(lit(model));
      keysAndValues.add(lit(n));
    });
    return org.apache.spark.sql.functions.map(keysAndValues.toArray(Column[]::new));
  }
}
