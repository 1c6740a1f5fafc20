package dev.costlake.cli;

import static org.apache.spark.sql.functions.col;

import dev.costlake.Main;
import dev.costlake.bench.PeakMemory;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.report.RunSummary;
import dev.costlake.rollup.ScheduledJobs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `costlake bench rollups`: what the scheduled rollups cost on a lakehouse of D days x E events,
 * stage by stage: the nightly rebuild of every gold table, one hourly run in a fresh JVM, and the
 * daily rollup computed by Spark and by DuckDB from the same silver Parquet files.
 */
@Command(name = "rollups", mixinStandardHelpOptions = true,
    description = {
      "Time the rollups and a query on synthetic history.",
      "Fills a fresh lakehouse's silver.cost_events with --days x --events-per-day synthetic events (7 tenants,"
          + " 40 features, 5,000 users with a heavy tail, 12 models), then time and report wall time, events/s"
          + " and peak RSS of:",
      "  1. the nightly job rebuilding every gold table for all the days (target: 30 x 1,000,000 in 180 s on 2 cores);",
      "  2. one hourly run over one new hour of raw events in a fresh JVM, JVM and Spark start included"
          + " (target: 20 s, whatever the history);",
      "  3. the gold.cost_daily grain computed from silver's Parquet files by Spark SQL and by DuckDB"
          + " (target: Spark within 3x DuckDB).",
      "Per-table timings of the rollups: COSTLAKE_JAVA_OPTS=-Dcostlake.timing=true prints [timing] lines to stderr"
          + " (the hourly's JVM inherits the flag)."
    })
public final class RollupBench implements Callable<Integer> {
  /** Targets from the issue, printed next to the figures. */
  private static final double NIGHTLY_TARGET_SECONDS = 180;
  private static final int NIGHTLY_TARGET_DAYS = 30;
  private static final long NIGHTLY_TARGET_EVENTS_PER_DAY = 1_000_000;
  private static final double HOURLY_TARGET_SECONDS = 20;
  private static final double SPARK_VS_DUCKDB_TARGET = 3;

  /** Timed runs per engine in stage 3; the best is kept (the first also pays for planning and a cold cache). */
  private static final int RUNS = 2;

  /**
   * The gold.cost_daily grain and measures (sql/gold/cost_daily.sql) computed straight from silver,
   * as integer nanos: one text that Spark SQL and DuckDB both run. The casts make DuckDB's sums
   * BIGINT, like Spark's, instead of HUGEINT, so both write the same Parquet types.
   */
  private static final String DAILY_ROLLUP_SQL = """
      select
          event_date, tenant_id, feature, project, model, provider, region, environment, operation, service_tier,
          count(*)                                 as requests,
          cast(sum(input_tokens) as bigint)        as input_tokens,
          cast(sum(cached_input_tokens) as bigint) as cached_input_tokens,
          cast(sum(cache_write_tokens) as bigint)  as cache_write_tokens,
          cast(sum(output_tokens) as bigint)       as output_tokens,
          cast(sum(reasoning_tokens) as bigint)    as reasoning_tokens,
          cast(sum(cost_usd_nanos) as bigint)      as cost_usd_nanos,
          cast(sum(list_cost_usd_nanos) as bigint) as list_cost_usd_nanos
      from ${source}
      group by event_date, tenant_id, feature, project, model, provider, region, environment, operation,
          service_tier""";

  /** What each engine's result must agree on: its rows, the requests they sum to and the total costs. */
  private static final String TOTALS_SQL = """
      select count(*), cast(sum(requests) as bigint), cast(sum(cost_usd_nanos) as bigint),
             cast(sum(list_cost_usd_nanos) as bigint)
      from ${source}""";

  @Mixin CommonOptions common;

  @Option(names = "--days", defaultValue = "30", paramLabel = "D",
      description = "Days of history in silver, all rebuilt by the nightly. Default: ${DEFAULT-VALUE}.")
  int days;

  @Option(names = "--events-per-day", defaultValue = "1000000", paramLabel = "E",
      description = "Events per day; the hourly run gets a 24th of it. Default: ${DEFAULT-VALUE}.")
  long eventsPerDay;

  @Option(names = "--work", defaultValue = "bench-work", paramLabel = "DIR",
      description = "Scratch folder (recreated). Default: ${DEFAULT-VALUE}.")
  Path work;

  @Option(names = "--threads", paramLabel = "N",
      description = "Cores Spark runs on here and in the hourly's JVM (spark.master=local[N]), and DuckDB's threads."
          + " Default: spark.master from the config (local[*]: every core).")
  Integer threads;

  @Option(names = "--keep", description = "Keep the scratch folder afterwards (it is always kept when a stage fails).")
  boolean keep;

  /** One timed stage: its wall time, the events it went through and the peak RSS of the process that ran it. */
  private record Stage(double seconds, long events, long peakRssBytes) {
    double eventsPerSecond() {
      return events / seconds;
    }
  }

