package dev.costlake.lake;

import dev.costlake.config.CostlakeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lakehouse under lake.path: where each table lives, and registering every table under its
 * name (silver.cost_events, ...) from its DDL file in sql/, creating the empty Delta table if new.
 */
public final class Lakehouse {
  public static final String COST_EVENTS = "silver.cost_events";
  public static final String QUARANTINE = "silver.quarantine";
  public static final String PIPELINE_RUNS = "ops.pipeline_runs";
  public static final String PRICE_RESTATEMENTS = "ops.price_restatements";
  public static final String ROLLUP_CHECKS = "ops.rollup_checks";
  public static final String COST_HOURLY = "gold.cost_hourly";
  public static final String COST_HOURLY_BY_USER = "gold.cost_hourly_by_user";
  public static final String COST_DAILY = "gold.cost_daily";
  public static final String COST_DAILY_BY_TENANT = "gold.cost_daily_by_tenant";
  public static final String COST_DAILY_BY_FEATURE = "gold.cost_daily_by_feature";
  public static final String COST_DAILY_BY_MODEL = "gold.cost_daily_by_model";
  public static final String COST_DAILY_BY_USER = "gold.cost_daily_by_user";
  public static final String COST_DAILY_BY_REGION = "gold.cost_daily_by_region";
  public static final String COST_DAILY_TOTAL = "gold.cost_daily_total";
  public static final String TOP_COST_DRIVERS = "gold.top_cost_drivers";
  public static final String COST_PER_REQUEST_TREND = "gold.cost_per_request_trend";
  public static final String COST_ANOMALIES = "gold.cost_anomalies";
  public static final String SPEND_FORECAST = "gold.spend_forecast";
  public static final String SPEND_FORECAST_DAILY = "gold.spend_forecast_daily";
  public static final String FORECAST_ACCURACY = "gold.forecast_accuracy";
  public static final String BUDGET_STATUS = "gold.budget_status";
  public static final String ALERTS = "gold.alerts";

  /** The daily rollups summed from the compact gold.cost_daily, one SQL file each. */
  public static final List<String> DAILY_DIMENSION_TABLES = List.of(COST_DAILY_BY_TENANT, COST_DAILY_BY_FEATURE,
      COST_DAILY_BY_MODEL, COST_DAILY_BY_REGION, COST_DAILY_TOTAL);

  private static final Logger LOG = LogManager.getLogger(Lakehouse.class);
  /** Delta's error for creating a table in a folder that holds files but no Delta table. */
  static final String NON_EMPTY_LOCATION = "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION";
  private static final String DELTA_LOG = "_delta_log";
  /**
   * Names in _delta_log that mean a version was committed: a commit (00000000000000000000.json), a
   * checkpoint of any kind (classic, multi-part, v2), a compacted log, or the checkpoint pointer.
   */
  private static final Pattern COMMITTED = Pattern.compile(
      "\\d{20}\\.json|\\d{20}\\.checkpoint(\\..+)?\\.(parquet|json)|\\d{20}\\.\\d{20}\\.compacted\\.json|_last_checkpoint");

  /** Tables registered at once when a lakehouse opens. */
  private static final int REGISTER_THREADS = 4;

  /**
   * Every table, in creation order; the DDL is sql/&lt;schema&gt;/&lt;table&gt;.sql (its first statement,
   * for a gold table whose file also holds the query that fills it).
   */
  public static final List<String> TABLES = List.of(COST_EVENTS, QUARANTINE, PIPELINE_RUNS, PRICE_RESTATEMENTS,
      ROLLUP_CHECKS, COST_HOURLY, COST_HOURLY_BY_USER, COST_DAILY, COST_DAILY_BY_TENANT, COST_DAILY_BY_FEATURE,
      COST_DAILY_BY_MODEL, COST_DAILY_BY_USER, COST_DAILY_BY_REGION, COST_DAILY_TOTAL, TOP_COST_DRIVERS,
      COST_PER_REQUEST_TREND, COST_ANOMALIES, SPEND_FORECAST, SPEND_FORECAST_DAILY, FORECAST_ACCURACY,
      BUDGET_STATUS, ALERTS);

  private final SparkSession spark;
  private final String root;

