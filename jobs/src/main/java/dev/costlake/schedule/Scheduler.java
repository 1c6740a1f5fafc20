package dev.costlake.schedule;

import dev.costlake.cli.Errors;
import dev.costlake.ops.RunRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The loop of `costlake serve`: runs the hourly and the nightly job when its clock says they are due,
 * one at a time, until asked to stop, and reports one line per run.
 *
 * <p>Each run is a recorded run holding the lakehouse lock (RunRecorder, JobLock), like a run cron
 * starts, so the two never write at once: the later one waits for the lock (jobs.lock-wait). A run
 * that fails is recorded failed in ops.pipeline_runs (the pipeline-run alert rule sees it) and the
 * loop goes on to the next slot. After a pause (a machine that slept, a run longer than an hour) the
 * slots missed meanwhile make one run, not one each: an hourly run ingests whatever is new and
 * rebuilds every hour it touches, however many hours that is, and the nightly rebuilds every closed
 * day since the last nightly this loop ran. A stop request lets the run in progress finish (and
 * release the lock), then ends the loop.
 */
public final class Scheduler {
  /** The jobs the loop runs (ServeJobs: ScheduledJobs' hourly and nightly, as `costlake hourly` and `nightly` run them). */
  public interface Jobs {
    RunRecorder.Outcome hourly(Instant asOf);

    RunRecorder.Outcome nightly(LocalDate asOf, int rebuildDays);
  }

  /** How the loop waits between slots: serve blocks until the time is up or a stop is requested. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * The longest the loop waits before it reads its clock again, so that a wall clock that jumped (a
   * machine that woke from sleep, an NTP step) is noticed within it: timed waits follow a monotonic
   * clock, which stands still while the machine sleeps.
   */
  public static final Duration LONGEST_SLEEP = Duration.ofMinutes(1);

  /** The most closed days one catch-up nightly rebuilds (older days were closed by earlier nightlies or backfill). */
  public static final int MAX_NIGHTLY_CATCH_UP_DAYS = 7;

  private final ServeSchedule schedule;
  private final Clock clock;
  private final Jobs jobs;
  private final Consumer<String> lines;
  private final Sleeper sleeper;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Instant nextHourly;
  private Instant nextNightly;
  /** The run date of the last nightly that succeeded in this loop; null before the first. */
  private LocalDate lastNightly;

  /** A loop that waits for real time to pass (or a stop request). */
  public Scheduler(ServeSchedule schedule, Clock clock, Jobs jobs, Consumer<String> lines) {
    this.schedule = schedule;
    this.clock = clock;
    this.jobs = jobs;
    this.lines = lines;
    this.sleeper = duration -> stopRequested.await(duration.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A loop that waits with sleeper: a test's, which moves its clock instead of sleeping. */
  public Scheduler(ServeSchedule schedule, Clock clock, Jobs jobs, Consumer<String> lines, Sleeper sleeper) {
    this.schedule = schedule;
    this.clock = clock;
    this.jobs = jobs;
    this.lines = lines;
    this.sleeper = sleeper;
  }

  /**
   * Runs each job at its slots until stop() is called: the first hourly at the first hourly slot
   * at or after now, the first nightly likewise. Returns once stopped, after the run in progress.
   */
  public void run() {
    try {
      Instant start = clock.instant();
      nextHourly = schedule.hourlyAtOrAfter(start);
      nextNightly = schedule.nightlyAtOrAfter(start);
      lines.accept(String.format("serve: hourly at minute %d of every hour, nightly at %s UTC; first hourly %s,"
          + " first nightly %s", schedule.hourlyMinute(), schedule.nightlyTime(), nextHourly, nextNightly));
      while (!stopRequested()) {
        Instant now = clock.instant();
        boolean hourlyDue = !nextHourly.isAfter(now);
        boolean nightlyDue = !nextNightly.isAfter(now);
        // Both due (nightly-time on the hourly minute, or after a pause): the earlier slot first,
        // the hourly on a tie, so the hour before it is judged as every other hour is.
        if (hourlyDue && !(nightlyDue && nextNightly.isBefore(nextHourly))) {
          runHourly(now);
        } else if (nightlyDue) {
          runNightly(now);
        } else {
          Instant next = nextHourly.isBefore(nextNightly) ? nextHourly : nextNightly;
          Duration wait = Duration.between(now, next);
          sleeper.sleep(wait.compareTo(LONGEST_SLEEP) < 0 ? wait : LONGEST_SLEEP);
        }
      }
      lines.accept("serve: stopped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lines.accept("serve: interrupted; stopped");
    } finally {
      stopped.countDown();
    }
  }

  /** Asks the loop to stop: it ends after the run in progress, or at once when waiting. */
  public void stop() {
    stopRequested.countDown();
  }

  public boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  /** Waits up to timeout for run() to return; whether it did. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next hourly slot the loop will run at (null before run() starts). */
  public Instant nextHourly() {
    return nextHourly;
  }

  /** The next nightly slot the loop will run at (null before run() starts). */
  public Instant nextNightly() {
    return nextNightly;
  }

  private void runHourly(Instant now) {
    Instant asOf = now.truncatedTo(ChronoUnit.SECONDS);
    long began = System.nanoTime();
    RunRecorder.Outcome outcome = null;
    RuntimeException thrown = null;
    try {
      outcome = jobs.hourly(asOf);
    } catch (RuntimeException e) {
      thrown = e;
    }
    report("hourly", asOf.toString(), began, outcome, thrown);
    // The next slot after this run's start: slots missed while it ran (or while the loop was
    // paused before it) make one more run at most.
    nextHourly = schedule.hourlyAfter(now);
  }

  private void runNightly(Instant now) {
    LocalDate asOf = LocalDate.ofInstant(now, ZoneOffset.UTC);
    // Every day closed since the last nightly of this loop: one after a normal night, more after a pause.
    int rebuildDays = lastNightly == null ? 1
        : (int) Math.max(1, Math.min(MAX_NIGHTLY_CATCH_UP_DAYS, ChronoUnit.DAYS.between(lastNightly, asOf)));
    long began = System.nanoTime();
    RunRecorder.Outcome outcome = null;
    RuntimeException thrown = null;
    try {
      outcome = jobs.nightly(asOf, rebuildDays);
    } catch (RuntimeException e) {
      thrown = e;
    }
    report("nightly", asOf + " (" + rebuildDays + (rebuildDays == 1 ? " closed day" : " closed days") + ")",
        began, outcome, thrown);
    if (outcome != null && outcome.succeeded()) {
      lastNightly = asOf;
    }
    nextNightly = schedule.nightlyAfter(now);
  }

  /** The run's line: job, as-of, wall time, events accepted, status (and why, when it failed). */
  private void report(String job, String asOf, long beganNanos, RunRecorder.Outcome outcome, RuntimeException thrown) {
    double seconds = (System.nanoTime() - beganNanos) / 1e9;
    String status;
    long events = 0;
    if (outcome == null) {
      status = "failed before it was recorded: " + Errors.describe(thrown);
    } else {
      events = outcome.counts().recordsAccepted();
      status = outcome.succeeded() ? "succeeded (run " + outcome.runId() + ")"
          : "failed (run " + outcome.runId() + "): " + Errors.describe(outcome.error());
    }
    lines.accept(String.format("serve: %-7s as of %s  %7.1f s  %,d events  %s", job, asOf, seconds, events,
        status.replaceAll("\\s*\\R\\s*", " ")));
  }
}