  /** What one engine's daily rollup came to. */
  private record Totals(long rows, long requests, Long costNanos, Long listCostNanos) {}

  @Override
  public Integer call() throws IOException, InterruptedException, SQLException {
    if (days < 1) {
      throw new IllegalArgumentException("--days must be at least 1, not " + days);
    }
    if (eventsPerDay < 24) {
      throw new IllegalArgumentException("--events-per-day must be at least 24 (the hourly run gets a 24th), not "
          + eventsPerDay);
    }
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
    }
    // Under spark-submit the master and the executors' settings are spark-submit's, passed to this JVM
    // as spark.* system properties; the hourly's own spark-submit gets the same ones.
    Map<String, String> submitted = submittedSparkSettings();
    if (!submitted.isEmpty() && threads != null) {
      throw new IllegalArgumentException("--threads sets local Spark's cores; under spark-submit (master "
          + submitted.get("spark.master") + ") the executors' cores are spark-submit's, e.g. --total-executor-cores");
    }
    Path root = work.toAbsolutePath().normalize();
    BenchCommand.deleteRecursively(root);
    // The jobs require raw.path to exist; the nightly finds it empty, the hourly finds one new hour in it.
    Path raw = Files.createDirectories(root.resolve("raw"));
    Path lakeDir = root.resolve("lake");
    CostlakeConfig config = common.config()
        .with(CostlakeConfig.RAW_PATH, raw.toString())
        .with(CostlakeConfig.LAKE_PATH, lakeDir.toString());
    if (threads != null) {
      config = config.with(CostlakeConfig.SPARK_MASTER, "local[" + threads + "]");
    }
    PriceCatalog catalog = Pricing.checkedCatalog(config);

    // The history ends where real time does: the new hour is the last complete one, and the D days
    // before its date are in silver. Ingest quarantines events from the future (ingest.max-clock-skew),
    // so the hourly's events cannot be dated after now.
    Instant newHour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    LocalDate asOf = LocalDate.ofInstant(newHour, ZoneOffset.UTC);
    LocalDate first = asOf.minusDays(days);
    long events = days * eventsPerDay;

    Lakehouse lake = Sessions.open(config, common.verbose(), "bench rollups");
    SparkSession spark = lake.spark();
    // On a cluster: the cores of the executors registered by now (spark.scheduler.minRegisteredResourcesRatio
    // with spark.cores.max makes the session wait for all of them); locally: local[N]'s N.
    int cores = spark.sparkContext().defaultParallelism();
    boolean local = spark.sparkContext().isLocal();
    System.out.printf("bench rollups: %d days x %,d events/day = %,d events (%s to %s); Spark %s, %d cores%s%n",
        days, eventsPerDay, events, first, asOf.minusDays(1), spark.sparkContext().master(), cores,
        local ? "" : " in " + (spark.sparkContext().getExecutorMemoryStatus().size() - 1) + " executors");

    long began = System.nanoTime();
    writeSyntheticSilver(lake, first, catalog.version());
    double setupSeconds = secondsSince(began);
    System.out.printf("setup: %,d SYNTHETIC events generated by Spark and appended straight to silver.cost_events"
        + " in %.1f s (not part of any target)%n", events, setupSeconds);

    // 1. The nightly on a silver it has never seen: the change data feed and the window both say
    //    "every hour of the D days", so every gold table is rebuilt for all of them.
    boolean resetWorks = PeakMemory.reset();
    began = System.nanoTime();
    RunRecorder.Outcome nightly = ScheduledJobs.nightly(lake, config, catalog, Clock.systemUTC(), asOf, days);
    Stage nightlyStage = new Stage(secondsSince(began), events, PeakMemory.peakRssBytes());
    System.out.printf("%n1. nightly rebuild (as of %s, --rebuild-days %d) %s in %.1f s%n", asOf, days,
        nightly.succeeded() ? "succeeded" : "FAILED", nightlyStage.seconds());
    RunSummary.printRollups(nightly, lake, System.out);
    if (!nightly.succeeded()) {
      System.out.println("  error: " + Errors.describe(nightly.error()));
      System.out.println("scratch folder kept: " + root);
      return Main.EXIT_FAILED;
    }
    printStage("nightly", nightlyStage, resetWorks);

