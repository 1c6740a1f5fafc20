package dev.costlake.ops;

import dev.costlake.cli.Errors;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/** Runs a job body under the lakehouse lock, timing it, and records it in ops.pipeline_runs. */
public final class RunRecorder {
  private RunRecorder() {}

  /** What a job does; returns its books. */
  @FunctionalInterface
  public interface Body {
    RunCounts run();
  }

  /** The outcome of one recorded run. */
  public record Outcome(
      String runId, String job, Instant startedAt, Instant endedAt, RunCounts counts, Throwable error) {
    public boolean succeeded() {
      return error == null;
    }

    public Duration duration() {
      return Duration.between(startedAt, endedAt);
    }
  }

  public static String newRunId() {
    return UUID.randomUUID().toString();
  }

  /**
   * Runs body while holding the lakehouse lock, waiting for it up to jobs.lock-wait, and appends the
   * run's one ops.pipeline_runs row before releasing the lock (so the next run's watermark sees it).
   * A failure is recorded with its reason and returned, not thrown, so the caller can print the
   * summary and exit non-zero; partial counts say what committed before it.
   */
  public static Outcome record(Lakehouse lake, CostlakeConfig config, String job, String runId, Clock clock,
      Body body, Supplier<RunCounts> partial) {
    PipelineRunLog log = new PipelineRunLog(lake);
    Instant startedAt = clock.instant();
    RunCounts counts;
    Throwable error = null;
    JobLock held = null;
    try {
      held = JobLock.acquire(lake, runId, job, startedAt, config.lockTtl(), config.lockWait());
      counts = body.run();
      held.requireHeld();
    } catch (RuntimeException | Error e) {
      error = e;
      counts = partial.get();
    }
    Instant endedAt = clock.instant();
    try {
      // The run that took a lost lock over may have recorded this run already (as abandoned).
      if (!(error instanceof JobLock.LockLostException) || !log.recorded(runId)) {
        log.ended(runId, job, startedAt, endedAt, counts, error == null ? null : Errors.describe(error));
      }
    } finally {
      if (held != null) {
        held.close();
      }
    }
    return new Outcome(runId, job, startedAt, endedAt, counts, error);
  }
}
