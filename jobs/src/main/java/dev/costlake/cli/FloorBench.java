package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fixed cost under every scheduled run, with no data: starting the JVM and Spark, opening the
 * lakehouse, and one tiny Delta commit or one tiny query. An hourly run's wall time cannot go below
 * start + open + (its commits x one commit) + (its other queries x one query), however little it
 * ingests; `bench rollups` prints how many commits its hourly made.
 */
@Command(name = "floor", mixinStandardHelpOptions = true,
    description = {"Time what a scheduled run costs before any data.",
        "Times JVM and Spark start, opening a",
        "lakehouse, and --commits one-row Delta replaceWhere commits and --queries one-row queries",
        "on a small gold table (medians reported)."})
public final class FloorBench implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--commits", defaultValue = "12", description = "One-row commits to time. Default: ${DEFAULT-VALUE}.")
  int commits;

  @Option(names = "--queries", defaultValue = "12", description = "One-row queries to time. Default: ${DEFAULT-VALUE}.")
  int queries;

  @Option(names = "--work", defaultValue = "bench-work", description = "Scratch folder (recreated). Default: ${DEFAULT-VALUE}.")
  Path work;

  @Override
  public Integer call() throws IOException {
    Path root = work.toAbsolutePath().normalize();
    BenchCommand.deleteRecursively(root);
    CostlakeConfig config = common.config().with(CostlakeConfig.LAKE_PATH, root.resolve("lake").toString());
    long jvmStartMillis = ManagementFactory.getRuntimeMXBean().getStartTime();

    dev.costlake.spark.Logging.configure(common.verbose());
    SparkSession spark = dev.costlake.spark.SparkSessions.getOrCreate(config, "costlake bench floor");
    double jvmAndSpark = (System.currentTimeMillis() - jvmStartMillis) / 1e3;

    // A new lakehouse: every table created (a first run's cost, not an hourly's).
    long began = System.nanoTime();
    Lakehouse lake = Lakehouse.open(spark, config);
    double create = secondsSince(began);

    // What every run does after Spark is up: register the existing tables (here in a warm JVM; a
    // fresh one, as cron starts, pays for loading and compiling Delta's code on top).
    began = System.nanoTime();
    lake = Lakehouse.open(spark, config);
    double open = secondsSince(began);

    // One-row replaceWhere commits on a small, unpartitioned gold table, as a rollup step makes them.
    String table = Lakehouse.COST_DAILY_TOTAL;
    StructType schema = lake.table(table).schema();
    List<Double> commitSeconds = new ArrayList<>();
    LocalDate day = LocalDate.of(2026, 1, 1);
    for (int i = 0; i < commits; i++) {
      LocalDate date = day.plusDays(i % 3);
      began = System.nanoTime();
      spark.createDataFrame(List.of(oneRow(schema, date)), schema).write().format("delta").mode("overwrite")
          .option("replaceWhere", "event_date = " + SqlFile.dateLiteral(date)).save(lake.path(table));
      commitSeconds.add(secondsSince(began));
    }
    List<Double> querySeconds = new ArrayList<>();
    long rows = 0;
    for (int i = 0; i < queries; i++) {
      began = System.nanoTime();
      rows += spark.sql("select count(*) from " + table + " where event_date = "
          + SqlFile.dateLiteral(day.plusDays(i % 3))).first().getLong(0);
      querySeconds.add(secondsSince(began));
    }

    System.out.printf("bench floor: Spark %s, %d cores, heap %d MiB%n", spark.sparkContext().master(),
        spark.sparkContext().defaultParallelism(), Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("  JVM start to Spark started                   %6.2f s%n", jvmAndSpark);
    System.out.printf("  creating a lakehouse of %d tables            %6.2f s%n", Lakehouse.TABLES.size(), create);
    System.out.printf("  opening it again (what every run does)       %6.2f s%n", open);
    System.out.printf("  one-row replaceWhere commit to %s  median %.2f s, min %.2f s, first %.2f s (%d)%n",
        table, median(commitSeconds), min(commitSeconds), commitSeconds.isEmpty() ? 0 : commitSeconds.get(0), commits);
    System.out.printf("  one-row query on it                          median %.2f s, min %.2f s (%d)%n",
        median(querySeconds), min(querySeconds), queries);
    BenchCommand.deleteRecursively(root);
    // Each committed date holds exactly its one row, however often it was replaced.
    long expected = 0;
    for (int i = 0; i < queries; i++) {
      expected += i % 3 < Math.min(commits, 3) ? 1 : 0;
    }
    if (rows != expected) {
      System.out.printf("  FAILED: the queries counted %d rows, expected %d%n", rows, expected);
      return Main.EXIT_FAILED;
    }
    return 0;
  }

  /** A row of the table's schema with a harmless value in every column. */
  private static Row oneRow(StructType schema, LocalDate date) {
    List<Object> values = new ArrayList<>();
    for (StructField field : schema.fields()) {
      DataType type = field.dataType();
      Object value;
      if (type.equals(DataTypes.DateType)) {
        value = Date.valueOf(date);
      } else if (type.equals(DataTypes.TimestampType)) {
        value = Timestamp.valueOf(date.atStartOfDay());
      } else if (type.equals(DataTypes.LongType)) {
        value = 1L;
      } else if (type.equals(DataTypes.IntegerType)) {
        value = 1;
      } else if (type.equals(DataTypes.DoubleType)) {
        value = 1.0;
      } else if (type instanceof DecimalType) {
        value = BigDecimal.ONE;
      } else if (type.equals(DataTypes.BooleanType)) {
        value = true;
      } else {
        value = "floor";
      }
      values.add(value);
    }
    return RowFactory.create(values.toArray());
  }

  private static double median(List<Double> seconds) {
    if (seconds.isEmpty()) {
      return 0;
    }
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  private static double min(List<Double> seconds) {
    return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
