package dev.costlake.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.PutIfAbsent;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The lakehouse lock: held by every job that writes the lakehouse, so overlapping runs (an hourly
 * run still going when the nightly starts, a reprice during an hourly) take turns.
 *
 * <p>It lives in the lakehouse itself, so it works wherever the lakehouse does, with no server and no
 * Delta commit: a folder, lake.path/_costlake/lock, of numbered JSON objects, each the lock's state
 * after one change, held by a run (naming its run id, job, host, pid, when it started, took and last
 * renewed the lock) or released. Taking, renewing, taking over and releasing each create the next
 * number, only if it does not exist yet ({@link PutIfAbsent}: a local hard link, S3's If-None-Match),
 * the trick a Delta log plays for its commits: of two runs changing the lock from the same state,
 * exactly one succeeds, and the lock's state is its highest number. A single object rewritten in
 * place could not be: neither a local disk nor S3A rewrites or deletes a file only if it is still the
 * one read, so a renewal racing a takeover could leave two runs each believing it holds the lock.
 *
 * <p>The holder renews every ttl/4 from a daemon thread; a holder that died stops renewing, and after
 * ttl its lock is stale: the next run takes it over and records the dead run as failed in
 * ops.pipeline_runs (with the job and start time its lock object names). A holder that was a process
 * of this same machine and no longer exists is taken over at once.
 */
public final class JobLock implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(JobLock.class);
  private static final Duration POLL = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("\\d{20}\\.json");
  /** Objects kept behind the latest when a run releases the lock (for people reading its history). */
  static final int KEEP = 20;

  /** The lock's state after one change: who holds it (or last held it, when released). */
  public record State(boolean held, String runId, String job, String host, long pid, Instant runStartedAt,
      Instant takenAt, Instant renewedAt, Instant expiresAt, Instant releasedAt) {
    /** host:pid, as the error messages print the holder. */
    public String holder() {
      return host + ":" + pid;
    }

    String toJson() {
      ObjectNode node = JSON.createObjectNode();
      node.put("state", held ? "held" : "released");
      node.put("run_id", runId);
      node.put("job", job);
      node.put("host", host);
      node.put("pid", pid);
      node.put("run_started_at", runStartedAt.toString());
      node.put("taken_at", takenAt.toString());
      node.put("renewed_at", renewedAt.toString());
      node.put("expires_at", expiresAt.toString());
      if (releasedAt != null) {
        node.put("released_at", releasedAt.toString());
      }
      return node.toString();
    }

    static State fromJson(String text) throws IOException {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      String state = text(node, "state");
      if (!state.equals("held") && !state.equals("released")) {
        throw new IOException("state is '" + state + "', not held or released");
      }
      return new State(state.equals("held"), text(node, "run_id"), text(node, "job"), text(node, "host"),
          node.path("pid").asLong(-1), instant(node, "run_started_at"), instant(node, "taken_at"),
          instant(node, "renewed_at"), instant(node, "expires_at"),
          node.hasNonNull("released_at") ? instant(node, "released_at") : null);
    }

    private static String text(JsonNode node, String field) throws IOException {
      if (!node.hasNonNull(field)) {
        throw new IOException("no " + field);
      }
      return node.get(field).asText();
    }

    private static Instant instant(JsonNode node, String field) throws IOException {
      try {
        return Instant.parse(text(node, field));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IOException(field + " is not an ISO-8601 instant: " + node.get(field).asText(), e);
      }
    }
  }

  /** One of the lock's objects: its number and the state it records. */
  record Entry(long number, State state) {}

  private final Lakehouse lake;
  private final Objects objects;
  private final String runId;
  /** Wall time, whatever --as-of a job runs at: expiry compares the clocks of different runs. */
  private final Clock clock = Clock.systemUTC();
  private final Duration ttl;
  /** This run's latest object while it holds the lock; null before it takes it. */
  private Entry mine;
  private boolean lost;
  private ScheduledExecutorService renewer;

  private JobLock(Lakehouse lake, String runId, Duration ttl) {
    this.lake = lake;
    this.objects = new Objects(lake.lockPath(), lake.spark().sparkContext().hadoopConfiguration());
    this.runId = runId;
    this.ttl = ttl;
  }

  /**
   * Waits up to wait for the lock and takes it for run runId of job, which started at runStartedAt;
   * throws IllegalStateException naming the holder when it is still held after that. A stale lock's
   * run is recorded failed in ops.pipeline_runs.
   */
  public static JobLock acquire(Lakehouse lake, String runId, String job, Instant runStartedAt, Duration ttl,
      Duration wait) {
    JobLock lock = new JobLock(lake, runId, ttl);
    lock.take(job, runStartedAt, wait);
    return lock;
  }

  /** A lock object that does not hold the lock yet, for tests that interleave attempt with others. */
  static JobLock unheld(Lakehouse lake, String runId, Duration ttl) {
    return new JobLock(lake, runId, ttl);
  }

  /** The lock's current state (its latest object); empty when no run has ever taken it. */
  public static Optional<State> current(Lakehouse lake) {
    return current(lake.lockPath(), lake.spark().sparkContext().hadoopConfiguration());
  }

  /** The current state of the lock whose objects are in folder (lake.path/_costlake/lock). */
  public static Optional<State> current(String folder, Configuration hadoopConf) {
    return new Objects(folder, hadoopConf).latest().map(Entry::state);
  }

  private void take(String job, Instant runStartedAt, Duration wait) {
    Instant deadline = Instant.now().plus(wait);
    while (true) {
      Optional<Entry> seen = objects.latest();
      if (attempt(job, runStartedAt, seen)) {
        startRenewing();
        Optional<State> dead = seen.map(Entry::state).filter(State::held);
        if (dead.isPresent()) {
          try {
            abandon(dead.get(), mine.state().takenAt());
          } catch (RuntimeException | Error e) {
            close();
            throw e;
          }
        }
        return;
      }
      Optional<Entry> now = objects.latest();
      if (!now.equals(seen)) {
        // The lock changed since it was read (released, taken by another run): look again.
        continue;
      }
      if (Instant.now().isAfter(deadline)) {
        State holder = now.orElseThrow().state();
        throw new IllegalStateException(String.format(
            "the lakehouse is locked by %s run %s (%s) since %s, renewed until %s; waited %s (jobs.lock-wait)."
                + " If that run is dead, its lock is taken over once it expires (jobs.lock-ttl); the lock: %s",
            holder.job(), holder.runId(), holder.holder(), holder.takenAt(), holder.expiresAt(), wait,
            objects.folder));
      }
      sleep(POLL);
    }
  }

  /**
   * One try at taking the lock, given seen, its latest object as read (empty: it has none). Takes it
   * when seen is free (released), stale (not renewed within its ttl) or held by a process of this
   * machine that no longer exists, by creating the object after seen; returns whether this run now
   * holds it. When another run changed the lock since seen, that object exists and the try fails,
   * so a takeover replaces exactly seen, and seen (when held) names the run that died holding it.
   */
  boolean attempt(String job, Instant runStartedAt, Optional<Entry> seen) {
    Instant now = clock.instant();
    if (seen.isPresent() && !free(seen.get().state(), now)) {
      return false;
    }
    long number = seen.map(e -> e.number() + 1).orElse(0L);
    State taken = new State(true, runId, job, hostName(), ProcessHandle.current().pid(), runStartedAt, now, now,
        now.plus(ttl), null);
    if (!objects.createLatest(number, taken)) {
      return false;
    }
    mine = new Entry(number, taken);
    return true;
  }

  /** Whether a lock in state s may be taken at now. */
  private static boolean free(State s, Instant now) {
    return !s.held() || s.expiresAt().isBefore(now) || deadOnThisHost(s.host(), s.pid());
  }

  /** The previous holder died holding the lock: its run will never record how it ended, so say it. */
  private void abandon(State dead, Instant now) {
    LOG.warn("lakehouse lock: took over the stale lock of {} run {} ({}), not renewed since {}",
        dead.job(), dead.runId(), dead.holder(), dead.renewedAt());
    new PipelineRunLog(lake).abandoned(dead, now,
        "abandoned: the run stopped renewing the lakehouse lock (killed or its machine died); run " + runId
            + " took the lock over");
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

  /**
   * Writes the object after this run's latest one, with a new expiry. If that number exists, another
   * run took the lock over (this one went a whole ttl without renewing): the lock is lost, and
   * renewing stops, so a lost lock never looks held again.
   */
  synchronized void renew() {
    if (mine == null || lost) {
      return;
    }
    Instant now = clock.instant();
    State renewed = new State(true, runId, mine.state().job(), mine.state().host(), mine.state().pid(),
        mine.state().runStartedAt(), mine.state().takenAt(), now, now.plus(ttl), null);
    try {
      if (objects.createLatest(mine.number() + 1, renewed)) {
        mine = new Entry(mine.number() + 1, renewed);
      } else {
        lost = true;
        LOG.warn("lakehouse lock: run {} lost the lock (taken over by {})", runId,
            objects.latest().map(e -> e.state().runId()).orElse("nobody"));
      }
    } catch (RuntimeException e) {
      // The next renewal tries again; the lock only goes stale after a whole ttl without one.
      LOG.warn("lakehouse lock: renewal failed: {}", e.getMessage());
    }
  }

  /**
   * Throws LockLostException if the lock is no longer this run's (it stopped renewing for a whole ttl,
   * say a long GC pause or a lost connection, and another run took it over): what it wrote may have
   * raced another run.
   */
  public void requireHeld() {
    Optional<Entry> latest = objects.latest();
    if (latest.isEmpty() || !latest.get().state().held() || !runId.equals(latest.get().state().runId())) {
      throw new LockLostException("run " + runId + " lost the lakehouse lock while it ran (not renewed for "
          + ttl + "; taken over by " + latest.map(e -> e.state().runId()).orElse("nobody") + "); re-run it");
    }
  }

  /** The lock was taken over from a run that was still going. */
  public static final class LockLostException extends IllegalStateException {
    LockLostException(String message) {
      super(message);
    }
  }

  /** Releases the lock (if this run still holds it) and prunes the lock's old objects. */
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
    synchronized (this) {
      if (mine == null || lost) {
        return;
      }
      State s = mine.state();
      State released = new State(false, runId, s.job(), s.host(), s.pid(), s.runStartedAt(), s.takenAt(),
          s.renewedAt(), s.expiresAt(), clock.instant());
      // A run that took the lock over since this one's last renewal owns the next number: then there
      // is nothing to release.
      if (objects.create(mine.number() + 1, released)) {
        objects.prune(mine.number() + 1 - KEEP);
      }
      mine = null;
    }
  }

  /** holder is a process of this machine, and that process is gone. */
  private static boolean deadOnThisHost(String host, long pid) {
    return host.equals(hostName()) && pid > 0 && ProcessHandle.of(pid).isEmpty();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the lakehouse lock", e);
    }
  }

  /** The lock's numbered objects on the lakehouse's file system. */
  static final class Objects {
    /** Tries at reading an object still being written (a store that shows a file before it is closed). */
    private static final int READ_TRIES = 20;

    private final String folder;
    private final Configuration hadoopConf;

    Objects(String folder, Configuration hadoopConf) {
      this.folder = folder;
      this.hadoopConf = hadoopConf;
    }

    private Path path(long number) {
      return new Path(folder, String.format("%020d.json", number));
    }

    private FileSystem fs() throws IOException {
      return new Path(folder).getFileSystem(hadoopConf);
    }

    /** The highest-numbered object; empty when there is none. */
    Optional<Entry> latest() {
      try {
        long latest = -1;
        for (FileStatus status : listed()) {
          String name = status.getPath().getName();
          if (NAME.matcher(name).matches()) {
            latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
          }
        }
        return latest < 0 ? Optional.empty() : Optional.of(new Entry(latest, read(latest)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the lakehouse lock at " + folder + ": " + e.getMessage(), e);
      }
    }

    private FileStatus[] listed() throws IOException {
      try {
        return fs().listStatus(new Path(folder));
      } catch (FileNotFoundException e) {
        return new FileStatus[0];
      }
    }

    private State read(long number) throws IOException {
      Path path = path(number);
      for (int attempt = 1; ; attempt++) {
        String text;
        try (InputStream in = fs().open(path)) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
          return State.fromJson(text);
        } catch (IOException e) {
          if (attempt >= READ_TRIES) {
            throw new IOException("the lock object " + path + " is not a lock state (" + e.getMessage()
                + "): it was not written by costlake; delete it if no run holds the lock", e);
          }
          sleep(Duration.ofMillis(100));
        }
      }
    }

    /**
     * Creates object number with state s unless it exists; true when this call created it, or an
     * earlier try whose answer was lost did (the object there is s).
     */
    boolean create(long number, State s) {
      try {
        try {
          if (PutIfAbsent.create(fs(), path(number), s.toJson())) {
            return true;
          }
        } catch (IOException e) {
          if (!fs().exists(path(number))) {
            throw e;
          }
        }
        return read(number).equals(s);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the lakehouse lock object " + path(number) + ": "
            + e.getMessage(), e);
      }
    }

    /**
     * create, and then the object is the latest: a run that read the lock, stalled while more than
     * KEEP others changed it and old objects were pruned, may have re-created a pruned number,
     * which is history, not the lock.
     */
    boolean createLatest(long number, State s) {
      return create(number, s) && latest().map(Entry::number).orElse(-1L) == number;
    }

    /** Deletes the objects numbered below below (best effort: they are history only). */
    void prune(long below) {
      try {
        for (FileStatus status : listed()) {
          String name = status.getPath().getName();
          if (NAME.matcher(name).matches() && Long.parseLong(name.substring(0, 20)) < below) {
            fs().delete(status.getPath(), false);
          }
        }
      } catch (IOException e) {
        LOG.warn("lakehouse lock: could not prune old lock objects in {}: {}", folder, e.getMessage());
      }
    }
  }
}
