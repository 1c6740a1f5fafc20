package dev.costlake.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.Main;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.Folders;
import dev.costlake.testing.PipelineReference;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cluster jar (jobs/target/costlake-*.jar, as `mvn package` builds it) submitted with SparkSubmit in
 * client mode to a real two-worker standalone cluster whose class path holds only what a Spark 4.2 +
 * Delta 4.4 cluster has: ingest, hourly and nightly over a generated sample write the same tables as
 * hourly and nightly on local Spark (PipelineReference: the unit tests' local run of the same events, as
 * of the same times), also when the hourly and the nightly are submitted at once and take turns through
 * the lakehouse lock; and a bad command line exits 2 as it does locally.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  /**
   * Far above a run's time on an idle 2-core machine; a loaded one (other builds on the same cores) was
   * seen to need over 6 minutes for the cluster's ingest alone. Only a hung driver should reach it.
   */
  private static final Duration DRIVER_TIMEOUT = Duration.ofMinutes(30);
  /**
   * Small-cluster settings: a shuffle partition and a Delta snapshot partition per executor core, and
   * tasks that start on any free executor rather than wait for the one holding a cached block (Delta
   * caches each table's state; on two one-core executors the wait cost more than the block saves).
   * And, as in the unit tests' local run (TestSpark), no code generation and no AQE: a few hundred rows
   * go through hundreds of distinct small queries, and compiling each one's code (in the driver and
   * again in every new executor JVM) costs more than running it interpreted.
   */
  private static final List<String> SPARK_SETTINGS = List.of(
      "spark.sql.shuffle.partitions=2",
      "spark.databricks.delta.snapshotPartitions=2",
      "spark.sql.codegen.wholeStage=false",
      "spark.sql.codegen.factoryMode=NO_CODEGEN",
      "spark.sql.adaptive.enabled=false",
      "spark.locality.wait=0s",
      "spark.ui.enabled=false");

  private static Path root;
  private static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException, InterruptedException {
    root = Path.of("target", "cluster-it").toAbsolutePath();
    Folders.deleteRecursively(root);
    List<String> sparkClassPath = new ArrayList<>();
    for (String file : List.of("costlake.it.spark-classpath", "costlake.it.spark-shared-classpath")) {
      sparkClassPath.addAll(Arrays.asList(
          Files.readString(Path.of(System.getProperty(file))).trim().split(java.io.File.pathSeparator)));
    }
    List<String> flags = Arrays.asList(System.getProperty("costlake.it.java17-flags").trim().split("\\s+"));
    long began = System.nanoTime();
    // Two workers of one core and 1 GB each: the smallest cluster that still spreads a stage over machines.
    cluster = StandaloneCluster.start(root.resolve("cluster"), sparkClassPath, flags, 2, 1, "1g");
    System.out.printf("cluster up (master + 2 workers registered) in %.1f s%n", seconds(began));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      long began = System.nanoTime();
      cluster.close();
      System.out.printf("cluster stopped in %.1f s%n", seconds(began));
    }
  }

  @Test
  @Order(1)
  void badCommandLineExitsWith2AsItDoesLocally() throws Exception {
    Submitted badFlag = submit("bad-flag", 2, "hourly", "--no-such-flag");
    assertEquals(Main.EXIT_USAGE, badFlag.exitCode(), badFlag.output());
    assertTrue(badFlag.output().contains("Unknown option: '--no-such-flag'"), badFlag.output());

    Submitted badValue = submit("bad-value", 2, "ingest", "--set", "ingest.max-files-per-batch=-1");
    assertEquals(Main.EXIT_USAGE, badValue.exitCode(), badValue.output());
    assertTrue(badValue.output().contains("ingest.max-files-per-batch"), badValue.output());

    assertEquals(Main.EXIT_USAGE, Main.commandLine().execute("hourly", "--no-such-flag"));
  }

  @Test
  @Order(2)
  void clusterRunWritesTheSameTablesAsTheLocalRun() throws Exception {
    // The local run (hourly then nightly on local Spark, as of the same times): built by the unit tests
    // earlier in this build (S3PipelineTest) or, when this test runs alone, now.
    long began = System.nanoTime();
    PipelineReference.Built reference = PipelineReference.get();
    System.out.printf("the local run (PipelineReference) ready in %.1f s%n", seconds(began));
    Path clusterLake = root.resolve("lake-cluster");

    // The cluster path: each command its own spark-submit, as a scheduler runs them. The ingest alone on
    // both cores; then the hourly and the nightly submitted at the same moment with a core each, as when
    // a slow nightly is still running at the next hour: they must take turns through the lakehouse lock.
    submitAndCheck("ingest", 2, List.of("ingest"), reference, clusterLake);
    java.util.concurrent.ExecutorService drivers = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var hourly = drivers.submit(() -> submitAndCheck("hourly", 1,
          List.of("hourly", "--as-of", PipelineReference.AS_OF.toString()), reference, clusterLake));
      var nightly = drivers.submit(() -> submitAndCheck("nightly", 1,
          List.of("nightly", "--as-of", PipelineReference.NIGHTLY_AS_OF.toString(),
              "--rebuild-days", String.valueOf(PipelineReference.REBUILD_DAYS)), reference, clusterLake));
      hourly.get();
      nightly.get();
    } finally {
      drivers.shutdownNow();
    }
    SparkSession spark = TestSpark.session();
    long silverRows = spark.read().format("delta").load(path(clusterLake, Lakehouse.COST_EVENTS)).count();
    assertEquals(reference.eventsWritten(), silverRows);
    assertEquals((long) PipelineReference.DAYS * PipelineReference.EVENTS_PER_DAY, silverRows);
    Row total = spark.read().format("delta").load(path(clusterLake, Lakehouse.COST_DAILY_TOTAL))
        .selectExpr("sum(requests)").first();
    assertEquals(reference.eventsWritten(), total.getLong(0));
    List<Row> runs = spark.read().format("delta").load(path(clusterLake, Lakehouse.PIPELINE_RUNS))
        .selectExpr("job", "status", "started_at", "ended_at", "records_accepted").orderBy("job").collectAsList();
    // The ingest took every event; the hourly and the nightly found nothing new: each event counted once.
    assertEquals("hourly succeeded 0, ingest succeeded 600, nightly succeeded 0", runs.stream()
        .map(r -> r.getString(0) + " " + r.getString(1) + " " + r.get(4))
        .collect(java.util.stream.Collectors.joining(", ")));
    // The two ran at the same time (each started before the other ended), one waiting for the lock.
    Row hourlyRun = runs.get(0);
    Row nightlyRun = runs.get(2);
    assertTrue(hourlyRun.getTimestamp(2).before(nightlyRun.getTimestamp(3))
        && nightlyRun.getTimestamp(2).before(hourlyRun.getTimestamp(3)), runs.toString());
    org.junit.jupiter.api.Assertions.assertFalse(dev.costlake.ops.JobLock.current(clusterLake.resolve("_costlake/lock").toString(),
        spark.sparkContext().hadoopConfiguration()).orElseThrow().held());

    for (String table : Lakehouse.TABLES) {
      if (table.startsWith("gold.") || table.startsWith("silver.")) {
        List<String> local = rows(spark, path(reference.lake(), table));
        List<String> onCluster = rows(spark, path(clusterLake, table));
        assertEquals(local, onCluster, table + " differs between the local and the cluster run");
        System.out.printf("  %-30s %,6d rows, equal%n", table, local.size());
      }
    }
  }

  /**
   * One command on the cluster with the given cores (its executors: one core each), which must exit 0
   * and log nothing at INFO.
   */
  private static Submitted submitAndCheck(String name, int cores, List<String> command,
      PipelineReference.Built reference, Path lake) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(command);
    args.addAll(lakeArgs(reference.raw(), lake));
    long began = System.nanoTime();
    Submitted run = submit(name, cores, args.toArray(String[]::new));
    System.out.printf("cluster %s (%d cores): exit %d in %.1f s%n", name, cores, run.exitCode(), seconds(began));
    assertEquals(0, run.exitCode(), run.output());
    // Quiet as bin/costlake is (WARN), although this Spark has no log4j2 configuration of its own.
    assertEquals(List.of(), run.output().lines().filter(line -> line.contains(" INFO ")).limit(5).toList(),
        "the " + name + " driver logged at INFO");
    return run;
  }

  /** The same raw folder as the local run's (silver records its files' paths); alerts off, as there. */
  private static List<String> lakeArgs(Path raw, Path lake) {
    return List.of("--set", "raw.path=" + raw, "--set", "lake.path=" + lake, "--set", "alerts.enabled=false");
  }

  private static String path(Path lake, String table) {
    return lake.resolve(table.replace('.', '/')).toString();
  }

  /**
   * A table's rows as text, sorted, without what differs between any two runs by design: run ids and
   * the wall-clock times a run stamps (columns ending in _at).
   */
  private static List<String> rows(SparkSession spark, String path) {
    Dataset<Row> table = spark.read().format("delta").load(path);
    List<Column> kept = new ArrayList<>();
    for (String name : table.columns()) {
      if (!name.endsWith("_at") && !name.endsWith("run_id") && !name.equals("ingest_batch_id")) {
        kept.add(table.col(name));
      }
    }
    Dataset<Row> compared = table.select(kept.toArray(Column[]::new));
    return compared.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private record Submitted(int exitCode, String output) {}

  /** `spark-submit --master spark://... --deploy-mode client --class dev.costlake.Main <jar> args`, to its end. */
  private static Submitted submit(String name, int cores, String... args) throws IOException, InterruptedException {
    List<String> submitArgs = new ArrayList<>(List.of(
        "--master", cluster.masterUrl(), "--deploy-mode", "client",
        "--name", "costlake " + name,
        "--conf", "spark.executor.memory=1g",
        "--conf", "spark.cores.max=" + cores,
        "--conf", "spark.driver.host=127.0.0.1",
        // Start the job once all its executors are up, so that runs see the same parallelism.
        "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
        "--conf", "spark.executor.extraJavaOptions=-Duser.timezone=UTC "
            + System.getProperty("costlake.it.java17-flags").trim()));
    for (String setting : SPARK_SETTINGS) {
      submitArgs.addAll(List.of("--conf", setting));
    }
    submitArgs.addAll(List.of("--class", Main.class.getName(), System.getProperty("costlake.it.jar")));
    submitArgs.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(cluster.javaCommand("1g", "org.apache.spark.deploy.SparkSubmit",
        submitArgs.toArray(String[]::new)));
    builder.environment().putAll(cluster.environment());
    Path log = root.resolve("driver-" + name + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process driver = builder.start();
    if (!driver.waitFor(DRIVER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      StandaloneCluster.stop(driver);
      throw new AssertionError("driver " + name + " still running after " + DRIVER_TIMEOUT + ":\n"
          + StandaloneCluster.tail(log));
    }
    return new Submitted(driver.exitValue(), Files.readString(log));
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
