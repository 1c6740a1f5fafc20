package dev.costlake.spark;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.S3ConditionalLogStore;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession every costlake job runs in: Delta enabled, UTC, ANSI SQL, quiet. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * Returns the active session, or creates one from the config. Under spark-submit the master and
   * any --conf come from spark-submit; locally, spark.master from the config applies.
   */
  public static SparkSession getOrCreate(CostlakeConfig config, String appName) {
    return getOrCreate(config, appName, Map.of());
  }

  /**
   * Delta keeps each table's log (its DeltaLog, holding the latest snapshot) in a JVM-wide cache that
   * drops an entry 60 minutes after its last use (Delta's internal SQL setting below). A driver that
   * runs the hourly job every 60 minutes would then lose most tables between two runs and rebuild
   * their state from the log files, and the tables only the nightly touches always; 25 hours keeps
   * them all warm. The cache is built once per JVM from the first session's setting.
   */
  public static final String DELTA_LOG_CACHE_RETENTION = "spark.databricks.delta.delta.log.cacheRetentionMinutes";

  /** Settings of a driver that outlives its runs (`costlake serve`, `costlake bench serve`). */
  public static final Map<String, String> LONG_RUNNING = Map.of(DELTA_LOG_CACHE_RETENTION, "1500");

  /**
   * As {@link #getOrCreate(CostlakeConfig, String)}, with defaults for settings neither spark-submit
   * nor spark.conf gives (LONG_RUNNING, say).
   */
  public static SparkSession getOrCreate(CostlakeConfig config, String appName, Map<String, String> defaults) {
    SparkConf sparkConf = new SparkConf(true);
    for (Map.Entry<String, String> setting : defaults.entrySet()) {
      sparkConf.setIfMissing(setting.getKey(), setting.getValue());
    }
    boolean submitted = sparkConf.contains("spark.master");
    if (!submitted) {
      sparkConf.setMaster(config.sparkMaster());
    }
    sparkConf.setIfMissing("spark.app.name", appName);
    // Delta's SQL, and costlake's own functions (usd_from_nanos) that the SQL files call.
    sparkConf.set("spark.sql.extensions",
        "io.delta.sql.DeltaSparkSessionExtension," + CostlakeExtensions.class.getName());
    sparkConf.set(
        "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    // Tables are registered from the lakehouse at every start; no metastore to keep in sync.
    sparkConf.setIfMissing("spark.sql.catalogImplementation", "in-memory");
    sparkConf.setIfMissing("spark.sql.warehouse.dir", config.lakePath() + "/_warehouse");
    // Event times are UTC by contract; the session must not shift them to the machine's zone.
    sparkConf.set("spark.sql.session.timeZone", "UTC");
    // ANSI mode turns overflow and bad casts into errors instead of silent nulls: money stays exact.
    sparkConf.setIfMissing("spark.sql.ansi.enabled", "true");
    // The progress bar helps at a terminal and garbles logs and captured output elsewhere.
    sparkConf.setIfMissing("spark.ui.showConsoleProgress", String.valueOf(System.console() != null));
    // Our staging queries have many columns; longer plan strings beat a warning on every run.
    sparkConf.setIfMissing("spark.sql.debug.maxToStringFields", "500");
    sparkConf.setIfMissing("spark.sql.adaptive.enabled", "true");
    // The big aggregations (gold.cost_hourly, gold.cost_daily) have nearly a group per input row; the
    // small first-level map then only adds a probe and a spill to every row (26 % of such an aggregate
    // on 2 cores). Small aggregates hardly notice either way.
    sparkConf.setIfMissing("spark.sql.codegen.aggregate.map.twolevel.enabled", "false");
    // A batch spans a few dozen event dates: keep one writer open per date instead of sorting
    // every row by event_date before a partitioned write.
    sparkConf.setIfMissing("spark.sql.maxConcurrentOutputFileWriters", "64");
    if (!submitted && config.sparkMaster().startsWith("local")) {
      // The default of 200 shuffle partitions only adds task overhead on a laptop.
      sparkConf.setIfMissing("spark.sql.shuffle.partitions", "8");
      // Opening a local file is cheap: let one task read many small hourly files instead of one
      // task per file (Spark's default assumes each open costs as much as reading 4 MB).
      sparkConf.setIfMissing("spark.sql.files.openCostInBytes", "65536");
      // Above 32 paths Spark lists files with a distributed job; on local disk listing on the
      // driver is many times faster (9 s vs well under 1 s for a month of hourly files).
      sparkConf.setIfMissing("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000");
      sparkConf.setIfMissing("spark.ui.enabled", "false");
      // Small Delta logs on a laptop: the default 50 snapshot partitions cost seconds per query.
      sparkConf.setIfMissing("spark.databricks.delta.snapshotPartitions", "2");
    }
    for (Map.Entry<String, String> setting : config.sparkConf().entrySet()) {
      sparkConf.set(setting.getKey(), setting.getValue());
    }
    // Delta's default log store for s3a:// keeps two writers of one table apart only within one JVM;
    // overlapping runs are separate processes. This one commits with S3's conditional writes
    // (docs/object-storage.md). A log store the user chose (the DynamoDB one, say) is kept.
    if (!sparkConf.contains("spark.delta.logStore.class")) {
      sparkConf.setIfMissing("spark.delta.logStore.s3a.impl", S3ConditionalLogStore.class.getName());
    }
    return SparkSession.builder().config(sparkConf).getOrCreate();
  }
}