    // 2. One hourly run as cron starts it: a new JVM, Spark started, the new hour ingested and rolled up.
    long hourEvents = writeNewHour(root, raw, newHour, cores);
    System.out.printf("%n2. hourly run over %s (%,d new raw events, written by EventGenerator) in a fresh JVM:%n",
        newHour, hourEvents);
    System.out.flush();
    List<String> command = hourlyCommand(raw, lakeDir, newHour.plus(1, ChronoUnit.HOURS), submitted);
    if (!local) {
      // On a cluster the hourly is an application of its own, which needs executors: this one's give
      // their cores back (on a full cluster it would otherwise wait for them for ever), as the previous
      // run's would have by the time a scheduler starts the next. Stage 3 starts a session again.
      spark.stop();
    }
    began = System.nanoTime();
    long hourlyStartMillis = System.currentTimeMillis();
    Process child = new ProcessBuilder(command).inheritIO().start();
    long childPeak = -1;
    // VmHWM never goes down, so the last reading before the exit is the child's peak (to within 50 ms).
    while (!child.waitFor(50, TimeUnit.MILLISECONDS)) {
      childPeak = Math.max(childPeak, peakRssOf(child.pid()));
    }
    Stage hourlyStage = new Stage(secondsSince(began), hourEvents, childPeak);
    int exitCode = child.exitValue();
    System.out.printf("%n  hourly JVM exit code %d, %.1f s from process start to exit%n", exitCode,
        hourlyStage.seconds());
    if (!local) {
      lake = Sessions.open(config, common.verbose(), "bench rollups");
      spark = lake.spark();
    }
    boolean hourlyOk = exitCode == 0 && checkHourly(lake, newHour, hourEvents);
    printStage("hourly", hourlyStage, true);
    System.out.printf("  Delta commits the hourly made: %d (`bench floor` times one)%n",
        commitsSince(lake, hourlyStartMillis));
    // The baseline: the least a Spark + Delta hourly does over the same file, in a fresh JVM too.
    if (local) {
      List<String> minimal = new ArrayList<>();
      minimal.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      minimal.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      minimal.addAll(List.of("-cp", System.getProperty("java.class.path"),
          dev.costlake.bench.MinimalHourly.class.getName(), newHourFile(raw, newHour).toString(),
          root.resolve("minimal").toString(), newHour.toString()));
      long minimalBegan = System.nanoTime();
      int minimalExit = new ProcessBuilder(minimal).inheritIO().start().waitFor();
      double minimalSeconds = secondsSince(minimalBegan);
      System.out.printf("  minimal Spark + Delta hourly over the same file (fresh JVM: read the JSON, append to a"
          + " date-partitioned table, replace the hour in a rollup): %.1f s, exit %d%n", minimalSeconds, minimalExit);
      System.out.printf("  costlake hourly / minimal hourly: %.2fx (target <= 1.5x)%n",
          hourlyStage.seconds() / minimalSeconds);
    }
    long hourlyRows = lake.table(Lakehouse.COST_HOURLY).count();
    long silverEvents = lake.table(Lakehouse.COST_EVENTS).count();
    System.out.printf("  gold.cost_hourly: %,d rows for %,d events, one row per %.0f events%n", hourlyRows, silverEvents,
        silverEvents / (double) Math.max(1, hourlyRows));

    // 3. The same daily rollup by both engines, from the same files. Not the glob
    //    <silver>/event_date=*/*.parquet: the nightly's OPTIMIZE compacts the recent days that have
    //    several files, and the files it replaces stay on disk until VACUUM's retention (7 days) has
    //    passed, so a glob could count those days twice. Both engines read the files of silver's
    //    current Delta snapshot instead. That every row of them is live holds because silver is only
    //    appended to and compacted here (no update, delete or deletion vector); the check below
    //    confirms it: the requests of each result must add up to silver's row count.
    String silverPath = lake.path(Lakehouse.COST_EVENTS);
    List<String> files = Arrays.asList(lake.table(Lakehouse.COST_EVENTS).inputFiles());
    long silverRows = lake.table(Lakehouse.COST_EVENTS).count();
    // Delta may write the partition column into the data files as well as into the folder names
    // (Delta 4.4 here does); then both engines read it from the files, else both from the folder
    // names (hive partitioning), so that they do the same work.
    boolean dateInFiles = Arrays.asList(spark.read().parquet(files.get(0)).schema().fieldNames())
        .contains("event_date");
    System.out.printf("%n3. daily rollup (gold.cost_daily grain) of %,d events in %,d Parquet files (event_date from"
        + " %s), best of %d runs%n", silverRows, files.size(), dateInFiles ? "the files" : "folder names", RUNS);
    Path out = Files.createDirectories(root.resolve("daily-rollup"));
    var reader = dateInFiles ? spark.read() : spark.read().option("basePath", silverPath);
    reader.parquet(files.toArray(String[]::new)).createOrReplaceTempView("bench_silver_files");
    String sparkOut = out.resolve("spark").toString();
    PeakMemory.reset();
    double sparkSeconds = Double.MAX_VALUE;
    for (int run = 0; run < RUNS; run++) {
      BenchCommand.deleteRecursively(Path.of(sparkOut));
      began = System.nanoTime();
      spark.sql(DAILY_ROLLUP_SQL.replace("${source}", "bench_silver_files")).write().parquet(sparkOut);
      sparkSeconds = Math.min(sparkSeconds, secondsSince(began));
    }
    Stage sparkStage = new Stage(sparkSeconds, silverRows, PeakMemory.peakRssBytes());
    spark.read().parquet(sparkOut).createOrReplaceTempView("bench_spark_rollup");
    Row sparkRow = spark.sql(TOTALS_SQL.replace("${source}", "bench_spark_rollup")).first();
    Totals sparkTotals = new Totals(sparkRow.getLong(0), sparkRow.getLong(1),
        sparkRow.isNullAt(2) ? null : sparkRow.getLong(2), sparkRow.isNullAt(3) ? null : sparkRow.getLong(3));

