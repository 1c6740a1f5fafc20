package dev.costlake.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.JobLock;
import dev.costlake.ops.RunRecorder;
import dev.costlake.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `costlake serve`'s loop over a real lakehouse (the golden events), its clock a test's: the loop
 * sleeps by moving that clock, so hours pass in no time and only the runs themselves take any.
 */
class SchedulerTest {
  @TempDir Path tmp;

  /** A clock the test sets; the loop's sleeps move it forward. */
  private static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    /** The same moment seen from another zone, fixed there (the loop itself only reads instants). */
    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }
  }

  @Test
  void slotsAreTheConfiguredMinuteAndTimeInUtc() {
    ServeSchedule schedule = new ServeSchedule(5, LocalTime.of(2, 30));
    assertEquals(Instant.parse("2026-11-21T14:05:00Z"), schedule.hourlyAtOrAfter(Instant.parse("2026-11-21T13:50:00Z")));
    assertEquals(Instant.parse("2026-11-21T14:05:00Z"), schedule.hourlyAtOrAfter(Instant.parse("2026-11-21T14:05:00Z")));
    assertEquals(Instant.parse("2026-11-21T15:05:00Z"), schedule.hourlyAfter(Instant.parse("2026-11-21T14:05:00Z")));
    assertEquals(Instant.parse("2026-11-22T00:05:00Z"), schedule.hourlyAfter(Instant.parse("2026-11-21T23:30:00Z")));
    assertEquals(Instant.parse("2026-11-22T02:30:00Z"), schedule.nightlyAtOrAfter(Instant.parse("2026-11-21T02:30:01Z")));
    assertEquals(Instant.parse("2026-11-21T02:30:00Z"), schedule.nightlyAtOrAfter(Instant.parse("2026-11-21T00:00:00Z")));
    assertEquals(Instant.parse("2026-11-22T02:30:00Z"), schedule.nightlyAfter(Instant.parse("2026-11-21T02:30:00Z")));
  }

  @Test
  void servesOnScheduleSurvivesAFailedRunCatchesUpOnceAndStopsAfterTheRunInProgress() throws Exception {
    Path raw = Files.createDirectories(tmp.resolve("raw/dt=2026-11-09"));
    Files.copy(Path.of("src/test/resources/golden/events.jsonl"), raw.resolve("events.jsonl"));
    // A lock wait shorter than the lock's poll: a run that finds the lock held fails at its first look.
    CostlakeConfig config = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of(
        "serve.hourly-minute", "5", "serve.nightly-time", "23:30", "jobs.lock-wait", "1s"));
    Lakehouse lake = TestSpark.lake(config);
    TestClock clock = new TestClock(Instant.parse("2026-11-21T13:50:00Z"));
    List<String> lines = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    Scheduler[] loop = new Scheduler[1];
    ServeJobs serve = new ServeJobs(lake, config, clock);
    Scheduler.Jobs jobs = new Scheduler.Jobs() {
      @Override
      public RunRecorder.Outcome hourly(Instant asOf) {
        runs.add("hourly " + asOf);
        if (runs.size() == 2) {
          // A cron hourly holds the lakehouse lock when serve's second run starts: serve's run waits
          // jobs.lock-wait for it, then fails.
          try (JobLock cron = JobLock.acquire(lake, "cron-run", "hourly", java.time.Instant.now(), Duration.ofMinutes(10), Duration.ofSeconds(1))) {
            return serve.hourly(asOf);
          }
        }
        if (runs.size() == 3) {
          // SIGTERM arrives as the catch-up run starts: it still runs to its end.
          loop[0].stop();
        }
        return serve.hourly(asOf);
      }

      @Override
      public RunRecorder.Outcome nightly(LocalDate asOf, int rebuildDays) {
        throw new AssertionError("the nightly is not due before 23:30");
      }
    };
    List<Duration> sleeps = new ArrayList<>();
    loop[0] = new Scheduler(ServeSchedule.from(config), clock, jobs, lines::add, duration -> {
      sleeps.add(duration);
      // After the 15:05 run the machine sleeps until 18:40, missing the slots 16:05, 17:05 and 18:05.
      clock.now = clock.now.equals(Instant.parse("2026-11-21T15:05:00Z"))
          ? Instant.parse("2026-11-21T18:40:00Z") : clock.now.plus(duration);
    });

    loop[0].run();

    assertEquals(List.of(
        "hourly 2026-11-21T14:05:00Z",
        "hourly 2026-11-21T15:05:00Z",
        "hourly 2026-11-21T18:40:00Z"), runs);
    // 15 one-minute waits to the first slot, then 60 to the second; the pause is one more.
    assertEquals(15 + 60 + 1, sleeps.size());
    assertTrue(sleeps.stream().allMatch(d -> d.equals(Scheduler.LONGEST_SLEEP)), sleeps.toString());
    assertEquals(Instant.parse("2026-11-21T19:05:00Z"), loop[0].nextHourly());
    assertEquals(Instant.parse("2026-11-21T23:30:00Z"), loop[0].nextNightly());

    assertEquals(5, lines.size(), String.join("\n", lines));
    assertEquals("serve: hourly at minute 5 of every hour, nightly at 23:30 UTC; first hourly 2026-11-21T14:05:00Z,"
        + " first nightly 2026-11-21T23:30:00Z", lines.get(0));
    assertTrue(lines.get(1).matches("serve: hourly  as of 2026-11-21T14:05:00Z +[0-9.]+ s  17 events  succeeded \\(run .*\\)"),
        lines.get(1));
    assertTrue(lines.get(2).matches("serve: hourly  as of 2026-11-21T15:05:00Z +[0-9.]+ s  0 events  failed \\(run .*\\):"
        + " the lakehouse is locked by hourly run cron-run .*"), lines.get(2));
    assertTrue(lines.get(3).matches("serve: hourly  as of 2026-11-21T18:40:00Z +[0-9.]+ s  0 events  succeeded .*"),
        lines.get(3));
    assertEquals("serve: stopped", lines.get(4));

    // Every run is in ops.pipeline_runs as cron's runs are, the failed one with its reason.
    List<Row> recorded = lake.spark().sql("select job, status, records_accepted, error from ops.pipeline_runs"
        + " order by started_at, job").collectAsList();
    assertEquals(3, recorded.size(), recorded.toString());
    assertEquals(List.of("hourly succeeded 17", "hourly failed 0", "hourly succeeded 0"),
        recorded.stream().map(r -> r.getString(0) + " " + r.getString(1) + " " + r.getLong(2)).toList());
    assertTrue(recorded.get(1).getString(3).startsWith("the lakehouse is locked by hourly run cron-run"),
        recorded.get(1).getString(3));
    // The books the first run built, untouched by the failed one.
    assertEquals(17L, lake.spark().sql("select sum(requests) from gold.cost_daily").first().getLong(0));

    // The lock is free: the next run takes it at once.
    try (JobLock next = JobLock.acquire(lake, "after-serve", "hourly", java.time.Instant.now(), Duration.ofMinutes(10), Duration.ofSeconds(1))) {
      next.requireHeld();
    }
  }

  /**
   * Which job runs when, with what as-of and how many closed days the nightly rebuilds: the loop's
   * own arithmetic, so its jobs here only record what they were asked (the test above runs real ones).
   */
  @Test
  void theHourlyGoesFirstOnATieAndANightlyAfterMissedNightsRebuildsEachOfThem() {
    TestClock clock = new TestClock(Instant.parse("2026-11-21T01:50:00Z"));
    List<String> runs = new ArrayList<>();
    Scheduler[] loop = new Scheduler[1];
    Scheduler.Jobs recording = new Scheduler.Jobs() {
      @Override
      public RunRecorder.Outcome hourly(Instant asOf) {
        runs.add("hourly " + asOf);
        return succeeded("hourly", asOf);
      }

      @Override
      public RunRecorder.Outcome nightly(LocalDate asOf, int rebuildDays) {
        runs.add("nightly " + asOf + " rebuilding " + rebuildDays);
        if (runs.size() == 5) {
          loop[0].stop();
        }
        return succeeded("nightly", clock.instant());
      }

      private RunRecorder.Outcome succeeded(String job, Instant at) {
        return new RunRecorder.Outcome("run-" + runs.size(), job, at, at, dev.costlake.ops.RunCounts.ZERO, null);
      }
    };
    loop[0] = new Scheduler(new ServeSchedule(5, LocalTime.of(2, 5)), clock, recording, line -> {}, duration -> {
      // Down from just after the 03:05 run until 10:00 three days later.
      clock.now = clock.now.equals(Instant.parse("2026-11-21T03:05:00Z"))
          ? Instant.parse("2026-11-24T10:00:00Z") : clock.now.plus(duration);
    });

    loop[0].run();

    assertEquals(List.of(
        "hourly 2026-11-21T02:05:00Z",
        "nightly 2026-11-21 rebuilding 1",
        "hourly 2026-11-21T03:05:00Z",
        "hourly 2026-11-24T10:00:00Z",
        "nightly 2026-11-24 rebuilding 3"), runs);
    assertEquals(Instant.parse("2026-11-24T10:05:00Z"), loop[0].nextHourly());
    assertEquals(Instant.parse("2026-11-25T02:05:00Z"), loop[0].nextNightly());
  }

  @Test
  void aStopWhileWaitingEndsTheLoopWithoutARun() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    Scheduler.Jobs none = new Scheduler.Jobs() {
      @Override
      public RunRecorder.Outcome hourly(Instant asOf) {
        throw new AssertionError("no run is due");
      }

      @Override
      public RunRecorder.Outcome nightly(LocalDate asOf, int rebuildDays) {
        throw new AssertionError("no run is due");
      }
    };
    // Real time: the first slots are half an hour and half a day away, so the loop is waiting when the stop comes.
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(ZoneOffset.UTC);
    ServeSchedule schedule = new ServeSchedule((now.getMinute() + 30) % 60, LocalTime.of((now.getHour() + 12) % 24, 0));
    Scheduler loop = new Scheduler(schedule, Clock.systemUTC(), none, lines::add);
    Thread thread = new Thread(loop::run);
    thread.start();
    while (lines.isEmpty()) {
      Thread.sleep(10);
    }
    loop.stop();
    assertTrue(loop.awaitStopped(Duration.ofSeconds(10)), "the loop did not stop");
    thread.join();
    assertEquals("serve: stopped", lines.get(lines.size() - 1));
  }
}
