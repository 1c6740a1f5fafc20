package dev.costlake.ingest;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import java.time.Clock;

/** Runs one recorded ingest: the job between its ops.pipeline_runs rows. */
public final class Ingest {
  private Ingest() {}

  public static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, Clock clock) {
    return run(lake, config, clock, CrashPoint.NONE);
  }

  static RunRecorder.Outcome run(Lakehouse lake, CostlakeConfig config, Clock clock, CrashPoint crash) {
    String runId = RunRecorder.newRunId();
    IngestJob job = new IngestJob(lake, config, runId, clock).withCrashPoint(crash);
    return RunRecorder.record(lake, "ingest", runId, clock, job::execute, job::totals);
  }
}
