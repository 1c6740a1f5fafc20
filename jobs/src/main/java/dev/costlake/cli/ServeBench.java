package dev.costlake.cli;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.Pricing;
import dev.costlake.schedule.ServeJobs;
import dev.costlake.spark.Logging;
import dev.costlake.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `costlake bench serve`: what an hourly run costs in a driver that stays up (`costlake serve`),
 * run after run, through the same jobs serve runs.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
      "Time warm hourly runs in one driver.",
      "",
      "Generate a day of history and --hours + 1 hours of the next day (--events-per-day events a day) into a fresh"
          + " lakehouse's raw folder, then, in this one JVM and Spark session with serve's settings, run the hourly job"
          + " as serve does: first over the history and the day's first hour (the cold run), then once per further hour,"
          + " each as the hour's files arrive, back to back. Prints each run's wall time, events and Delta commits,"
          + " and the warm runs' median against the target (6 s)."
    })
public final class ServeBench implements Callable<Integer> {
  private static final double WARM_TARGET_SECONDS = 6;

  @Mixin CommonOptions common;

  @Option(names = "--hours", defaultValue = "5", paramLabel = "N",
      description = "Warm hourly runs after the first, one per new hour (1 to 22). Default: ${DEFAULT-VALUE}.")
  int hours;

  @Option(names = "--events-per-day", defaultValue = "1000000", paramLabel = "E",
      description = "Events per day; an hour gets about a 24th of it. Default: ${DEFAULT-VALUE}.")
  long eventsPerDay;

  @Option(names = "--work", defaultValue = "bench-work", paramLabel = "DIR",
      description = "Scratch folder (recreated). Default: ${DEFAULT-VALUE}.")
  Path work;

  @Option(names = "--keep", description = "Keep the scratch folder afterwards.")
  boolean keep;

  @Override
  public Integer call() throws IOException {
    if (hours < 1 || hours > 22) {
      throw new IllegalArgumentException("--hours must be from 1 to 22 (the hours of one day after its first), not "
          + hours);
    }
    if (eventsPerDay < 24) {
      throw new IllegalArgumentException("--events-per-day must be at least 24, not " + eventsPerDay);
    }
    Path root = work.toAbsolutePath().normalize();
    BenchCommand.deleteRecursively(root);
    Path raw = Files.createDirectories(root.resolve("raw"));
    CostlakeConfig config = common.config()
        .with(CostlakeConfig.RAW_PATH, raw.toString())
        .with(CostlakeConfig.LAKE_PATH, root.resolve("lake").toString());
    Pricing.checkedCatalog(config);

    // Two whole days before today (UTC), so that no event is in the future whatever the time now.
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    LocalDate history = day.minusDays(1);
    Path generated = root.resolve("generated");
    long began = System.nanoTime();
    EventGenerator.generate(generated, new GeneratorOptions(history, 2, eventsPerDay, 1, 0, 0,
        Runtime.getRuntime().availableProcessors()));
    System.out.printf("bench serve: generated 2 days x %,d events (%s, %s) in %.1f s%n", eventsPerDay, history, day,
        (System.nanoTime() - began) / 1e9);
    Files.move(generated.resolve("dt=" + history), raw.resolve("dt=" + history));

    Logging.configure(common.verbose());
    Lakehouse lake = Lakehouse.open(
        SparkSessions.getOrCreate(config, "costlake bench serve", SparkSessions.LONG_RUNNING), config);
    SparkSession spark = lake.spark();
    System.out.printf("bench serve: Spark %s, %d cores, %s=%s%n", spark.sparkContext().master(),
        spark.sparkContext().defaultParallelism(), SparkSessions.DELTA_LOG_CACHE_RETENTION,
        spark.conf().get(SparkSessions.DELTA_LOG_CACHE_RETENTION));
    ServeJobs jobs = new ServeJobs(lake, config, Clock.systemUTC());
    List<Double> warm = new ArrayList<>();
    boolean allSucceeded = true;
    for (int hour = 0; hour <= hours; hour++) {
      moveHour(generated, raw, day, hour);
      Instant asOf = day.atTime(hour + 1, 5).toInstant(ZoneOffset.UTC);
      long sinceMillis = System.currentTimeMillis();
      long start = System.nanoTime();
      RunRecorder.Outcome outcome = jobs.hourly(asOf);
      double seconds = (System.nanoTime() - start) / 1e9;
      long commits = RollupBench.commitsSince(lake, sinceMillis);
      allSucceeded &= outcome.succeeded();
      if (hour > 0) {
        warm.add(seconds);
      }
      System.out.printf("run %2d %-22s as of %s  %7.1f s  %,9d events  %3d commits  %s%n", hour + 1,
          hour == 0 ? "(cold: history + hour)" : "(warm: one new hour)", asOf, seconds,
          outcome.counts().recordsAccepted(), commits,
          outcome.succeeded() ? "succeeded" : "FAILED: " + dev.costlake.cli.Errors.describe(outcome.error()));
    }
    List<Double> sorted = warm.stream().sorted().toList();
    double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    System.out.printf("warm hourly runs (2nd and later): median %.1f s, best %.1f s, worst %.1f s (target: at most"
        + " %.0f s: %s)%n", median, sorted.get(0), sorted.get(sorted.size() - 1), WARM_TARGET_SECONDS,
        median <= WARM_TARGET_SECONDS ? "met" : "missed");
    spark.stop();
    if (!keep && allSucceeded) {
      BenchCommand.deleteRecursively(root);
    }
    return allSucceeded ? 0 : dev.costlake.Main.EXIT_FAILED;
  }

  /** Moves one hour of the generated day into raw, as an application would write it. */
  private static void moveHour(Path generated, Path raw, LocalDate day, int hour) throws IOException {
    Path folder = Path.of("dt=" + day, String.format("hr=%02d", hour));
    Files.createDirectories(raw.resolve(folder).getParent());
    Files.move(generated.resolve(folder), raw.resolve(folder));
  }
}
