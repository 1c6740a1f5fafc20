package dev.costlake.testing;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import dev.costlake.generate.GeneratorResult;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.rollup.ScheduledJobs;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;

/**
 * Two days of generated events (malformed lines and duplicates included) and the lakehouse that
 * hourly then nightly make of them on local Spark in local folders: the run the object-storage test
 * (S3PipelineTest) and the cluster test (StandaloneClusterIT) must reproduce table for table.
 *
 * <p>Built once per build and kept in target/pipeline-reference: in `mvn verify` the unit tests build
 * it and the cluster test, in the same build (the same costlake.build.id, which the POM sets to the
 * build's start time), finds it instead of running the local pipeline a second time. Anything else
 * (another build, a run from an IDE without the property, a half-written reference) builds it afresh.
 */
public final class PipelineReference {
  public static final LocalDate FIRST_DAY = LocalDate.parse("2026-11-01");
  public static final int DAYS = 2;
  public static final int EVENTS_PER_DAY = 300;
  /** The day after the events, 01:00: hourly's last complete hour is midnight, nightly's run date that day. */
  public static final Instant AS_OF = FIRST_DAY.plusDays(DAYS).atTime(1, 0).toInstant(ZoneOffset.UTC);
  public static final LocalDate NIGHTLY_AS_OF = LocalDate.ofInstant(AS_OF, ZoneOffset.UTC);
  public static final Clock CLOCK = Clock.fixed(AS_OF, ZoneOffset.UTC);
  /** Nightly's --rebuild-days, its default. */
  public static final int REBUILD_DAYS = 1;

  /** Where the events are (read by every run), the local lakehouse, and what the generator wrote. */
  public record Built(Path raw, Path lake, long eventsWritten, long malformedLines, long duplicateLines) {
    /** The suite's config for the reference's raw folder and the given lakehouse. */
    public CostlakeConfig config(Path lakeHouse, Map<String, String> more) {
      return TestSpark.config(lakeHouse, raw, more);
    }
  }

  private static final Path DIR = Path.of("target", "pipeline-reference").toAbsolutePath();
  private static final Path MARKER = DIR.resolve("built.properties");
  private static Built built;

  private PipelineReference() {}

  /** The reference of this build: found on disk, or generated and run now. */
  public static synchronized Built get() {
    if (built == null) {
      built = found();
      if (built == null) {
        built = build();
      }
    }
    return built;
  }

  private static Built found() {
    String buildId = System.getProperty("costlake.build.id");
    if (buildId == null || !Files.exists(MARKER)) {
      return null;
    }
    Properties marker = new Properties();
    try (Reader in = Files.newBufferedReader(MARKER)) {
      marker.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!buildId.equals(marker.getProperty("build.id"))) {
      return null;
    }
    return new Built(DIR.resolve("raw"), DIR.resolve("lake"), Long.parseLong(marker.getProperty("events")),
        Long.parseLong(marker.getProperty("malformed")), Long.parseLong(marker.getProperty("duplicates")));
  }

  private static Built build() {
    try {
      Folders.deleteRecursively(DIR);
      GeneratorResult generated = EventGenerator.generate(DIR.resolve("raw"),
          new GeneratorOptions(FIRST_DAY, DAYS, EVENTS_PER_DAY, 9, 0.02, 0.02, 1));
      Built result = new Built(DIR.resolve("raw"), DIR.resolve("lake"), generated.eventsWritten(),
          generated.malformedLines(), generated.duplicateLines());
      CostlakeConfig config = result.config(result.lake(), Map.of());
      Lakehouse lake = TestSpark.lake(config);
      PriceCatalog catalog = Pricing.checkedCatalog(config);
      succeeded(ScheduledJobs.hourly(lake, config, catalog, CLOCK, AS_OF));
      succeeded(ScheduledJobs.nightly(lake, config, catalog, CLOCK, NIGHTLY_AS_OF, REBUILD_DAYS));
      // Last, so that a reference whose runs did not finish is never found.
      Properties marker = new Properties();
      marker.setProperty("build.id", System.getProperty("costlake.build.id", "none"));
      marker.setProperty("events", String.valueOf(result.eventsWritten()));
      marker.setProperty("malformed", String.valueOf(result.malformedLines()));
      marker.setProperty("duplicates", String.valueOf(result.duplicateLines()));
      try (Writer out = Files.newBufferedWriter(MARKER)) {
        marker.store(out, "the reference pipeline run of this build (PipelineReference)");
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void succeeded(RunRecorder.Outcome outcome) {
    if (!outcome.succeeded()) {
      throw new AssertionError("the reference " + outcome.job() + " run failed", outcome.error());
    }
  }
}
