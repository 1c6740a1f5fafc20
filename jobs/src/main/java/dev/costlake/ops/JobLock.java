package dev.costlake.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import io.delta.tables.DeltaTable;
import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The lakehouse lock (ops.job_lock): held by every job that writes the lakehouse, so overlapping
 * runs (an hourly run still going when the nightly starts, a reprice during an hourly) take turns.
 *
 * <p>It lives in the lakehouse itself, so it works wherever Delta does (local disk, HDFS, GCS, ADLS;
 * S3 through S3ConditionalLogStore's conditional writes, docs/object-storage.md) with no server. Taking it is one MERGE: insert the row, or take it
 * over when it was released or is stale. Delta's optimistic concurrency lets one of two racing
 * MERGEs commit; the other fails with a concurrent-modification error, retries, and finds it held.
 * The holder renews it every ttl/4 from a daemon thread; a holder that died stops renewing, and
 * after ttl the lock is stale: the next job takes it over and marks the dead run failed. A holder
 * that was a process of this same machine and no longer exists is taken over at once.
 */
public final class JobLock implements AutoCloseable {
  public static final String LAKEHOUSE = "lakehouse";
  private static final Logger LOG = LogManager.getLogger(JobLock.class);
  private static final Duration POLL = Duration.ofSeconds(2);

  private final SparkSession spark;
  private final String path;
  private final String runId;
  /** Wall time, whatever --as-of a job runs at: expiry compares the clocks of different runs. */
  private final Clock clock = Clock.systemUTC();
  private final Duration ttl;
  private ScheduledExecutorService renewer;

  private JobLock(Lakehouse lake, String runId, Duration ttl) {
    this.spark = lake.spark();
    this.path = lake.path(Lakehouse.JOB_LOCK);
    this.runId = runId;
    this.ttl = ttl;
  }

  /**
   * Waits up to wait for the lock and takes it; throws IllegalStateException naming the holder
   * when it is still held after that. A stale lock's run is marked failed in ops.pipeline_runs.
   */
  public static JobLock acquire(Lakehouse lake, String runId, String job, Duration ttl, Duration wait) {
    JobLock lock = new JobLock(lake, runId, ttl);
    lock.take(job, lake, wait);
    return lock;
  }

  private void take(String job, Lakehouse lake, Duration wait) {
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      Row before = current();
      boolean taken;
      try {
        taken = attempt(job, before);
      } catch (RuntimeException e) {
        if (!Conflicts.isConflict(e)) {
          throw e;
        }
        // Another run committed to the lock table between our read and our commit: look again.
        LOG.info("lakehouse lock: lost a race ({}); retrying", e.getClass().getSimpleName());
        continue;
      }
      if (taken) {
        if (before != null && abandoned(before)) {
          abandon(lake, before, clock.instant());
        }
        startRenewing();
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        Row after = current();
        throw new IllegalStateException(String.format(
            "the lakehouse is locked by %s run %s (%s) since %s, renewed until %s; waited %s (jobs.lock-wait)."
                + " If that run is dead, its lock is taken over once it expires (jobs.lock-ttl)",
            after.getAs("job"), after.getAs("run_id"), after.getAs("holder"), after.getAs("acquired_at"),
            after.getAs("expires_at"), wait));
      }
      sleep(POLL);
    }
  }

  /**
   * One try at taking the lock, given before, the lock row as read (null: there was none). Takes it
   * when that row is still the table's and is free (released), stale (not renewed within ttl) or
   * held by a process of this machine that no longer exists (killed); returns whether this run now
   * holds it. Compare and swap: a holder that released or renewed since the read makes the try
   * fail, so a takeover replaced exactly before, and before says whether its run died holding it.
   */
  boolean attempt(String job, Row before) {
    Instant now = clock.instant();
    String takeOver = "lock.released_at is not null or lock.expires_at < " + SqlFile.timestampLiteral(now);
    if (before != null && before.getAs("released_at") == null && deadOnThisHost(before.getAs("holder"))) {
      takeOver += " or lock.run_id = " + SqlFile.literal(before.getAs("run_id"));
    }
    takeOver = before == null ? "false" : "(" + takeOver + ") and " + unchanged(before);
    DeltaTable.forPath(spark, path).as("lock")
        .merge(spark.sql("select " + SqlFile.literal(LAKEHOUSE) + " as lock_name").as("wanted"),
            "lock.lock_name = wanted.lock_name")
        .whenMatched(takeOver)
        .updateExpr(values(job, now))
        .whenNotMatched()
        .insertExpr(values(job, now))
        .execute();
    Row after = current();
    return after != null && runId.equals(after.getAs("run_id"));
  }

  /** A lock object that does not hold the lock yet, for tests that interleave attempt with others. */
  static JobLock unheld(Lakehouse lake, String runId, Duration ttl) {
    return new JobLock(lake, runId, ttl);
  }

  /** The lock row as it is now; null when no job has ever taken the lock. */
  Row current() {
    List<Row> rows = spark.read().format("delta").load(path)
        .where(col("lock_name").equalTo(LAKEHOUSE)).collectAsList();
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** The lock row this run writes when it takes the lock. */
  private Map<String, String> values(String job, Instant now) {
    return Map.of("lock_name", SqlFile.literal(LAKEHOUSE), "run_id", SqlFile.literal(runId), "job", SqlFile.literal(job),
        "holder", SqlFile.literal(holderName()),
        "acquired_at", SqlFile.timestampLiteral(now), "expires_at", SqlFile.timestampLiteral(now.plus(ttl)),
        "released_at", "cast(null as timestamp)");
  }

  /** The lock row is still the one read as before. */
  private static String unchanged(Row before) {
    Timestamp releasedAt = before.getAs("released_at");
    return "lock.run_id = " + SqlFile.literal(before.getAs("run_id"))
        + " and lock.expires_at = " + SqlFile.timestampLiteral(((Timestamp) before.getAs("expires_at")).toInstant())
        + " and lock.released_at <=> " + (releasedAt == null ? "cast(null as timestamp)"
            : SqlFile.timestampLiteral(releasedAt.toInstant()));
  }

  /** Whether the lock row a takeover replaced was held by a run that never released it: a dead one. */
  private boolean abandoned(Row replaced) {
    return replaced.getAs("released_at") == null && !runId.equals(replaced.getAs("run_id"));
  }

  /** The previous holder died holding the lock: its run will never end, so say how it ended. */
  private void abandon(Lakehouse lake, Row stale, Instant now) {
    String staleRun = stale.getAs("run_id");
    LOG.warn("lakehouse lock: took over the stale lock of {} run {} ({}), not renewed since before {}",
        stale.getAs("job"), staleRun, stale.getAs("holder"), stale.getAs("expires_at"));
    Conflicts.retry("ops.pipeline_runs", () -> DeltaTable.forPath(spark, lake.path(Lakehouse.PIPELINE_RUNS)).update(
        col("run_id").equalTo(staleRun).and(col("status").equalTo("running")),
        Map.of("status", lit("failed"), "ended_at", lit(Timestamp.from(now)),
            "error", lit("abandoned: the run stopped renewing the lakehouse lock (killed or its machine died);"
                + " run " + runId + " took the lock over"))));
  }


  private void startRenewing() {
    renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "costlake-lock-renewer");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, ttl.toMillis() / 4);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    try {
      DeltaTable.forPath(spark, path).update(
          col("lock_name").equalTo(LAKEHOUSE).and(col("run_id").equalTo(runId)).and(col("released_at").isNull()),
          Map.of("expires_at", lit(Timestamp.from(clock.instant().plus(ttl)))));
    } catch (RuntimeException e) {
      // The next renewal tries again; the lock only goes stale after a whole ttl without one.
      LOG.warn("lakehouse lock: renewal failed: {}", e.getMessage());
    }
  }

  /**
   * Throws if the lock is no longer this run's (it stopped renewing for a whole ttl, say a long GC
   * pause or a lost connection, and another run took it over): what it wrote may have raced another.
   */
  public void requireHeld() {
    Row now = current();
    if (now == null || !runId.equals(now.getAs("run_id"))) {
      throw new IllegalStateException("run " + runId + " lost the lakehouse lock while it ran (not renewed for "
          + ttl + "; taken over by " + (now == null ? "nobody" : now.getAs("run_id")) + "); re-run it");
    }
  }

  /** Releases the lock (if this run still holds it). */
  @Override
  public void close() {
    if (renewer != null) {
      renewer.shutdownNow();
      try {
        renewer.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Conflicts.retry("lakehouse lock", () -> DeltaTable.forPath(spark, path).update(
        col("lock_name").equalTo(LAKEHOUSE).and(col("run_id").equalTo(runId)).and(col("released_at").isNull()),
        Map.of("released_at", lit(Timestamp.from(clock.instant())))));
  }

  /** holder is host:pid of this machine, and that process is gone. */
  private static boolean deadOnThisHost(String holder) {
    int colon = holder.lastIndexOf(':');
    if (colon < 0 || !holder.substring(0, colon).equals(hostName())) {
      return false;
    }
    try {
      return ProcessHandle.of(Long.parseLong(holder.substring(colon + 1))).isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown-host";
    }
  }

  private static String holderName() {
    return hostName() + ":" + ProcessHandle.current().pid();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the lakehouse lock", e);
    }
  }
}
