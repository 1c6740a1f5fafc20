package dev.costlake.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TestSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lakehouse lock on real Delta tables, with runs that do nothing but hold it. */
class JobLockTest {
  @TempDir Path tmp;

  private Lakehouse lake(String name) {
    CostlakeConfig config = TestSpark.config(tmp.resolve(name + "-lake"), tmp.resolve(name + "-raw"),
        Map.of("jobs.lock-wait", "2m"));
    return TestSpark.lake(config);
  }

  private static Row sql(Lakehouse lake, String query) {
    return lake.spark().sql(query).first();
  }

  /**
   * A run still 'running' in ops.pipeline_runs that holds (or held) the lock: its holder, and the
   * lock row's expires_at and released_at as SQL expressions.
   */
  private static void lockedBy(Lakehouse lake, String runId, String holder, String expiresAt, String releasedAt) {
    lake.spark().sql("insert into ops.pipeline_runs (run_id, job, started_at, status)"
        + " values ('" + runId + "', 'hourly', timestamp'2026-11-20 10:00:00', 'running')");
    lake.spark().sql("insert into ops.job_lock values ('lakehouse', '" + runId + "', 'hourly', '" + holder + "',"
        + " timestamp'2026-11-20 10:00:00', " + expiresAt + ", " + releasedAt + ")");
  }

  /** next-run takes the lock as nightly, checks it holds it, and releases it. */
  private static void takeAndRelease(Lakehouse lake) {
    try (JobLock held = JobLock.acquire(lake, "next-run", "nightly", Duration.ofMinutes(5), Duration.ofSeconds(10))) {
      held.requireHeld();
      assertEquals("next-run nightly", sql(lake, "select run_id || ' ' || job from ops.job_lock").getString(0));
    }
  }

  @Test
  void aStaleLockIsTakenOverAndItsRunMarkedFailed() {
    Lakehouse lake = lake("stale");
    lockedBy(lake, "dead-run", "gone:1", "timestamp'2026-11-20 10:10:00'", "null");

    takeAndRelease(lake);
    Row dead = sql(lake, "select status, error from ops.pipeline_runs where run_id = 'dead-run'");
    assertEquals("failed", dead.getString(0));
    assertTrue(dead.getString(1).startsWith("abandoned: the run stopped renewing the lakehouse lock"),
        dead.getString(1));
    assertEquals(1L, sql(lake, "select count(released_at) from ops.job_lock where run_id = 'next-run'").getLong(0));
  }

  @Test
  void aReleasedLockIsTakenWithoutSayingItsRunDied() {
    Lakehouse lake = lake("released");
    // The run released the lock and has yet to write how it ended.
    lockedBy(lake, "ending-run", "elsewhere:1", "current_timestamp() + interval 1 hour", "current_timestamp()");

    takeAndRelease(lake);
    Row ending = sql(lake, "select status, error from ops.pipeline_runs where run_id = 'ending-run'");
    assertEquals("running", ending.getString(0));
    assertTrue(ending.isNullAt(1));
  }

  /**
   * The holder releases the lock between another run's read of it and that run's try: the try must
   * not take over the row it read (a live holder's), or it would record that holder's run as dead.
   */
  @Test
  void aLockReleasedAfterItWasReadIsLookedAtAgainNotTakenOverAsDead() {
    Lakehouse lake = lake("interleaved");
    lockedBy(lake, "live-run", "elsewhere:1", "current_timestamp() + interval 1 hour", "null");
    JobLock next = JobLock.unheld(lake, "next-run", Duration.ofMinutes(5));
    Row read = next.current();

    lake.spark().sql("update ops.job_lock set released_at = current_timestamp()");
    assertFalse(next.attempt("hourly", read), "the lock row changed since it was read");
    assertEquals("live-run", next.current().getAs("run_id"));

    assertTrue(next.attempt("hourly", next.current()));
    assertEquals("running", sql(lake, "select status from ops.pipeline_runs where run_id = 'live-run'").getString(0));
  }
}
