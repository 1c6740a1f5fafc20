package dev.costlake.testing;

import dev.costlake.anomaly.Grain;
import dev.costlake.cli.AnomaliesCommand;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.forecast.ForecastJob;
import dev.costlake.generate.AnomalyLabel;
import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import dev.costlake.generate.GeneratorResult;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.rollup.ScheduledJobs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Three weeks of generated traffic with labelled anomalies, taken through the jobs a deployment
 * runs: hourly (ingest, rollups), nightly (forecasts), anomaly detection over every day and over
 * every hour after the history the generator leaves clean, and a mid-month forecast. Built once per
 * test JVM and shared by the notebook tests and the anomaly end-to-end test (it costs minutes).
 */
public final class GeneratedMonth {
  public static final LocalDate FIRST_DAY = LocalDate.parse("2026-09-01");
  /** The fewest days the generator injects three anomalies into (15 of history, then the windows). */
  public static final int DAYS = 22;
  public static final LocalDate LAST_DAY = FIRST_DAY.plusDays(DAYS - 1L);
  /** A spike, a drop and a ramp: the first three kinds the generator cycles through. */
  public static final int ANOMALIES = 3;
  /** The day after the data: the jobs run as of its first hour. */
  public static final Instant AS_OF = LAST_DAY.plusDays(1).atTime(1, 0).toInstant(ZoneOffset.UTC);
  /** Events a day on average. */
  public static final int EVENTS_PER_DAY = 1000;
  public static final long SEED = 7;
  public static final String MIN_IMPACT_USD = "0.25";
  /** The first day after the generator's 15 days of clean history. */
  public static final LocalDate FIRST_ANOMALY_DAY = FIRST_DAY.plusDays(15);
  /** The day the mid-month forecast is made on. */
  public static final LocalDate FORECAST_DAY = FIRST_DAY.plusDays(10);

  private static GeneratedMonth built;

  private final CostlakeConfig config;
  private final List<AnomalyLabel> labels;

  private GeneratedMonth(CostlakeConfig config, List<AnomalyLabel> labels) {
    this.config = config;
    this.labels = labels;
  }

  /** The month, built on first use; its lakehouse is registered in the shared session again. */
  public static synchronized GeneratedMonth get() {
    if (built == null) {
      built = build();
    }
    return built;
  }

  public Lakehouse lake() {
    return TestSpark.lake(config);
  }

  public CostlakeConfig config() {
    return config;
  }

  public List<AnomalyLabel> labels() {
    return labels;
  }

  private static GeneratedMonth build() {
    try {
      Path root = Files.createTempDirectory("costlake-generated-month");
      Path raw = root.resolve("raw");
      // 1,000 events a day spend about $3 a weekday, so an hour's noise is tens of cents: flag
      // from a quarter (at $0.10, 60 of 104 flags were noise; docs/benchmarks.md).
      CostlakeConfig config = TestSpark.config(root.resolve("lake"), raw,
          Map.of("anomalies.min-impact-usd", MIN_IMPACT_USD));
      GeneratorResult generated = EventGenerator.generate(raw, new GeneratorOptions(FIRST_DAY, DAYS, EVENTS_PER_DAY,
          SEED, 0, 0, 2).withDailyGrowth(0.005).withDailyNoise(0.08).withAnomalies(ANOMALIES));
      Lakehouse lake = TestSpark.lake(config);
      PriceCatalog catalog = Pricing.checkedCatalog(config);
      Clock clock = Clock.fixed(AS_OF, ZoneOffset.UTC);
      succeeded(ScheduledJobs.hourly(lake, config, catalog, clock, AS_OF));
      succeeded(ScheduledJobs.nightly(lake, config, catalog, clock, LAST_DAY.plusDays(1), 1));
      // Every day and every hour after the clean history, where the generator may inject: what
      // `costlake anomalies detect --from --to --grain both` judges.
      succeeded(AnomaliesCommand.Detect.run(lake, config, catalog, clock, FIRST_ANOMALY_DAY, LAST_DAY,
          List.of(Grain.HOUR, Grain.DAY)));
      // A forecast from mid-month, so the forecast review has days with both a forecast and an actual.
      ForecastJob.run(lake, config, FORECAST_DAY);
      return new GeneratedMonth(config, generated.anomalyLabels());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void succeeded(RunRecorder.Outcome outcome) {
    if (!outcome.succeeded()) {
      throw new IllegalStateException(outcome.job() + " failed building the generated month: " + outcome.error());
    }
  }
}
