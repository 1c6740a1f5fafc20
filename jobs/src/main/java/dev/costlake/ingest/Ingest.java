package dev.costlake.ingest;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import java.time.Clock;

/** Runs one recorded ingest: the job between its ops.pipeline_runs rows. */
public final class Ingest {
  private Ingest() {}

  /** Refuses to start (IllegalArgumentException) when the configured price catalog has errors. */
  public static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, Clock clock) {
    return run(lake, config, Pricing.checkedCatalog(config), clock, CrashPoint.NONE);
  }

  /** With a catalog already checked (Pricing.checkedCatalog), e.g. before Spark started. */
  public static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock) {
    return run(lake, config, catalog, clock, CrashPoint.NONE);
  }

  static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, Clock clock, CrashPoint crash) {
    return run(lake, config, Pricing.checkedCatalog(config), clock, crash);
  }

  private static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock,
      CrashPoint crash) {
    String runId = RunRecorder.newRunId();
    IngestJob job = new IngestJob(lake, config, catalog, runId, clock).withCrashPoint(crash);
    return RunRecorder.record(lake, config, "ingest", runId, clock, job::execute, job::totals);
  }
}
