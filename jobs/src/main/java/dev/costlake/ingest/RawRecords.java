package dev.costlake.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one batch's raw files as records (raw text, source file, position), the input of
 * stg_cost_events. JSON lines are kept verbatim; a Parquet row becomes its JSON rendering, so both
 * formats share one parser and a quarantined Parquet row still shows what it held.
 */
public final class RawRecords {
  private RawRecords() {}

  public static Dataset<Row> read(SparkSession spark, RawFiles files) {
    List<Dataset<Row>> parts = new ArrayList<>();
    if (!files.json().isEmpty()) {
      Dataset<Row> lines =
          spark.read().format("text").load(files.json().toArray(String[]::new));
      // A blank line (a trailing newline, a separator) is not a record.
      parts.add(withLineage(lines.where(trim(col("value")).notEqual("")), col("value")));
    }
    if (!files.parquet().isEmpty()) {
      // Files written at different times may add columns; merging keeps every column of every file.
      Dataset<Row> rows =
          spark.read().option("mergeSchema", "true").parquet(files.parquet().toArray(String[]::new));
      Column[] dataColumns =
          java.util.Arrays.stream(rows.columns()).map(RawRecords::quoted).toArray(Column[]::new);
      parts.add(withLineage(rows, to_json(struct(dataColumns))));
    }
    if (parts.isEmpty()) {
      return spark.sql(
          "select cast(null as string) as raw, cast(null as string) as source_file,"
              + " cast(null as timestamp) as file_modified_at, cast(null as bigint) as file_block_start,"
              + " cast(null as bigint) as record_ordinal where false");
    }
    Dataset<Row> all = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      all = all.unionByName(parts.get(i));
    }
    // Hourly files are small, and Spark gives each its own task (its 4 MB open cost exceeds the
    // split size), which would also leave one tiny staged and silver file per raw file. A few
    // tasks per core keep every core busy and the output files few. No shuffle: coalesce only
    // merges partitions.
    int tasks = 2 * spark.sparkContext().defaultParallelism();
    return all.rdd().getNumPartitions() > tasks ? all.coalesce(tasks) : all;
  }

  private static Dataset<Row> withLineage(Dataset<Row> records, Column raw) {
    return records.select(
        raw.as("raw"),
        col("_metadata.file_path").as("source_file"),
        col("_metadata.file_modification_time").as("file_modified_at"),
        col("_metadata.file_block_start").as("file_block_start"),
        // Increases with the position within a file block, which orders a file's copies of an event.
        monotonically_increasing_id().as("record_ordinal"));
  }

  private static Column quoted(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /** An unsupported file becomes one quarantined record, so it is counted, not silently skipped. */
  static Dataset<Row> unsupportedFiles(SparkSession spark, List<String> paths) {
    List<Row> rows = new ArrayList<>();
    for (String path : paths) {
      rows.add(org.apache.spark.sql.RowFactory.create(path));
    }
    return spark
        .createDataFrame(rows, new org.apache.spark.sql.types.StructType().add("source_file", "string"))
        .select(
            lit("unsupported_file").as("reason"),
            lit("not .jsonl, .json (optionally .gz) or .parquet; the file was not read").as("detail"),
            lit(null).cast("string").as("event_id"),
            lit(null).cast("string").as("raw"),
            col("source_file"));
  }
}
