package dev.costlake.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.Main;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A first run killed while it creates the lakehouse's tables, then run again: the re-run clears each
 * table folder the crash left without a committed Delta version, creates it again, and ends with the
 * same tables as a run never killed. The killed run is costlake in a JVM of its own, ended by
 * Runtime.halt (as abrupt as SIGKILL) inside a table's first Delta commit (HaltingLogStore).
 */
class FirstRunCrashTest {
  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path raw;
  private static Map<String, String> neverKilled;

  private record Exit(int code, String output) {}

  @BeforeAll
  static void rawEventsAndARunNeverKilled() throws Exception {
    raw = shared.resolve("raw");
    assertEquals(0, Main.commandLine().execute("generate", "--out", raw.toString(), "--days", "1",
        "--events-per-day", "24", "--start", "2026-11-01", "--seed", "3", "--threads", "1"));
    Path lake = shared.resolve("lake-never-killed");
    Exit ingested = costlake(Map.of(), ingest(lake));
    assertEquals(0, ingested.code(), ingested.output());
    neverKilled = tables(lake);
  }

  @ParameterizedTest(name = "killed {1} the creation of {0}")
  @CsvSource({
      "silver/cost_events, BEFORE_COMMIT",
      "ops/pipeline_runs,  WRITING_COMMIT",
      "gold/alerts,        AFTER_COMMIT"})
  void aRerunAfterAKilledFirstRunGivesTheTablesOfARunNeverKilled(String table, HaltingLogStore.When when)
      throws Exception {
    Path lake = tmp.resolve("lake");
    Exit killed = costlake(Map.of(
        "spark.delta.logStore.file.impl", HaltingLogStore.class.getName(),
        HaltingLogStore.TABLE, table,
        HaltingLogStore.WHEN, when.name()), ingest(lake));
    assertEquals(HaltingLogStore.EXIT_CODE, killed.code(), killed.output());
    Path log = lake.resolve(table).resolve("_delta_log");
    assertEquals(when == HaltingLogStore.When.AFTER_COMMIT, Files.exists(log.resolve("00000000000000000000.json")));
    assertTrue(Files.isDirectory(log), "the killed run left " + log);

    Exit rerun = costlake(Map.of(), ingest(lake));

    assertEquals(0, rerun.code(), rerun.output());
    assertTrue(rerun.output().contains("accepted                       24"), rerun.output());
    if (when != HaltingLogStore.When.AFTER_COMMIT) {
      String qualified = table.replace('/', '.');
      assertTrue(rerun.output().contains("WARN Lakehouse: " + qualified + " at file:" + lake.resolve(table)
          + " has no committed Delta version (a run stopped while creating it): cleared it to create it again"),
          rerun.output());
    } else {
      assertFalse(rerun.output().contains("to create it again"), rerun.output());
    }
    assertEquals(neverKilled, tables(lake));
  }

  private static String[] ingest(Path lake) {
    return new String[] {"ingest", "--set", "raw.path=" + raw, "--set", "lake.path=" + lake,
        "--set", "spark.master=local[2]"};
  }

  /** Every table of the lakehouse: its schema and row count, and the ingested rows themselves. */
  private static Map<String, String> tables(Path lake) {
    SparkSession spark = TestSpark.session();
    Map<String, String> tables = new LinkedHashMap<>();
    for (String table : Lakehouse.TABLES) {
      Dataset<Row> rows = spark.read().format("delta").load(lake.resolve(table.replace('.', '/')).toString());
      tables.put(table, rows.schema().simpleString() + " rows=" + rows.count());
    }
    Dataset<Row> events = spark.read().format("delta").load(lake.resolve("silver/cost_events").toString());
    tables.put("events", events.selectExpr("count(*)", "count(distinct event_id)", "sum(list_cost_usd_nanos)",
        "sum(input_tokens)", "sum(output_tokens)").collectAsList().toString());
    Dataset<Row> runs = spark.read().format("delta").load(lake.resolve("ops/pipeline_runs").toString());
    tables.put("runs", runs.selectExpr("job", "status", "records_read").collectAsList().toString());
    return tables;
  }

  private static Exit costlake(Map<String, String> systemProperties, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Spark's module access, as this JVM has it (pom.xml's spark.java17.flags); a small heap.
        "-Xmx1g"));
    command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(argument -> argument.startsWith("--add-opens") || argument.startsWith("-Djdk.reflect")
            || argument.startsWith("-Dio.netty"))
        .toList());
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path")));
    systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(240, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("costlake still running: " + output);
    }
    return new Exit(process.exitValue(), output);
  }
}
