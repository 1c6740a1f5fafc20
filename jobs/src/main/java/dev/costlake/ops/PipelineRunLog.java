package dev.costlake.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.costlake.lake.Lakehouse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Writes ops.pipeline_runs: one append per run, when it ends. A run still going has no row: the
 * lakehouse lock names it (JobLock); a run that died holding the lock gets its row, failed, from the
 * run that takes the lock over.
 */
public final class PipelineRunLog {
  private final SparkSession spark;
  private final String path;

  public PipelineRunLog(Lakehouse lake) {
    this.spark = lake.spark();
    this.path = lake.path(Lakehouse.PIPELINE_RUNS);
  }

  /** Appends the row of a run that ended: succeeded when error is null, else failed with it. */
  public void ended(String runId, String job, Instant startedAt, Instant endedAt, RunCounts counts, String error) {
    Map<String, Column> set = new LinkedHashMap<>();
    set.put("run_id", lit(runId));
    set.put("job", lit(job));
    set.put("started_at", lit(Timestamp.from(startedAt)));
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
    if (late.earliestEventTime() != null) {
      set.put("earliest_late_event_time", lit(Timestamp.from(late.earliestEventTime())));
    }
    RollupRecord rollup = counts.rollup();
    if (rollup != null) {
      set.put("rollup_hours", lit(rollup.hours()));
      if (rollup.from() != null) {
        set.put("rollup_from", lit(java.sql.Date.valueOf(rollup.from())));
        set.put("rollup_to", lit(java.sql.Date.valueOf(rollup.to())));
      }
      if (rollup.silverVersion() != null) {
        set.put("silver_version", lit(rollup.silverVersion()));
      }
    }
    if (error != null) {
      set.put("error", lit(error));
    }
    append(set);
  }

  /**
   * Appends the row of a run that died holding the lakehouse lock, failed with error, unless it
   * already has one (it recorded how it ended and died before releasing the lock).
   */
  void abandoned(JobLock.State dead, Instant endedAt, String error) {
    if (recorded(dead.runId())) {
      return;
    }
    Map<String, Column> set = new LinkedHashMap<>();
    set.put("run_id", lit(dead.runId()));
    set.put("job", lit(dead.job()));
    set.put("started_at", lit(Timestamp.from(dead.runStartedAt())));
    set.put("ended_at", lit(Timestamp.from(endedAt)));
    set.put("status", lit("failed"));
    set.put("error", lit(error));
    append(set);
  }

  /** Whether runId has its row. */
  boolean recorded(String runId) {
    return !spark.read().format("delta").load(path).where(col("run_id").equalTo(runId)).isEmpty();
  }

  /** One row: the columns in set, null for the others, in the table's order and types. */
  private void append(Map<String, Column> set) {
    List<Column> row = new java.util.ArrayList<>();
    for (StructField field : spark.read().format("delta").load(path).schema().fields()) {
      row.add(set.getOrDefault(field.name(), lit(null)).cast(field.dataType()).as(field.name()));
    }
    // An append reads nothing, so runs appending at once never conflict; a schema change might.
    Conflicts.retry(Lakehouse.PIPELINE_RUNS, () -> spark.range(1).select(row.toArray(Column[]::new))
        .write().format("delta").mode("append").save(path));
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