  private Lakehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = qualify(spark, stripTrailingSlash(root));
  }

  /** A relative local path becomes absolute (file:/...), so table locations never depend on cwd. */
  private static String qualify(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot resolve lake.path " + path, e);
    }
  }

  /**
   * The gold tables whose grain changed when the rollups stopped carrying the user (gold.cost_hourly
   * and gold.cost_daily had a row per user; gold.cost_daily_by_user gained its top feature and
   * model): a lakehouse written before holds them at the old grain until `costlake upgrade` rebuilds
   * them from silver.
   */
  public static final List<String> REGRAINED_TABLES = List.of(COST_HOURLY, COST_DAILY, COST_DAILY_BY_USER);

  /**
   * Registers every table in the session, creating the empty ones that do not exist yet. Refuses a
   * lakehouse whose rollups are at the old grain (a ConfigException, exit 2, naming the command that
   * upgrades it): mixing the grains would double count nothing but silently drop the user level.
   */
  public static Lakehouse open(SparkSession spark, CostlakeConfig config) {
    return open(spark, config, TABLES);
  }

  /**
   * Registers only the given tables (each one of {@link #TABLES}), creating those that do not exist
   * yet: one ad-hoc query need not pay a Delta log read for every table of the lakehouse.
   */
  public static Lakehouse open(SparkSession spark, CostlakeConfig config, java.util.Collection<String> tables) {
    for (String table : tables) {
      if (!TABLES.contains(table)) {
        throw new IllegalArgumentException("Unknown lakehouse table " + table + ": the tables are "
            + String.join(", ", TABLES));
      }
    }
    Lakehouse lake = new Lakehouse(spark, config.lakePath());
    if (lake.hasOldGrain()) {
      throw new dev.costlake.config.ConfigException("lake.path " + lake.root + " holds gold rollups at costlake's"
          + " earlier grain (a row per user in gold.cost_hourly and gold.cost_daily; users now have"
          + " gold.cost_hourly_by_user and gold.cost_daily_by_user). Run `costlake upgrade` once: it rebuilds "
          + String.join(", ", REGRAINED_TABLES) + " and the tables derived from them from silver.cost_events"
          + " (silver is not changed), then `costlake publish` refreshes PostgreSQL");
    }
    lake.registerTables(TABLES.stream().filter(tables::contains).toList());
    return lake;
  }

  /**
   * Opens a lakehouse for `costlake upgrade`: when its rollups are at the old grain, deletes the
   * regrained tables (their data is derived, silver keeps every event) and creates them anew, empty.
   * Returns the lakehouse and whether it was at the old grain (the caller then rebuilds every date).
   */
  public static Upgrade openForUpgrade(SparkSession spark, CostlakeConfig config) {
    Lakehouse lake = new Lakehouse(spark, config.lakePath());
    boolean old = lake.hasOldGrain();
    if (old) {
      for (String table : REGRAINED_TABLES) {
        lake.deleteFolder(table);
      }
    }
    lake.registerTables(TABLES);
    return new Upgrade(lake, old);
  }

  /** A lakehouse opened for upgrade, and whether its regrained tables were just emptied. */
  public record Upgrade(Lakehouse lake, boolean wasOldGrain) {}

  /** True when gold.cost_hourly exists with user_id in its schema: the grain before the user tables. */
  private boolean hasOldGrain() {
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path(COST_HOURLY) + "/_delta_log");
    try {
      org.apache.hadoop.fs.FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log) || fs.listStatus(log, p -> p.getName().endsWith(".json")).length == 0) {
        return false;
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read " + log, e);
    }
    return java.util.Arrays.asList(spark.read().format("delta").load(path(COST_HOURLY)).schema().fieldNames())
        .contains("user_id");
  }

  private void deleteFolder(String table) {
    org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(path(table));
    try {
      folder.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(folder, true);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot delete " + folder + " to rebuild " + table, e);
    }
  }

  private void registerTables(List<String> tables) {
    Map<String, Boolean> schemas = new LinkedHashMap<>();
    for (String table : tables) {
      String schema = table.substring(0, table.indexOf('.'));
      if (schemas.putIfAbsent(schema, true) == null) {
        spark.sql(
            "create database if not exists " + schema + " location "
                + SqlFile.literal(root + "/" + schema));
      }
    }
    // Each table costs a Delta log read (and, the first time, a commit): mostly driver time, so
    // registering a few at once takes a fresh lakehouse from ~20 s to a few on 2 cores. The
    // session catalog is thread-safe and different tables never conflict in Delta.
    ExecutorService pool = Executors.newFixedThreadPool(REGISTER_THREADS);
    try {
      List<Future<?>> registering = new ArrayList<>();
      for (String table : tables) {
        registering.add(pool.submit(() -> register(table)));
      }
      for (Future<?> registration : registering) {
        try {
          registration.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while opening the lakehouse at " + root, e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void register(String table) {
    // Re-point the session's (in-memory) catalog entry at this lakehouse: dropping an external
    // table's entry leaves its data alone, and one session may open several lakehouses.
    spark.sql("drop table if exists " + table);
    String create = SqlFile.load(table.replace('.', '/') + ".sql").statement(0)
        .bind(Map.of("location", SqlFile.literal(path(table))));
    try {
      spark.sql(create);
    } catch (Exception e) {
      // Exception: Delta's AnalysisException is a checked one that spark.sql throws undeclared.
      // Checked only when Delta refuses the folder, so opening a lakehouse costs no extra listing.
      if (!(e instanceof SparkThrowable error) || !NON_EMPTY_LOCATION.equals(error.getCondition())
          || !clearUnfinishedCreation(table)) {
        throw e;
      }
      spark.sql(create);
    }
    if (table.equals(COST_ANOMALIES)
        && !java.util.Arrays.asList(spark.table(table).columns()).contains("metric")) {
      // Created before anomalies were judged on requests and cached share: Delta adds the
      // (nullable) series columns at the end, where sql/gold/cost_anomalies.sql declares them.
      spark.sql("alter table " + table + " add columns (metric string, actual_value double, expected_value double)");
    }
  }

  /**
   * Clears the folder of a table whose creation a crash interrupted: Delta had made its _delta_log
   * (with _staged_commits, maybe a half-written temporary commit) but committed no version, and
   * refuses to create a table in a folder that is neither empty nor a table. Nothing but that log
   * is in the folder, so nothing is lost. A folder with any committed version or checkpoint, or
   * with files beside _delta_log, is left as it is (and Delta's error stands).
   *
   * @return whether the folder was cleared
   */
  private boolean clearUnfinishedCreation(String table) {
    Path location = new Path(path(table));
    try {
      FileSystem fs = location.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] entries = fs.listStatus(location);
      boolean onlyLog = entries.length == 1 && entries[0].getPath().getName().equals(DELTA_LOG);
      if (!onlyLog || Arrays.stream(fs.listStatus(entries[0].getPath()))
          .anyMatch(entry -> COMMITTED.matcher(entry.getPath().getName()).matches())) {
        return false;
      }
      LOG.warn("{} at {} has no committed Delta version (a run stopped while creating it): cleared it to create"
          + " it again", table, location);
      if (!fs.delete(location, true) && fs.exists(location)) {
        throw new IOException("could not delete " + location);
      }
      return true;
    } catch (java.io.FileNotFoundException e) {
      // Gone meanwhile: nothing to clear, creating it again decides.
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clear the unfinished table " + table + " at " + location, e);
    }
  }

  /** The storage location of a table, e.g. lake.path/silver/cost_events. */
  public String path(String table) {
    return root + "/" + table.replace('.', '/');
  }

  /** A folder for the ingest stream's checkpoint. */
  public String checkpointPath(String stream) {
    return root + "/_checkpoints/" + stream;
  }

  /** The folder of the lakehouse lock's objects (dev.costlake.ops.JobLock). */
  public String lockPath() {
    return root + "/_costlake/lock";
  }

  /** A scratch folder for one batch's intermediate results; deleted after the batch. */
  public String stagingPath(String name) {
    return root + "/_staging/" + name;
  }

  public Dataset<Row> table(String name) {
    return spark.table(name);
  }

  public SparkSession spark() {
    return spark;
  }

  private static String stripTrailingSlash(String path) {
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }
}
