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
    Map<String, Column> set = Map.of(
        "ended_at", lit(Timestamp.from(endedAt)),
        "status", lit(error == null ? "succeeded" : "failed"),
        "records_read", lit(counts.recordsRead()),
        "records_accepted", lit(counts.recordsAccepted()),
        "records_quarantined", lit(counts.recordsQuarantined()),
        "records_duplicate", lit(counts.recordsDuplicate()),
        "files_read", lit(counts.filesRead()),
        "batches", lit(counts.batches()),
        "error", lit(error).cast("string"));
    DeltaTable.forPath(spark, path).update(col("run_id").equalTo(runId), set);
  }
}
