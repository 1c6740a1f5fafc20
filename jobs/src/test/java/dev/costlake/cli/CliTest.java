package dev.costlake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.Main;
import dev.costlake.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as users run it: subcommands, exit codes, messages, output formats. */
class CliTest {
  @TempDir Path tmp;

  private record Result(int exitCode, String out, String err) {}

  @BeforeAll
  static void sharedSession() {
    TestSpark.session();
  }

  private Result run(String... args) {
    PrintStream originalOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(System.out, true));
    try {
      int code = cli.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(originalOut);
    }
  }

  private List<String> lakeArgs(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--set", "raw.path=" + tmp.resolve("raw"), "--set", "lake.path=" + tmp.resolve("lake"),
        "--set", "spark.master=local[2]"));
    return all;
  }

  @Test
  void theInteractivePromptRunsStatementsAndSurvivesErrors() {
    java.io.InputStream originalIn = System.in;
    System.setIn(new java.io.ByteArrayInputStream(
        "select 1 as a;\nselect bogus;\nselect 2\n  as b;\nexit;\n".getBytes(StandardCharsets.UTF_8)));
    try {
      Result result = run(lakeArgs("sql").toArray(String[]::new));
      assertEquals(0, result.exitCode(), result.err());
      assertTrue(result.out().contains("a\n-\n1\n(1 row)"), result.out());
      assertTrue(result.out().contains("error: [UNRESOLVED_COLUMN"), result.out());
      assertTrue(result.out().contains("b\n-\n2\n(1 row)"), result.out());
    } finally {
      System.setIn(originalIn);
    }
  }

  @Test
  void everySubcommandHasHelp() {
    for (String[] command : List.of(new String[] {"ingest"}, new String[] {"sql"}, new String[] {"generate"},
        new String[] {"demo"}, new String[] {"bench"}, new String[] {"bench", "ingest"},
        new String[] {"bench", "money"})) {
      List<String> args = new ArrayList<>(List.of(command));
      args.add("--help");
      Result result = run(args.toArray(String[]::new));
      assertEquals(0, result.exitCode(), String.join(" ", command));
      assertTrue(result.out().startsWith("Usage: costlake " + String.join(" ", command)), result.out());
    }
  }

  @Test
  void aBadValueExitsTwoAndNamesTheKeyAndValue() {
    Result result = run("ingest", "--set", "ingest.max-clock-skew=soon");
    assertEquals(Main.EXIT_USAGE, result.exitCode());
    assertEquals("costlake: Cannot set ingest.max-clock-skew to 'soon' (from --set ingest.max-clock-skew):"
        + " must be a duration such as 30m, 1h or 7d\n", result.err());
  }

  @Test
  void anUnknownKeyExitsTwo() {
    Result result = run("sql", "select 1", "--set", "lake.pth=/tmp/x");
    assertEquals(Main.EXIT_USAGE, result.exitCode());
    assertTrue(result.err().startsWith("costlake: Unknown configuration key 'lake.pth'"), result.err());
  }

  @Test
  void ingestOfAMissingRawPathExplainsTheFix() {
    Result result = run(lakeArgs("ingest").toArray(String[]::new));
    assertEquals(Main.EXIT_FAILED, result.exitCode());
    assertTrue(result.out().contains("error: raw.path " + tmp.resolve("raw") + " does not exist: nothing to ingest."),
        result.out());
  }

  @Test
  void generateIngestAndQuery() {
    Result generated = run("generate", "--out", tmp.resolve("raw").toString(), "--days", "1",
        "--events-per-day", "240", "--start", "2026-11-01", "--seed", "3", "--threads", "1");
    assertEquals(0, generated.exitCode(), generated.err());
    assertTrue(generated.out().startsWith("wrote 240 events (+0 malformed, +0 duplicate lines) in 24 files"),
        generated.out());

    Result ingested = run(lakeArgs("ingest").toArray(String[]::new));
    assertEquals(0, ingested.exitCode(), ingested.out() + ingested.err());
    assertTrue(ingested.out().contains("records read                    240"), ingested.out());
    assertTrue(ingested.out().contains("accepted                      240"), ingested.out());

    Result csv = run(lakeArgs("sql", "--format", "csv",
        "select count(*) as events, count(distinct event_date) as days from silver.cost_events").toArray(String[]::new));
    assertEquals(0, csv.exitCode(), csv.err());
    assertEquals("events,days\n240,1\n", csv.out());

    Result json = run(lakeArgs("sql", "--format", "json",
        "select job, status, records_read from ops.pipeline_runs").toArray(String[]::new));
    assertEquals("{\"job\":\"ingest\",\"status\":\"succeeded\",\"records_read\":240}\n", json.out());

    Result table = run(lakeArgs("sql", "select 'a' as tenant_id, 12 as requests").toArray(String[]::new));
    assertEquals("tenant_id  requests\n---------  --------\na                12\n(1 row)\n", table.out());
  }
}
