package dev.costlake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Main.main in a JVM of its own, as spark-submit or a Databricks JAR task starts it: the exit code is
 * the process's, except on Databricks, where the driver JVM must not exit and a failure is an exception.
 */
class MainProcessTest {
  private record Exit(int code, String output) {}

  private static Exit main(Map<String, String> environment, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("DATABRICKS_RUNTIME_VERSION");
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "costlake still running: " + output);
    return new Exit(process.exitValue(), output);
  }

  @Test
  void underSparkSubmitSparksPerformanceWarningsStayQuietUnlessVerbose(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    String quiet = sparkSubmitSql(tmp.resolve("quiet"));
    assertTrue(quiet.contains("n\n2000001\n"), quiet);
    assertTrue(!quiet.contains("DAGScheduler"), quiet);

    // The same run with --verbose shows the warning: the query does provoke it.
    String verbose = sparkSubmitSql(tmp.resolve("verbose"), "--verbose");
    assertTrue(verbose.contains("WARN DAGScheduler: Broadcasting large task binary"), verbose);
  }

  /** `spark-submit --class dev.costlake.Main ... sql` on local[1], over a query whose task binary is over 1 MB. */
  private static String sparkSubmitSql(Path lake, String... options) throws IOException, InterruptedException {
    // A 2 MB constant folded into the plan makes a task binary over Spark's 1000 KiB warning size.
    String query = "select length(concat(repeat('x', 2000000), cast(id as string))) as n from range(1)";
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    command.addAll(java.nio.file.Files.readAllLines(Path.of("../bin/jvm-flags")).stream()
        .map(String::strip).filter(line -> !line.isEmpty()).toList());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[1]", "--conf", "spark.ui.enabled=false", "--class", Main.class.getName(),
        "spark-internal", "sql", "--format", "csv", "--set", "lake.path=" + lake));
    command.addAll(List.of(options));
    command.add(query);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "costlake still running: " + output);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  @Test
  void theProcessExitsWithCostlakesExitCode() throws Exception {
    Exit bad = main(Map.of(), "hourly", "--no-such-flag");
    assertEquals(Main.EXIT_USAGE, bad.code(), bad.output());
    assertTrue(bad.output().contains("Unknown option: '--no-such-flag'"), bad.output());
    assertEquals(0, main(Map.of(), "--version").code());
  }

  @Test
  void onDatabricksSuccessReturnsAndFailureThrowsInsteadOfExiting() throws Exception {
    Map<String, String> databricks = Map.of("DATABRICKS_RUNTIME_VERSION", "15.4");
    Exit ok = main(databricks, "--version");
    // main returned: the JVM ended by itself, with no System.exit, at 0.
    assertEquals(0, ok.code(), ok.output());
    assertTrue(ok.output().startsWith("costlake "), ok.output());

    Exit bad = main(databricks, "hourly", "--no-such-flag", "--set", "postgres.password=s3cret");
    // An uncaught exception ends a plain JVM with 1; on Databricks it fails the task.
    assertEquals(1, bad.code(), bad.output());
    assertTrue(bad.output().contains("Unknown option: '--no-such-flag'"), bad.output());
    assertTrue(bad.output().contains(
        "java.lang.IllegalStateException: costlake failed with exit code 2 (its message is above)"), bad.output());
    assertTrue(!bad.output().contains("s3cret"), "the arguments were printed: " + bad.output());
  }
}
