package dev.costlake.lake;

import dev.costlake.config.CostlakeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
  public static final String JOB_LOCK = "ops.job_lock";
  public static final String ROLLUP_CHECKS = "ops.rollup_checks";
  public static final String COST_HOURLY = "gold.cost_hourly";
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

  /** The daily rollups built from gold.cost_daily, one SQL file each. */
  public static final List<String> DAILY_DIMENSION_TABLES = List.of(COST_DAILY_BY_TENANT, COST_DAILY_BY_FEATURE,
      COST_DAILY_BY_MODEL, COST_DAILY_BY_USER, COST_DAILY_BY_REGION, COST_DAILY_TOTAL);

  /** Tables registered at once when a lakehouse opens. */
  private static final int REGISTER_THREADS = 4;

  /**
   * Every table, in creation order; the DDL is sql/&lt;schema&gt;/&lt;table&gt;.sql (its first statement,
   * for a gold table whose file also holds the query that fills it).
   */
  public static final List<String> TABLES = List.of(COST_EVENTS, QUARANTINE, PIPELINE_RUNS, PRICE_RESTATEMENTS,
      JOB_LOCK, ROLLUP_CHECKS, COST_HOURLY, COST_DAILY, COST_DAILY_BY_TENANT, COST_DAILY_BY_FEATURE,
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

  /** Registers every table in the session, creating the empty ones that do not exist yet. */
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
    lake.registerTables(TABLES.stream().filter(tables::contains).toList());
    return lake;
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
    spark.sql(
        SqlFile.load(table.replace('.', '/') + ".sql").statement(0)
            .bind(Map.of("location", SqlFile.literal(path(table)))));
  }

  /** The storage location of a table, e.g. lake.path/silver/cost_events. */
  public String path(String table) {
    return root + "/" + table.replace('.', '/');
  }

  /** A folder for the ingest stream's checkpoint. */
  public String checkpointPath(String stream) {
    return root + "/_checkpoints/" + stream;
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
