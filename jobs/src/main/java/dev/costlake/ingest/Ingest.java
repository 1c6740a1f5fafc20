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
    return run(lake, config, clock, CrashPoint.NONE);
  }

  static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, Clock clock, CrashPoint crash) {
    PriceCatalog catalog = Pricing.checkedCatalog(config);
    String runId = RunRecorder.newRunId();
    IngestJob job = new IngestJob(lake, config, catalog, runId, clock).withCrashPoint(crash);
    return RunRecorder.record(lake, "ingest", runId, clock, job::execute, job::totals);
  }
}
