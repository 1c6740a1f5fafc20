package dev.costlake.ops;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Delta's optimistic concurrency for ops.pipeline_runs, which runs append to outside the lakehouse
 * lock (a run that could not take it records that it failed). Appends read nothing and never
 * conflict with each other; a concurrent change of the table's metadata or protocol would, and
 * trying again on the new snapshot is always right for a one-row append.
 */
final class Conflicts {
  private static final Logger LOG = LogManager.getLogger(Conflicts.class);
  static final int ATTEMPTS = 10;

  private Conflicts() {}

  /** Delta's optimistic concurrency said another transaction committed first. */
  static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }

  /** Runs write, again on a concurrent-modification conflict, up to ATTEMPTS times. */
  static void retry(String what, Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (RuntimeException e) {
        if (!isConflict(e) || attempt >= ATTEMPTS) {
          throw e;
        }
        LOG.info("{}: another run committed first ({}); trying again", what, e.getClass().getSimpleName());
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
