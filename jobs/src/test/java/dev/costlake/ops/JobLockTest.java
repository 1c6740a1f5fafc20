package dev.costlake.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lakehouse lock on a real lakehouse folder, with runs that do nothing but hold it. */
class JobLockTest {
  private static final Instant DEAD_RUN_STARTED = Instant.parse("2026-11-20T10:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(5);

  @TempDir static Path tmp;
  private static Lakehouse shared;

  /** One lakehouse for every test (opening one is slow); each starts with no lock objects. */
  @BeforeAll
  static void openLakehouse() {
    CostlakeConfig config = TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of("jobs.lock-wait", "2m"));
    shared = TestSpark.lake(config);
  }

  @BeforeEach
  void noLock() throws IOException {
    Path folder = lockFolder(shared);
    if (Files.exists(folder)) {
      try (var files = Files.walk(folder)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The shared lakehouse; name only says which test uses it (run ids are distinct per test). */
  private static Lakehouse lake(String name) {
    return shared;
  }

  private static Row sql(Lakehouse lake, String query) {
    return lake.spark().sql(query).first();
  }

  private static Path lockFolder(Lakehouse lake) {
    return Path.of(URI.create(lake.lockPath()));
  }

  /**
   * The lock's next object, as another process (host:pid) writes it: held by runId (hourly, started
   * at DEAD_RUN_STARTED) until expiresAt, or released.
   */
  private static void lockObject(Lakehouse lake, boolean held, String runId, String host, long pid,
      Instant expiresAt) throws IOException {
    Path folder = Files.createDirectories(lockFolder(lake));
    long next;
    try (var names = Files.list(folder)) {
      next = names.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1) + 1;
    }
    String json = "{\"state\": \"" + (held ? "held" : "released")
        + "\", \"run_id\": \"" + runId + "\", \"job\": \"hourly\", \"host\": \"" + host + "\", \"pid\": " + pid
        + ", \"run_started_at\": \"2026-11-20T10:00:00Z\", \"taken_at\": \"2026-11-20T10:00:05Z\","
        + " \"renewed_at\": \"2026-11-20T10:00:05Z\", \"expires_at\": \"" + expiresAt + "\""
        + (held ? "" : ", \"released_at\": \"2026-11-20T10:00:30Z\"") + "}\n";
    // Created only if absent, as costlake creates them: a holder renewing meanwhile gets the number first.
    while (true) {
      try {
        Files.writeString(folder.resolve(String.format("%020d.json", next)), json, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        next++;
      }
    }
  }

  private static long runRows(Lakehouse lake, String runId) {
    return sql(lake, "select count(*) from ops.pipeline_runs where run_id = '" + runId + "'").getLong(0);
  }

  private static String thisHost() throws IOException {
    return java.net.InetAddress.getLocalHost().getHostName();
  }

  @Test
  void ofRunsRacingForAFreeLockExactlyOneTakesIt() throws Exception {
    Lakehouse lake = lake("race");
    int runs = 8;
    CyclicBarrier start = new CyclicBarrier(runs);
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    List<Future<Boolean>> tries = new ArrayList<>();
    List<JobLock> locks = new ArrayList<>();
    try {
      for (int i = 0; i < runs; i++) {
        JobLock lock = JobLock.unheld(lake, "run-" + i, TTL);
        locks.add(lock);
        // Every run read the lock as free (it has no object yet) and tries at the same moment.
        tries.add(pool.submit(() -> {
          start.await();
          return lock.attempt("hourly", DEAD_RUN_STARTED, Optional.empty());
        }));
      }
      List<String> winners = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        if (tries.get(i).get()) {
          winners.add("run-" + i);
        }
      }
      assertEquals(1, winners.size(), winners.toString());
      JobLock.State state = JobLock.current(lake).orElseThrow();
      assertEquals(winners.get(0), state.runId());
      assertTrue(state.held());
    } finally {
      pool.shutdownNow();
    }
    // The losers see it held, and the winner's next object (its release) is the lock's second.
    for (JobLock lock : locks) {
      lock.close();
    }
    try (var names = Files.list(lockFolder(lake))) {
      assertEquals(List.of("00000000000000000000.json", "00000000000000000001.json"),
          names.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList());
    }
    assertFalse(JobLock.current(lake).orElseThrow().held());
  }

  @Test
  void ofRunsRacingForAStaleLockOneTakesItOverAndRecordsTheDeadRunOnce() throws Exception {
    Lakehouse lake = lake("stale-race");
    lockObject(lake, true, "dead-race-run", "gone", 1, Instant.parse("2026-11-20T10:10:00Z"));
    int runs = 3;
    CyclicBarrier start = new CyclicBarrier(runs);
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    List<Future<JobLock>> acquiring = new ArrayList<>();
    try {
      for (int i = 0; i < runs; i++) {
        String runId = "run-" + i;
        acquiring.add(pool.submit(() -> {
          start.await();
          try {
            return JobLock.acquire(lake, runId, "nightly", Instant.now(), TTL, Duration.ofSeconds(1));
          } catch (IllegalStateException e) {
            assertTrue(e.getMessage().startsWith("the lakehouse is locked by nightly run run-"), e.getMessage());
            return null;
          }
        }));
      }
      List<JobLock> held = new ArrayList<>();
      for (Future<JobLock> f : acquiring) {
        if (f.get() != null) {
          held.add(f.get());
        }
      }
      assertEquals(1, held.size());
      held.get(0).close();
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1L, runRows(lake, "dead-race-run"));
  }

  @Test
  void aStaleLockIsTakenOverAndItsRunRecordedFailed() throws IOException {
    Lakehouse lake = lake("stale");
    lockObject(lake, true, "dead-run", "gone", 1, Instant.parse("2026-11-20T10:10:00Z"));

    try (JobLock held = JobLock.acquire(lake, "next-run", "nightly", Instant.now(), TTL, Duration.ofSeconds(10))) {
      held.requireHeld();
      JobLock.State state = JobLock.current(lake).orElseThrow();
      assertEquals("next-run nightly held", state.runId() + " " + state.job() + " " + (state.held() ? "held" : "released"));
    }
    Row dead = sql(lake, "select job, cast(started_at as string), status, error, ended_at is not null,"
        + " records_read is null from ops.pipeline_runs where run_id = 'dead-run'");
    assertEquals("hourly", dead.getString(0));
    assertEquals("2026-11-20 10:00:00", dead.getString(1));
    assertEquals("failed", dead.getString(2));
    assertTrue(dead.getString(3).startsWith("abandoned: the run stopped renewing the lakehouse lock"),
        dead.getString(3));
    assertTrue(dead.getBoolean(4));
    assertTrue(dead.getBoolean(5));
    JobLock.State after = JobLock.current(lake).orElseThrow();
    assertEquals("next-run released", after.runId() + " " + (after.held() ? "held" : "released"));
  }

  @Test
  void aLockHeldByAGoneProcessOfThisMachineIsTakenAtOnceAndALiveOnesIsNot() throws Exception {
    Lakehouse lake = lake("same-host");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    // Renewed a moment ago, for another hour: only the process being gone makes it free.
    lockObject(lake, true, "killed-run", thisHost(), gone.pid(), Instant.now().plus(Duration.ofHours(1)));

    try (JobLock held = JobLock.acquire(lake, "next-run", "nightly", Instant.now(), TTL, Duration.ofSeconds(1))) {
      held.requireHeld();
    }
    assertEquals("failed", sql(lake, "select status from ops.pipeline_runs where run_id = 'killed-run'").getString(0));

    // This process is alive: its lock is waited for, then the waiter fails naming it.
    lockObject(lake, true, "live-run", thisHost(), ProcessHandle.current().pid(), Instant.now().plus(Duration.ofHours(1)));
    IllegalStateException busy = assertThrows(IllegalStateException.class,
        () -> JobLock.acquire(lake, "late-run", "hourly", Instant.now(), TTL, Duration.ofSeconds(1)));
    assertTrue(busy.getMessage().startsWith("the lakehouse is locked by hourly run live-run (" + thisHost() + ":"
        + ProcessHandle.current().pid() + ") since 2026-11-20T10:00:05Z"), busy.getMessage());
    assertEquals(0L, runRows(lake, "live-run"));
  }

  @Test
  void aReleasedLockIsTakenWithoutSayingItsRunDied() throws IOException {
    Lakehouse lake = lake("released");
    lockObject(lake, false, "ended-run", "elsewhere", 1, Instant.now().plus(Duration.ofHours(1)));

    try (JobLock held = JobLock.acquire(lake, "next-run", "nightly", Instant.now(), TTL, Duration.ofSeconds(10))) {
      held.requireHeld();
    }
    assertEquals(0L, runRows(lake, "ended-run"));
  }

  @Test
  void aRunThatRecordedItsEndThenDiedHoldingTheLockIsNotRecordedAgain() throws IOException {
    Lakehouse lake = lake("recorded");
    new PipelineRunLog(lake).ended("done-run", "hourly", DEAD_RUN_STARTED, DEAD_RUN_STARTED.plusSeconds(60),
        RunCounts.ZERO, null);
    lockObject(lake, true, "done-run", "gone", 1, Instant.parse("2026-11-20T10:10:00Z"));

    try (JobLock held = JobLock.acquire(lake, "next-run", "nightly", Instant.now(), TTL, Duration.ofSeconds(10))) {
      held.requireHeld();
    }
    assertEquals("succeeded 1", sql(lake, "select max(status) || ' ' || count(*) from ops.pipeline_runs"
        + " where run_id = 'done-run'").getString(0));
  }

  @Test
  void theHolderRenewsItsLockAndARenewalNeverRevivesALostOne() throws Exception {
    Lakehouse lake = lake("renew");
    Duration ttl = Duration.ofMillis(800);
    JobLock held = JobLock.acquire(lake, "holder-run", "nightly", Instant.now(), ttl, Duration.ofSeconds(10));
    JobLock.State taken = JobLock.current(lake).orElseThrow();
    Thread.sleep(1_500);

    // Renewed every ttl/4: still held, long after the ttl it was taken with.
    JobLock.State renewed = JobLock.current(lake).orElseThrow();
    assertEquals("holder-run", renewed.runId());
    assertTrue(renewed.held());
    assertEquals(taken.takenAt(), renewed.takenAt());
    assertTrue(renewed.renewedAt().isAfter(taken.takenAt().plus(ttl)), renewed.toString());
    assertThrows(IllegalStateException.class,
        () -> JobLock.acquire(lake, "waiting-run", "hourly", Instant.now(), ttl, Duration.ofMillis(500)));
    held.requireHeld();

    // Another run takes it over (as if the holder had stalled for a whole ttl): the holder's next
    // renewal finds the number it would write taken and stops; the lock stays the other run's.
    lockObject(lake, true, "thief-run", "elsewhere", 7, Instant.now().plus(Duration.ofHours(1)));
    Thread.sleep(600);
    assertEquals("thief-run", JobLock.current(lake).orElseThrow().runId());
    JobLock.LockLostException lost = assertThrows(JobLock.LockLostException.class, held::requireHeld);
    assertTrue(lost.getMessage().startsWith("run holder-run lost the lakehouse lock while it ran"), lost.getMessage());
    held.close();
    JobLock.State after = JobLock.current(lake).orElseThrow();
    assertEquals("thief-run held", after.runId() + " " + (after.held() ? "held" : "released"));
  }

  @Test
  void releasingKeepsTheLastObjectsOnly() throws IOException {
    Lakehouse lake = lake("prune");
    for (int i = 0; i < 12; i++) {
      JobLock.acquire(lake, "run-" + i, "hourly", Instant.now(), TTL, Duration.ofSeconds(10)).close();
    }
    // 24 objects written (taken, released) x 12; the release keeps itself and the KEEP before it.
    try (var names = Files.list(lockFolder(lake))) {
      List<String> left = names.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
      assertEquals(JobLock.KEEP + 1, left.size());
      assertEquals("00000000000000000023.json", left.get(left.size() - 1));
    }
    assertEquals("run-11", JobLock.current(lake).orElseThrow().runId());
  }
}
