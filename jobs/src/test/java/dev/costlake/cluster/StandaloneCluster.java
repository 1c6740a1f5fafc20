package dev.costlake.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1 built from the Maven jars: a Master and N Workers, each
 * its own JVM, as `start-master.sh` and `start-worker.sh` would start them from a Spark distribution.
 * Workers start executors from SPARK_HOME/jars, so SPARK_HOME is a folder of symlinks to the class path.
 * Drivers submitted to it (SparkSubmit, client mode) must end before {@link #close()}: a driver whose
 * cluster went away first hangs.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final List<String> classPath;
  private final List<String> jvmFlags;
  private final Path sparkHome;
  private final int masterPort;
  private Process master;
  private final List<Process> workers = new ArrayList<>();

  private StandaloneCluster(Path dir, List<String> classPath, List<String> jvmFlags) throws IOException {
    this.dir = dir;
    this.classPath = classPath;
    this.jvmFlags = jvmFlags;
    this.sparkHome = linkSparkHome(dir.resolve("spark-home"), classPath);
    this.masterPort = freePort();
  }

  /**
   * Starts a master and workers (each with coresPerWorker cores and workerMemory) and returns once every
   * worker has registered with the master.
   */
  static StandaloneCluster start(Path dir, List<String> classPath, List<String> jvmFlags, int workerCount,
      int coresPerWorker, String workerMemory) throws IOException, InterruptedException {
    StandaloneCluster cluster = new StandaloneCluster(Files.createDirectories(dir), classPath, jvmFlags);
    try {
      cluster.master = cluster.java("master", "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", String.valueOf(cluster.masterPort),
          "--webui-port", String.valueOf(freePort()));
      for (int i = 1; i <= workerCount; i++) {
        Path workDir = Files.createDirectories(dir.resolve("worker-" + i));
        cluster.workers.add(cluster.java("worker-" + i, "org.apache.spark.deploy.worker.Worker",
            "--host", "127.0.0.1", "--cores", String.valueOf(coresPerWorker), "--memory", workerMemory,
            "--work-dir", workDir.toString(), "--webui-port", String.valueOf(freePort()), cluster.masterUrl()));
      }
      cluster.awaitWorkers();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  Path sparkHome() {
    return sparkHome;
  }

  /** The environment every cluster process and driver gets: where executors' jars are, and Scala's version. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return env;
  }

  /** The JVM (java, heap, Java 17 flags, class path) that runs mainClass with args, as a started process. */
  List<String> javaCommand(String heap, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    command.addAll(jvmFlags);
    command.add("-Duser.timezone=UTC");
    command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), mainClass));
    command.addAll(Arrays.asList(args));
    return command;
  }

  private Process java(String name, String mainClass, String... args) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(javaCommand("512m", mainClass, args));
    builder.environment().putAll(environment());
    builder.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    return builder.start();
  }

  /** Waits until every worker's log says it registered with the master. */
  private void awaitWorkers() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    for (int i = 1; i <= workers.size(); i++) {
      Path log = dir.resolve("worker-" + i + ".log");
      while (!Files.readString(log).contains("Successfully registered with master")) {
        if (!workers.get(i - 1).isAlive() || !master.isAlive() || Instant.now().isAfter(deadline)) {
          throw new AssertionError("worker-" + i + " did not register with the master within " + START_TIMEOUT
              + "; its log:\n" + tail(log) + "\nthe master's log:\n" + tail(dir.resolve("master.log")));
        }
        Thread.sleep(200);
      }
    }
  }

  /** Workers first (each ends its executors as it goes), then the master. */
  @Override
  public void close() {
    for (Process worker : workers) {
      stop(worker);
    }
    if (master != null) {
      stop(master);
    }
  }

  /** SIGTERM and a wait, then SIGKILL; children (executors) are ended with their parent. */
  static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** SPARK_HOME/jars: a symlink to each jar of the class path, named as the jar is. */
  private static Path linkSparkHome(Path home, List<String> classPath) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String entry : classPath) {
      Path jar = Path.of(entry);
      Path link = jars.resolve(jar.getFileName());
      if (entry.endsWith(".jar") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    return home;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last 60 lines of a log, for a failure message. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
