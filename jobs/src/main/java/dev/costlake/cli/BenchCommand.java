package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.bench.PeakMemory;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import dev.costlake.generate.GeneratorResult;
import dev.costlake.ingest.Ingest;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.report.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `costlake bench`: benchmark commands whose figures go into docs/benchmarks.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run the benchmarks whose figures docs/benchmarks.md records.",
    subcommands = {BenchCommand.IngestBench.class, BenchCommand.SilverWriteBench.class, BenchCommand.MoneyBench.class, RollupBench.class,
        FloorBench.class, ServeBench.class, SqlBench.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Generates N events, ingests them into a fresh lakehouse, reports events/s and peak memory. */
  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = {"Time ingesting generated events into a fresh lakehouse.",
          "Generates --events events (.jsonl.gz), ingests them into a fresh lakehouse, and reports"
              + " events/s end to end and the process's peak RSS during ingest."})
  public static final class IngestBench implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--events", defaultValue = "10000000", description = "Events to generate. Default: ${DEFAULT-VALUE}.")
    long events;

    @Option(names = "--days", defaultValue = "30", description = "Days they span. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--work", defaultValue = "bench-work",
        description = "Scratch folder (recreated). Default: ${DEFAULT-VALUE}.")
    Path work;

    @Option(names = "--keep", description = "Keep the scratch folder afterwards.")
    boolean keep;

    @Override
    public Integer call() throws IOException {
      Path root = work.toAbsolutePath().normalize();
      deleteRecursively(root);
      Path raw = root.resolve("raw");
      CostlakeConfig config = common.config()
          .with(CostlakeConfig.RAW_PATH, raw.toString())
          .with(CostlakeConfig.LAKE_PATH, root.resolve("lakehouse").toString());
      long perDay = Math.max(1, events / days);
      long began = System.nanoTime();
      GeneratorResult generated = EventGenerator.generate(raw, new GeneratorOptions(
          LocalDate.of(2026, 10, 1), days, perDay, 1, 0, 0, Runtime.getRuntime().availableProcessors()));
      double generateSeconds = (System.nanoTime() - began) / 1e9;
      System.out.printf("generated %,d events in %,d files (%,d bytes gzip) in %.1f s%n",
          generated.eventsWritten(), generated.filesWritten(), generated.bytesWritten(), generateSeconds);

      boolean resetWorked = PeakMemory.reset();
      long startNanos = System.nanoTime();
      Lakehouse lake = Sessions.open(config, common.verbose(), "bench ingest");
      double startupSeconds = (System.nanoTime() - startNanos) / 1e9;
      RunRecorder.Outcome outcome = Ingest.run(lake, config, Clock.systemUTC());
      double ingestSeconds = outcome.duration().toMillis() / 1000.0;
      long peak = PeakMemory.peakRssBytes();
      RunSummary.printIngest(outcome, lake, System.out);
      System.out.println();
      System.out.println("bench ingest");
      System.out.printf("  events                 %,d%n", outcome.counts().recordsRead());
      System.out.printf("  spark start + tables   %.1f s%n", startupSeconds);
      System.out.printf("  ingest wall time       %.1f s%n", ingestSeconds);
      System.out.printf("  ingest throughput      %,.0f events/s%n", outcome.counts().recordsRead() / ingestSeconds);
      System.out.printf("  end to end (incl. start) %,.0f events/s%n",
          outcome.counts().recordsRead() / (ingestSeconds + startupSeconds));
      System.out.printf("  peak RSS during ingest %,.0f MiB%s%n", peak / 1048576.0,
          resetWorked ? "" : " (high-water mark could not be reset: includes generation)");
      System.out.printf("  JVM max heap           %,.0f MiB; cores %d%n",
          Runtime.getRuntime().maxMemory() / 1048576.0, Runtime.getRuntime().availableProcessors());
      if (!keep) {
        deleteRecursively(root);
      }
      return outcome.succeeded() ? 0 : Main.EXIT_FAILED;
    }
  }

  /**
   * The floor under ingest throughput: how fast Spark can only write already-parsed events into
   * silver.cost_events (its real DDL: Delta, partitioned by event_date, its statistics columns).
   */
  @Command(name = "silver-write", mixinStandardHelpOptions = true,
      description = {"Time writing validated events into an empty silver table.",
          "Writes --rows synthetic, already-validated events into an empty silver.cost_events and"
              + " reports rows/s: the ceiling any ingest can reach on this machine, parsing aside."})
  public static final class SilverWriteBench implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--rows", defaultValue = "10000000", description = "Rows to write. Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--days", defaultValue = "30", description = "event_date partitions they span. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--work", defaultValue = "bench-work", description = "Scratch folder (recreated). Default: ${DEFAULT-VALUE}.")
    Path work;

    @Override
    public Integer call() throws IOException {
      Path root = work.toAbsolutePath().normalize();
      Lakehouse lake = scratchLake(root, common, "bench silver-write");
      SparkSession spark = lake.spark();
      String source = root.resolve("events").toString();
      // Rows shaped like the generator's events: 7 tenants, 40 features, 5,000 users, 12 models,
      // a tag map on a third of them. Written once as plain Parquet so generating them is not timed.
      long secondsSpanned = days * 86_400L;
      spark.range(0, rows, 1, spark.sparkContext().defaultParallelism())
          .selectExpr(
              "uuid() as event_id",
              "timestamp_seconds(1790812800 + (id * 7919) % " + secondsSpanned + ") as event_time",
              "element_at(array('acme','globex','initech','umbrella','hooli','stark','wayne'), cast(id % 7 + 1 as int)) as tenant_id",
              "concat('feature_', id % 40) as feature",
              "concat('u_', lpad(cast((id * 31) % 5000 as string), 6, '0')) as user_id",
              "concat('project-', id % 20) as project", "'us-west-2' as region", "'production' as environment",
              "'openai' as provider", "concat('model-', id % 12) as model", "'chat' as operation",
              "'standard' as service_tier",
              "case when id % 3 = 0 then map('team', 'analytics', 'ab_bucket', 'b') end as tags",
              "(id * 13) % 4000 as input_tokens", "(id * 13) % 100 as cached_input_tokens", "0L as cache_write_tokens",
              "(id * 17) % 800 as output_tokens", "0L as reasoning_tokens",
              "case when id % 7 = 1 then (id * 7919) % 12345678 end as reported_cost_usd_nanos",
              "xxhash64(id) as content_hash",
              "concat('file:/data/raw/dt=2026-10-01/hr=', lpad(cast(id % 24 as string), 2, '0'), '/part-00000.jsonl.gz') as source_file")
          .selectExpr("*", "to_date(event_time) as event_date", "date_trunc('HOUR', event_time) as event_hour")
          .write().parquet(source);
      Dataset<Row> events = spark.read().parquet(source);

      long t0 = System.nanoTime();
      events.write().format("noop").mode("overwrite").save();
      double readSeconds = (System.nanoTime() - t0) / 1e9;

      long t1 = System.nanoTime();
      events.withColumn("ingest_run_id", org.apache.spark.sql.functions.lit("bench"))
          .withColumn("ingest_batch_id", org.apache.spark.sql.functions.lit("bench:0"))
          .withColumn("ingested_at", org.apache.spark.sql.functions.current_timestamp())
          .write().format("delta").mode("append").save(lake.path(Lakehouse.COST_EVENTS));
      double writeSeconds = (System.nanoTime() - t1) / 1e9;

      long written = lake.table(Lakehouse.COST_EVENTS).count();
      System.out.println("bench silver-write");
      System.out.printf("  rows written              %,d into %d event_date partitions%n", written, days);
      System.out.printf("  read the rows only        %.1f s (%,.0f rows/s)%n", readSeconds, written / readSeconds);
      System.out.printf("  read + Delta append       %.1f s (%,.0f rows/s)%n", writeSeconds, written / writeSeconds);
      System.out.printf("  cores %d%n", Runtime.getRuntime().availableProcessors());
      deleteRecursively(root);
      return written == rows ? 0 : Main.EXIT_FAILED;
    }
  }

  /** Times sums of the same amounts as integer nanos, DECIMAL(18,9), DECIMAL(38,18) and DOUBLE. */
  @Command(name = "money", mixinStandardHelpOptions = true,
      description = {"Compare how fast Spark sums money in four column types.",
          "The types: BIGINT nanos, DECIMAL(18,9), DECIMAL(38,18) and DOUBLE."})
  public static final class MoneyBench implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--rows", defaultValue = "50000000", description = "Rows to sum. Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--repeat", defaultValue = "5", description = "Timed runs per type (the best is reported). Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--work", defaultValue = "bench-work", description = "Scratch folder (recreated). Default: ${DEFAULT-VALUE}.")
    Path work;

    @Override
    public Integer call() throws IOException {
      Path root = work.toAbsolutePath().normalize();
      Lakehouse lake = scratchLake(root, common, "bench money");
      SparkSession spark = lake.spark();
      String data = root.resolve("money").toString();
      // Costs between $0 and ~$1.23 with nano precision, the shape of per-request LLM costs.
      spark.range(rows).selectExpr(
              "id % 1000 as grp",
              "(id * 7919) % 1234567891 as cost_nanos")
          .selectExpr("grp", "cost_nanos",
              "cast(cost_nanos as decimal(18,0)) / 1000000000 as cost_d18",
              "cast(cast(cost_nanos as decimal(18,0)) / 1000000000 as decimal(38,18)) as cost_d38",
              "cost_nanos / 1e9 as cost_double")
          .write().parquet(data);
      Dataset<Row> money = spark.read().parquet(data);
      System.out.printf("sum of %,d amounts grouped by 1,000 keys, best of %d runs:%n", rows, repeat);
      String[][] types = {
        {"cost_nanos", "BIGINT nanos"}, {"cost_d18", "DECIMAL(18,9)"},
        {"cost_d38", "DECIMAL(38,18)"}, {"cost_double", "DOUBLE (inexact; for reference)"}};
      for (String[] type : types) {
        long best = Long.MAX_VALUE;
        Object total = null;
        for (int i = 0; i < repeat; i++) {
          long t0 = System.nanoTime();
          total = money.groupBy("grp").agg(org.apache.spark.sql.functions.sum(type[0]).as("s"))
              .agg(org.apache.spark.sql.functions.sum("s")).first().get(0);
          best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("  %-32s %,8.0f ms   total %s%n", type[1], best / 1e6, total);
      }
      deleteRecursively(root);
      return 0;
    }
  }

  /** A fresh, empty lakehouse under a recreated scratch folder. */
  private static Lakehouse scratchLake(Path root, CommonOptions common, String job) throws IOException {
    deleteRecursively(root);
    return Sessions.open(common.config().with(CostlakeConfig.LAKE_PATH, root.resolve("lake").toString()),
        common.verbose(), job);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
