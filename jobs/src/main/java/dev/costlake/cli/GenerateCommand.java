package dev.costlake.cli;

import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import dev.costlake.generate.GeneratorResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `costlake generate`: realistic raw cost events as .jsonl.gz, deterministic for a seed. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write realistic sample raw events, deterministic for a seed.",
      "Writes raw cost events as dt=YYYY-MM-DD/hr=HH/part-00000.jsonl.gz:",
      "7 tenants, 40 features, 5,000 users with a heavy tail, 12 real models, daily",
      "and weekly seasonality; optionally a trend, day-to-day noise and labelled",
      "anomalies. Deterministic for a seed."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (local). Default: raw.path.")
  Path out;

  @Option(names = "--days", defaultValue = "30", description = "Days of events. Default: ${DEFAULT-VALUE}.")
  int days;

  @Option(names = "--events-per-day", defaultValue = "10000",
      description = "Valid events per day on average (weekends are quieter; the total is exactly days x this). Default: ${DEFAULT-VALUE}.")
  long eventsPerDay;

  @Option(names = "--start", paramLabel = "DATE",
      description = "First day (UTC), e.g. 2026-10-01. Default: the last --days days up to yesterday.")
  LocalDate start;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--malformed-fraction", defaultValue = "0",
      description = "Extra malformed lines, as a fraction of valid events (0 to 0.5). Default: ${DEFAULT-VALUE}.")
  double malformedFraction;

  @Option(names = "--duplicate-fraction", defaultValue = "0",
      description = "Extra identical re-sends, as a fraction of valid events (0 to 0.5). Default: ${DEFAULT-VALUE}.")
  double duplicateFraction;

  @Option(names = "--threads", description = "Writer threads. Default: the number of cores.")
  Integer threads;

  @Option(names = "--daily-growth", paramLabel = "G", defaultValue = "0",
      description = "Trend: day d's traffic is multiplied by (1+G)^d, G in [-0.5, 0.5]; the total stays days x --events-per-day. Default: ${DEFAULT-VALUE}.")
  double dailyGrowth;

  @Option(names = "--daily-noise", paramLabel = "SIGMA", defaultValue = "0",
      description = "Day-to-day noise: each day's traffic is multiplied by a log-normal factor with mean 1 and this sigma (0 to 1), fixed by the seed and the date. Default: ${DEFAULT-VALUE}.")
  double dailyNoise;

  @Option(names = "--anomalies", paramLabel = "N", defaultValue = "0",
      description = "Inject N labelled anomalies, cycling through spike, drop, ramp, runaway_loop, model_switch and cache_collapse, after the first 15 days, starting 10:00-15:00 UTC and at least 24 h apart (needs --days >= 22, more for many). Default: ${DEFAULT-VALUE}.")
  int anomalies;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "Where to write the anomaly labels (JSON lines). Default: anomaly_labels.jsonl beside the output folder (<out>/../anomaly_labels.jsonl).")
  Path labels;

  @Override
  public Integer call() throws IOException {
    if (labels != null && anomalies == 0) {
      throw new IllegalArgumentException("--labels " + labels + " needs --anomalies N with N > 0");
    }
    Path target = out != null ? out : Path.of(common.config().rawPath());
    GeneratorOptions options = new GeneratorOptions(
        start != null ? start : defaultStart(days), days, eventsPerDay, seed, malformedFraction,
        duplicateFraction, threads != null ? threads : Runtime.getRuntime().availableProcessors(),
        dailyGrowth, dailyNoise, anomalies);
    long began = System.nanoTime();
    GeneratorResult result = EventGenerator.generate(target, options,
        labels != null ? labels : EventGenerator.defaultLabelsFile(target));
    double seconds = (System.nanoTime() - began) / 1e9;
    System.out.printf("wrote %,d events (+%,d malformed, +%,d duplicate lines) in %,d files, %,d bytes, to %s in %.1f s%n",
        result.eventsWritten(), result.malformedLines(), result.duplicateLines(), result.filesWritten(),
        result.bytesWritten(), target.toAbsolutePath().normalize(), seconds);
    if (result.labelsFile() != null) {
      System.out.printf("injected %d anomalies (+%,d events added, %,d dropped); labels written to %s%n",
          result.anomalyLabels().size(), result.injectedEvents(), result.droppedEvents(), result.labelsFile());
    }
    return 0;
  }

  static LocalDate defaultStart(int days) {
    return LocalDate.now(ZoneOffset.UTC).minusDays(days);
  }
}
