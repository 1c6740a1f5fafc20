package dev.costlake.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The baseline `bench rollups` holds costlake's hourly against: the least a Spark + Delta hourly job
 * can do over the same hour's files, in a fresh JVM. It starts Spark with Delta, reads the hour's
 * JSON, appends it to a date-partitioned Delta table, and replaces that hour's rows of a rollup in a
 * second one (replaceWhere). No validation, dedupe, pricing, books, lock or anomaly: whatever costlake's
 * hourly takes beyond this is the price of those guarantees and of its own overhead.
 *
 * <p>Arguments: the raw file (JSON lines, gzip or not), the folder for the two tables, and the hour
 * (an ISO instant). Prints the rows appended.
 */
public final class MinimalHourly {
  private MinimalHourly() {}

  public static void main(String[] args) {
    String raw = args[0];
    String out = args[1];
    String hour = args[2];
    SparkSession spark = SparkSession.builder()
        .appName("minimal hourly")
        .master(System.getProperty("spark.master", "local[*]"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Dataset<Row> events = spark.read().json(raw)
        .selectExpr("*", "to_timestamp(event_time) as event_ts")
        .selectExpr("*", "to_date(event_ts) as event_date", "date_trunc('hour', event_ts) as event_hour");
    events.write().format("delta").mode("append").partitionBy("event_date").save(out + "/events");
    Dataset<Row> rollup = spark.read().format("delta").load(out + "/events")
        .where("event_hour = timestamp'" + hour.replace("T", " ").replace("Z", "") + "'")
        .groupBy("event_date", "event_hour", "tenant_id", "feature", "model")
        .agg(org.apache.spark.sql.functions.count("*").as("requests"),
            org.apache.spark.sql.functions.sum("input_tokens").as("input_tokens"),
            org.apache.spark.sql.functions.sum("output_tokens").as("output_tokens"));
    rollup.write().format("delta").mode("overwrite")
        .option("replaceWhere", "event_hour = timestamp'" + hour.replace("T", " ").replace("Z", "") + "'")
        .partitionBy("event_date").save(out + "/hourly");
    System.out.println("minimal hourly: " + events.count() + " rows appended");
    spark.stop();
  }
}