    Path duckOut = out.resolve("duckdb.parquet");
    Stage duckStage = null;
    Totals duckTotals = null;
    // The cluster jar leaves DuckDB out (its native libraries for every platform weigh 250 MB):
    // under spark-submit stage 3 times Spark alone, unless --jars or --packages brought DuckDB.
    boolean duckdb = onClassPath("org.duckdb.DuckDBDriver");
    // DuckDB in memory and in this process; its native library is loaded before the timing starts.
    if (duckdb) try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement()) {
      sql.execute("set threads = " + cores);
      sql.execute("set temp_directory = " + duckString(root.resolve("duckdb-tmp").toString()));
      String source = files.stream().map(f -> duckString(localPath(f)))
          .collect(Collectors.joining(", ", "read_parquet([", "], hive_partitioning = " + !dateInFiles + ")"));
      String copy = "copy (" + DAILY_ROLLUP_SQL.replace("${source}", source) + ") to "
          + duckString(duckOut.toString()) + " (format parquet)";
      PeakMemory.reset();
      double duckSeconds = Double.MAX_VALUE;
      for (int run = 0; run < RUNS; run++) {
        Files.deleteIfExists(duckOut);
        began = System.nanoTime();
        sql.execute(copy);
        duckSeconds = Math.min(duckSeconds, secondsSince(began));
      }
      duckStage = new Stage(duckSeconds, silverRows, PeakMemory.peakRssBytes());
      try (ResultSet rs = sql.executeQuery(
          TOTALS_SQL.replace("${source}", "read_parquet(" + duckString(duckOut.toString()) + ")"))) {
        rs.next();
        duckTotals = new Totals(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3), (Long) rs.getObject(4));
      }
    }
    boolean sameResult = sparkTotals.requests() == silverRows && (duckTotals == null
        || sparkTotals.rows() == duckTotals.rows()
        && Objects.equals(sparkTotals.costNanos(), duckTotals.costNanos())
        && Objects.equals(sparkTotals.listCostNanos(), duckTotals.listCostNanos())
        && duckTotals.requests() == silverRows);
    System.out.printf("  Spark SQL  %7.2f s  %,12.0f events/s  peak RSS %,6.0f MiB   %,d rows, cost %s nanos%n",
        sparkStage.seconds(), sparkStage.eventsPerSecond(), mib(sparkStage.peakRssBytes()), sparkTotals.rows(),
        sparkTotals.costNanos());
    if (duckdb) {
      System.out.printf("  DuckDB     %7.2f s  %,12.0f events/s  peak RSS %,6.0f MiB   %,d rows, cost %s nanos%n",
          duckStage.seconds(), duckStage.eventsPerSecond(), mib(duckStage.peakRssBytes()), duckTotals.rows(),
          duckTotals.costNanos());
      System.out.printf("  results    %s%n", sameResult ? "agree (rows, requests = silver's rows, cost, list cost)"
          : "DIFFER: Spark " + sparkTotals + ", DuckDB " + duckTotals + ", silver rows " + silverRows);
    } else {
      System.out.printf("  DuckDB     skipped: not on the class path (the cluster jar leaves it out)%n");
      System.out.printf("  results    %s%n", sameResult ? "Spark's requests = silver's rows"
          : "DIFFER: Spark " + sparkTotals + ", silver rows " + silverRows);
    }

    System.out.println();
    System.out.println("bench rollups summary");
    System.out.printf("  machine                 %d cores (Spark %s: %d), JVM max heap %,.0f MiB, Java %s%n",
        Runtime.getRuntime().availableProcessors(), spark.sparkContext().master(), cores,
        mib(Runtime.getRuntime().maxMemory()), System.getProperty("java.version"));
    System.out.printf("  data                    D = %d days x E = %,d events/day = %,d events (synthetic rows"
        + " written by Spark into silver)%n", days, eventsPerDay, events);
    System.out.printf("  setup (untimed)         %.1f s to write silver%n", setupSeconds);
    System.out.printf("  1 nightly rebuild       %7.1f s  %,12.0f events/s  peak RSS %,6.0f MiB   target <= %.0f s"
        + " for %d x %,d on 2 cores: %s%n", nightlyStage.seconds(), nightlyStage.eventsPerSecond(),
        mib(nightlyStage.peakRssBytes()), NIGHTLY_TARGET_SECONDS, NIGHTLY_TARGET_DAYS, NIGHTLY_TARGET_EVENTS_PER_DAY,
        days == NIGHTLY_TARGET_DAYS && eventsPerDay == NIGHTLY_TARGET_EVENTS_PER_DAY
            ? verdict(nightlyStage.seconds() <= NIGHTLY_TARGET_SECONDS) + (cores == 2 ? "" : " (not on 2 cores)")
            : "n/a at this size");
    System.out.printf("  2 hourly, fresh JVM     %7.1f s  %,12.0f events/s  peak RSS %,6.0f MiB   target <= %.0f s: %s;"
        + " exit code %d%n", hourlyStage.seconds(), hourlyStage.eventsPerSecond(), mib(hourlyStage.peakRssBytes()),
        HOURLY_TARGET_SECONDS, verdict(hourlyStage.seconds() <= HOURLY_TARGET_SECONDS), exitCode);
    System.out.printf("  3 daily rollup, Spark   %7.2f s  %,12.0f events/s  peak RSS %,6.0f MiB%n",
        sparkStage.seconds(), sparkStage.eventsPerSecond(), mib(sparkStage.peakRssBytes()));
    if (duckdb) {
      double ratio = sparkStage.seconds() / duckStage.seconds();
      System.out.printf("    daily rollup, DuckDB  %7.2f s  %,12.0f events/s  peak RSS %,6.0f MiB   (%d threads)%n",
          duckStage.seconds(), duckStage.eventsPerSecond(), mib(duckStage.peakRssBytes()), cores);
      System.out.printf("    Spark / DuckDB        %7.2f x   target <= %.0f x: %s; results %s%n", ratio,
          SPARK_VS_DUCKDB_TARGET, verdict(ratio <= SPARK_VS_DUCKDB_TARGET), sameResult ? "agree" : "DIFFER");
    }
    // Per core: what each core Spark ran on did, the figure to scale by when adding executors.
    System.out.printf("  per core (%d)            nightly %,.0f events/s, daily rollup %,.0f events/s%n", cores,
        nightlyStage.eventsPerSecond() / cores, sparkStage.eventsPerSecond() / cores);
    System.out.println("  (peak RSS: " + (local ? "the whole process" : "the driver's only; executors are other processes")
        + (duckdb ? "; stage 3 runs both engines in this JVM, so the heap is in both" : "")
        + (resetWorks ? ")" : "; the high-water mark could not be reset between stages)"));

    boolean ok = hourlyOk && sameResult;
    if (ok && !keep) {
      BenchCommand.deleteRecursively(root);
    } else {
      System.out.println("scratch folder kept: " + root);
    }
    return ok ? 0 : Main.EXIT_FAILED;
  }

  /**
   * Appends days x eventsPerDay synthetic rows, dated from first on, to silver.cost_events: the
   * shape of the generator's events (7 tenants with skewed shares, each with its own users, 5,000
   * users whose volume falls off Zipf-like, 40 features also Zipf-like, each with a fixed operation
   * and 2-3 models, 12 models) and of ingest's pricing (most priced; one fine-tuned model no catalog
   * knows, so unpriced, or reported_only for the one tenant that logs its own cost). Parsing raw
   * events would take longer than the rollups being measured, and is benchmarked by `bench ingest`.
   */
  private void writeSyntheticSilver(Lakehouse lake, LocalDate first, String catalogVersion) {
    SparkSession spark = lake.spark();
    long startMicros = first.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
    // One task per day (ids are day-major), so each day is written as one file, as after the
    // nightly's OPTIMIZE; at least one task per core.
    int tasks = Math.max(days, spark.sparkContext().defaultParallelism());
    var rows = spark.range(0, days * eventsPerDay, 1, tasks)
        .selectExpr("id", "id div " + eventsPerDay + " as day",
            "rand(11) as u_tenant", "rand(12) as u_user", "rand(13) as u_feature", "rand(14) as u_model",
            "rand(15) as u_time", "rand(16) as u_region", "rand(17) as u_environment", "rand(18) as u_tier",
            "rand(19) as u_input", "rand(20) as u_output", "rand(21) as u_cache", "rand(22) as u_tags")
        .selectExpr("*",
            // Tenant shares 35/22/14/11/8/7/3 %, as the generator's.
            "case when u_tenant < 0.35 then 0 when u_tenant < 0.57 then 1 when u_tenant < 0.71 then 2"
                + " when u_tenant < 0.82 then 3 when u_tenant < 0.90 then 4 when u_tenant < 0.97 then 5"
                + " else 6 end as tenant",
            // pow(n + 1, u) is log-uniform on [1, n + 1): rank r is drawn with odds ~1/r (Zipf, exponent 1).
            "cast(floor(pow(41, u_feature)) as int) as feature_rank",
            "timestamp_micros(" + startMicros + " + day * 86400000000 + cast(u_time * 86400000000 as bigint))"
                + " as event_time")
        .selectExpr("*",
            "element_at(array('acme','globex','initech','umbrella','hooli','stark','wayne'), tenant + 1) as tenant_id",
            // Each tenant owns a block of the 5,000 users, in proportion to its share.
            "element_at(array(0, 1750, 2850, 3550, 4100, 4500, 4850), tenant + 1)"
                + " + cast(floor(pow(element_at(array(1750, 1100, 700, 550, 400, 350, 150), tenant + 1) + 1, u_user))"
                + " as int) as user_number",
            "format_string('feature_%02d', feature_rank) as feature",
            "case feature_rank % 10 when 1 then 'embedding' when 4 then 'completion' else 'chat' end as operation")
        .selectExpr("*",
            // Models 0-10 are priced; 11 (fine-tuned) is in no catalog. Embedding features use the two
            // embedding models, the others three of the nine chat models, and every tenth feature
            // from the 7th sends a fifth of its calls to the fine-tuned model.
            "case when operation = 'embedding' then if(u_model < 0.7, 5, 6)"
                + " when feature_rank % 10 = 7 and u_model >= 0.8 then 11"
                + " else element_at(array(0, 1, 2, 3, 4, 7, 8, 9, 10),"
                + "   pmod(feature_rank + 3 * (case when u_model < 0.5 then 0 when u_model < 0.8 then 1 else 2 end), 9)"
                + "   + 1) end as model_index",
            "format_string('u_%06d', user_number) as user_id",
            // Realistic traffic: a feature belongs to one project of its tenant, a tenant serves from its
            // home region (a tenth of calls fail over to us-west-2), nearly every call is production,
            // and a feature's tier is fixed (every tenth, from the 3rd, runs on the batch tier).
            "concat(tenant_id, '-', element_at(array('web', 'api'), pmod(feature_rank, 2) + 1)) as project",
            "case when u_region < 0.1 then 'us-west-2' else element_at(array('us-east-1', 'us-east-1', 'eu-west-1',"
                + " 'us-west-2', 'us-east-1', 'ap-southeast-1', 'eu-west-1'), tenant + 1) end as region",
            "case when u_environment < 0.97 then 'production' else 'staging' end as environment",
            "case when feature_rank % 10 = 3 then 'batch' else 'standard' end as service_tier",
            "case when u_tags < 0.33 then map('team', concat('team-', cast(feature_rank % 8 as string)),"
                + " 'ab_bucket', if(u_tags < 0.16, 'a', 'b')) end as tags")
        .selectExpr("*",
            "element_at(array('gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'o3-mini', 'text-embedding-3-small',"
                + " 'text-embedding-3-large', 'claude-3-5-sonnet-20241022', 'claude-3-5-haiku-20241022',"
                + " 'claude-sonnet-4-20250514', 'gemini-2.0-flash', 'ft:gpt-4o-mini-2024-07-18:support-team::b7x2k9q1'),"
                + " model_index + 1) as model",
            "element_at(array('openai', 'openai', 'openai', 'openai', 'openai', 'openai', 'openai', 'anthropic',"
                + " 'anthropic', 'anthropic', 'google', 'openai'), model_index + 1) as provider",
            // List prices in USD nanos per token ($1 per million tokens = 1,000 nanos per token).
            "element_at(array(2500L, 150L, 2000L, 400L, 1100L, 20L, 130L, 3000L, 800L, 3000L, 100L, 300L),"
                + " model_index + 1) as input_price",
            "element_at(array(10000L, 600L, 8000L, 1600L, 4400L, 0L, 0L, 15000L, 4000L, 15000L, 400L, 1200L),"
                + " model_index + 1) as output_price",
            "case when operation = 'embedding' then cast(50 + 950 * u_input * u_input as bigint)"
                + " else cast(100 + 7900 * u_input * u_input as bigint) end as input_tokens",
            "case when operation = 'embedding' then 0L else cast(20 + 1480 * u_output * u_output as bigint) end"
                + " as output_tokens")
        .selectExpr("*",
            "case when operation = 'chat' and u_cache < 0.3 then input_tokens div 2 else 0L end as cached_input_tokens",
            "case when provider = 'anthropic' and u_cache >= 0.3 and u_cache < 0.4 then input_tokens div 4 else 0L end"
                + " as cache_write_tokens",
            "case when model_index = 4 then output_tokens * 3 div 5 else 0L end as reasoning_tokens")
        .selectExpr("*",
            // Cached input at half price, cache writes at 1.25x, batch and flex at half: the catalog's rules.
            "case when model_index = 11 then null else"
                + " ((input_tokens - cached_input_tokens) * input_price + cached_input_tokens * input_price div 2"
                + " + cache_write_tokens * input_price div 4 + output_tokens * output_price)"
                + " div if(service_tier = 'standard', 1, 2) end as list_cost_usd_nanos")
        .selectExpr("*",
            // globex logs its own cost (at the price it pays, list or fine-tuned); nobody else does.
            "case when tenant = 1 then coalesce(list_cost_usd_nanos, input_tokens * input_price"
                + " + output_tokens * output_price) end as reported_cost_usd_nanos")
        .selectExpr("*",
            "format_string('bench-%016x', id) as event_id",
            "to_date(event_time) as event_date",
            "date_trunc('HOUR', event_time) as event_hour",
            "coalesce(reported_cost_usd_nanos, list_cost_usd_nanos) as cost_usd_nanos",
            "case when list_cost_usd_nanos is not null then 'priced' when reported_cost_usd_nanos is not null"
                + " then 'reported_only' else 'unpriced' end as pricing_status",
            "case when list_cost_usd_nanos is not null then concat(provider, '/', model, '/', operation, '/',"
                + " service_tier, '@2025-01-01') end as price_id",
            "case when list_cost_usd_nanos is not null then 'exact' end as price_match",
            SqlFile.literal(catalogVersion) + " as price_catalog_version",
            "xxhash64(id) as content_hash",
            "concat('synthetic:/bench/dt=', cast(to_date(event_time) as string), '/hr=', date_format(event_time, 'HH'),"
                + " '/part-00000.jsonl.gz') as source_file",
            "'bench-synthetic' as ingest_run_id",
            "'bench-synthetic:0' as ingest_batch_id",
            "current_timestamp() as ingested_at");
    // Exactly silver's columns, in its order and types.
    List<Column> columns = new ArrayList<>();
    for (StructField field : lake.table(Lakehouse.COST_EVENTS).schema().fields()) {
      columns.add(col(field.name()).cast(field.dataType()).as(field.name()));
    }
    spark.sparkContext().setJobDescription("bench rollups: writing synthetic silver.cost_events");
    rows.select(columns.toArray(Column[]::new))
        .write().format("delta").mode("append").save(lake.path(Lakehouse.COST_EVENTS));
    spark.sparkContext().setJobDescription(null);
  }

  /**
   * Writes one hour of raw events for newHour under raw (dt=/hr= layout) with EventGenerator, and
   * returns how many there are: about eventsPerDay / 24, whatever the hour.
   */
  private long writeNewHour(Path root, Path raw, Instant newHour, int generatorThreads) throws IOException {
    LocalDate date = LocalDate.ofInstant(newHour, ZoneOffset.UTC);
    int hour = newHour.atZone(ZoneOffset.UTC).getHour();
    // EventGenerator gives hour h of a day the share (1 + 0.8 sin(2 pi (h - 9) / 24)) / 24 of the
    // day's events (its class comment); asking it for E / that weight events puts about E/24 in the
    // hour kept, so the figure does not depend on the time of day the bench runs at.
    double weight = 1 + 0.8 * Math.sin(2 * Math.PI * (hour - 9) / 24.0);
    long dayEvents = Math.max(1, Math.round(eventsPerDay / weight));
    Path generated = root.resolve("generated");
    EventGenerator.generate(generated, new GeneratorOptions(date, 1, dayEvents, 1, 0, 0, generatorThreads));
    Path file = Path.of("dt=" + date, String.format("hr=%02d", hour), "part-00000.jsonl.gz");
    Path target = raw.resolve(file);
    Files.createDirectories(target.getParent());
    Files.move(generated.resolve(file), target);
    BenchCommand.deleteRecursively(generated);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(target)), StandardCharsets.UTF_8))) {
      return lines.lines().count();
    }
  }

  /** The raw file writeNewHour wrote the new hour to. */
  private static Path newHourFile(Path raw, Instant newHour) {
    LocalDate date = LocalDate.ofInstant(newHour, ZoneOffset.UTC);
    int hour = newHour.atZone(ZoneOffset.UTC).getHour();
    return raw.resolve(Path.of("dt=" + date, String.format("hr=%02d", hour), "part-00000.jsonl.gz"));
  }

  /** Delta commits (log entries) written to any table of the lakehouse since a moment. */
  static long commitsSince(Lakehouse lake, long sinceMillis) throws IOException {
    long commits = 0;
    for (String table : Lakehouse.TABLES) {
      org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(lake.path(table) + "/_delta_log");
      org.apache.hadoop.fs.FileSystem fs = log.getFileSystem(lake.spark().sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        continue;
      }
      for (org.apache.hadoop.fs.FileStatus entry : fs.listStatus(log)) {
        String name = entry.getPath().getName();
        if (name.matches("\\d{20}\\.json") && entry.getModificationTime() >= sinceMillis) {
          commits++;
        }
      }
    }
    return commits;
  }

  /**
   * `costlake hourly` as its own process: this JVM's java, class path and JVM arguments (heap,
   * --add-opens, log4j config, -D flags), this run's config with the bench's raw and lake paths.
   */
  private List<String> hourlyCommand(Path raw, Path lakeDir, Instant asOfTime, Map<String, String> submitted) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    if (submitted.isEmpty()) {
      command.addAll(List.of(Main.class.getName(), "hourly"));
    } else {
      // spark-submit's own main class, this JVM's class path (Spark's jars), the same master and settings,
      // and this jar: a new application on the same cluster, as a scheduler would submit it.
      command.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", submitted.get("spark.master"),
          "--name", "costlake bench hourly"));
      submitted.forEach((key, value) -> {
        if (!SUBMIT_OWN_SETTINGS.contains(key)) {
          command.addAll(List.of("--conf", key + "=" + value));
        }
      });
      command.addAll(List.of("--class", Main.class.getName(), applicationJar(), "hourly"));
    }
    if (common.configFile != null) {
      command.addAll(List.of("--config", common.configFile.getPath()));
    }
    common.overrides.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
    common.sparkSettings.forEach((key, value) -> command.addAll(List.of("--conf", key + "=" + value)));
    command.addAll(List.of("--set", CostlakeConfig.RAW_PATH + "=" + raw,
        "--set", CostlakeConfig.LAKE_PATH + "=" + lakeDir));
    if (threads != null) {
      command.addAll(List.of("--set", CostlakeConfig.SPARK_MASTER + "=local[" + threads + "]"));
    }
    // As cron would run it just after the new hour closed: that hour is the last complete one.
    command.addAll(List.of("--as-of", asOfTime.toString()));
    if (common.verbose()) {
      command.add("--verbose");
    }
    return command;
  }

  /**
   * Checks what the hourly did from this session: silver gained the new hour's events, gold.cost_hourly
   * holds them, and the run rebuilt only that hour (its cost must not grow with history).
   */
  private static boolean checkHourly(Lakehouse lake, Instant newHour, long hourEvents) {
    SparkSession spark = lake.spark();
    String date = SqlFile.dateLiteral(LocalDate.ofInstant(newHour, ZoneOffset.UTC));
    String hour = SqlFile.timestampLiteral(newHour);
    long inSilver = spark.sql("select count(*) from " + Lakehouse.COST_EVENTS
        + " where event_date = " + date + " and event_hour = " + hour).first().getLong(0);
    Row inGold = spark.sql("select sum(requests) from " + Lakehouse.COST_HOURLY
        + " where event_date = " + date + " and event_hour = " + hour).first();
    Row run = spark.sql("select rollup_hours, records_accepted from " + Lakehouse.PIPELINE_RUNS
        + " where job = 'hourly' and status = 'succeeded' order by started_at desc limit 1").first();
    long goldRequests = inGold.isNullAt(0) ? 0 : inGold.getLong(0);
    System.out.printf("  silver rows in the new hour %,d, gold.cost_hourly requests %,d, hours the run rebuilt %s%n",
        inSilver, goldRequests, run.isNullAt(0) ? "none" : run.get(0));
    boolean ok = inSilver == hourEvents && goldRequests == hourEvents;
    if (!ok) {
      System.out.printf("  FAILED: expected %,d events of the new hour in silver and in gold.cost_hourly%n", hourEvents);
    }
    return ok;
  }

  /** Settings spark-submit derives itself, or the hourly's command line sets: not passed on with --conf. */
  private static final java.util.Set<String> SUBMIT_OWN_SETTINGS = java.util.Set.of("spark.master", "spark.app.name",
      "spark.app.submitTime", "spark.app.id", "spark.jars", "spark.submit.deployMode", "spark.submit.pyFiles",
      "spark.driver.port", "spark.executor.id");

  /** The spark.* settings spark-submit gave this JVM (as system properties); empty when not under spark-submit. */
  private static Map<String, String> submittedSparkSettings() {
    Map<String, String> settings = new java.util.TreeMap<>();
    if (System.getProperty("spark.master") == null) {
      return settings;
    }
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith("spark.")) {
        settings.put(key, System.getProperty(key));
      }
    }
    return settings;
  }

  /** The jar this class was loaded from: spark-submit's primary resource. */
  private static String applicationJar() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot locate the costlake jar", e);
    }
  }

  private static boolean onClassPath(String className) {
    try {
      Class.forName(className, false, RollupBench.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The peak RSS (VmHWM) of another live process, in bytes; -1 if it cannot be read (exited, not Linux). */
  private static long peakRssOf(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static void printStage(String name, Stage stage, boolean peakIsOwn) {
    System.out.printf("  %s: %.1f s wall, %,.0f events/s, peak RSS %,.0f MiB%s%n", name, stage.seconds(),
        stage.eventsPerSecond(), mib(stage.peakRssBytes()),
        peakIsOwn ? "" : " (high-water mark could not be reset: includes the setup)");
  }

  /** A Hadoop file URI of a Delta data file (file:/...) as the local path DuckDB reads. */
  private static String localPath(String uri) {
    return uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)).toString() : uri;
  }

  /** A DuckDB string literal. */
  private static String duckString(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }
}
