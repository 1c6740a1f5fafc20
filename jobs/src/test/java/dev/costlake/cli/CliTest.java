package dev.costlake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.Main;
import dev.costlake.generate.AnomalyLabel;
import dev.costlake.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
        new String[] {"bench", "money"}, new String[] {"bench", "silver-write"}, new String[] {"reprice"},
        new String[] {"prices"}, new String[] {"prices", "check"}, new String[] {"prices", "show"},
        new String[] {"prices", "missing"}, new String[] {"prices", "import-litellm"}, new String[] {"hourly"},
        new String[] {"nightly"}, new String[] {"backfill"}, new String[] {"bench", "rollups"},
        new String[] {"bench", "floor"}, new String[] {"serve"}, new String[] {"bench", "serve"},
        new String[] {"bench", "sql"},
        new String[] {"forecast"}, new String[] {"forecast", "backtest"}, new String[] {"notebook"},
        new String[] {"notebook", "run"})) {
      List<String> args = new ArrayList<>(List.of(command));
      args.add("--help");
      Result result = run(args.toArray(String[]::new));
      assertEquals(0, result.exitCode(), String.join(" ", command));
      assertTrue(result.out().startsWith("Usage: costlake " + String.join(" ", command)), result.out());
    }
  }

  @Test
  void everyListedSummaryIsOneShortSentence() {
    List<String> problems = new ArrayList<>();
    checkSummaries(Main.commandLine(), problems);
    assertEquals(List.of(), problems);
  }

  /**
   * Reads the Commands: list of `--help` as a person sees it (80 columns) and collects every summary that
   * is not one sentence ending in a full stop on one line.
   */
  private void checkSummaries(CommandLine command, List<String> problems) {
    if (command.getSubcommands().isEmpty()) {
      return;
    }
    String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
    String list = help.substring(help.indexOf("Commands:\n") + "Commands:\n".length());
    java.util.Map<String, StringBuilder> summaries = new java.util.LinkedHashMap<>();
    String current = null;
    for (String line : list.split("\n")) {
      java.util.regex.Matcher entry = java.util.regex.Pattern.compile("^  (\\S+)\\s+(.*)$").matcher(line);
      if (entry.matches()) {
        current = entry.group(1);
        summaries.put(current, new StringBuilder(entry.group(2).strip()));
      } else if (current != null && line.startsWith("   ")) {
        summaries.get(current).append(' ').append(line.strip());
        problems.add(command.getCommandName() + " " + current + ": the summary wraps onto a second line");
      }
    }
    assertEquals(command.getSubcommands().keySet(), summaries.keySet(), help);
    summaries.forEach((name, text) -> {
      String summary = text.toString();
      String where = command.getCommandName() + " " + name + ": \"" + summary + "\"";
      if (!summary.endsWith(".")) {
        problems.add(where + " does not end with a full stop");
      }
      if (summary.substring(0, Math.max(0, summary.length() - 1)).matches("(?s).*[.;!?](\\s.*|$)")) {
        problems.add(where + " is more than one sentence");
      }
    });
    command.getSubcommands().values().forEach(sub -> checkSummaries(sub, problems));
  }

  @Test
  void aBadValueExitsTwoAndNamesTheKeyAndValue() {
    Result result = run("ingest", "--set", "ingest.max-clock-skew=soon");
    assertEquals(Main.EXIT_USAGE, result.exitCode());
    assertEquals("costlake: Cannot set ingest.max-clock-skew to 'soon' (from --set ingest.max-clock-skew):"
        + " must be a duration such as 30m, 1h or 7d\n", result.err());
  }

  @Test
  void aNotebookThatCannotRunHereExitsTwoBeforeSparkStarts() throws IOException {
    Path notebook = tmp.resolve("python.sql");
    java.nio.file.Files.writeString(notebook, "-- Databricks notebook source\nselect 1\n\n-- COMMAND ----------\n\n"
        + "-- MAGIC %python\n-- MAGIC print(1)\n");
    Result result = run("notebook", "run", notebook.toString());
    assertEquals(Main.EXIT_USAGE, result.exitCode());
    assertEquals("costlake: Notebook " + notebook + ", cell 2 runs %python: only SQL, %sql and %md cells can run"
        + " here (costlake notebook run runs Spark SQL)\n", result.err());

    Result missing = run("notebook", "run", tmp.resolve("nowhere.sql").toString());
    assertEquals(Main.EXIT_USAGE, missing.exitCode());
    assertEquals("costlake: Notebook " + tmp.resolve("nowhere.sql") + " does not exist or is not a file\n",
        missing.err());
  }

  @Test
  void anUnknownKeyExitsTwo() {
    Result result = run("sql", "select 1", "--set", "lake.pth=/tmp/x");
    assertEquals(Main.EXIT_USAGE, result.exitCode());
    assertTrue(result.err().startsWith("costlake: Unknown configuration key 'lake.pth'"), result.err());
  }

  @Test
  void aBackwardsBackfillWindowExitsTwoBeforeSparkStarts() {
    Result result = run(lakeArgs("backfill", "--from", "2026-11-10", "--to", "2026-11-01").toArray(String[]::new));
    assertEquals(Main.EXIT_USAGE, result.exitCode());
    assertEquals("costlake: --to 2026-11-01 is before --from 2026-11-10\n", result.err());
  }

  @Test
  void aServeScheduleOutsideTheClockExitsTwoNamingTheKey() {
    Result minute = run("serve", "--set", "serve.hourly-minute=60");
    assertEquals(Main.EXIT_USAGE, minute.exitCode());
    assertEquals("costlake: Cannot set serve.hourly-minute to '60' (from --set serve.hourly-minute): must be a whole"
        + " minute from 0 to 59\n", minute.err());
    Result time = run("serve", "--set", "serve.nightly-time=2:30");
    assertEquals(Main.EXIT_USAGE, time.exitCode());
    assertEquals("costlake: Cannot set serve.nightly-time to '2:30' (from --set serve.nightly-time): must be a UTC"
        + " time of day as HH:MM, from 00:00 to 23:59\n", time.err());
  }

  @Test
  void aZeroLockWaitIsRefused() {
    Result result = run("hourly", "--set", "jobs.lock-wait=0s");
    assertEquals(Main.EXIT_USAGE, result.exitCode());
    assertEquals("costlake: Cannot set jobs.lock-wait to '0s' (from --set jobs.lock-wait): must be a positive duration\n",
        result.err());
  }

  @Test
  void ingestOfAMissingRawPathExplainsTheFix() {
    Result result = run(lakeArgs("ingest").toArray(String[]::new));
    assertEquals(Main.EXIT_FAILED, result.exitCode());
    assertTrue(result.out().contains("error: raw.path " + tmp.resolve("raw") + " does not exist: nothing to ingest."),
        result.out());
  }

  @Test
  void generateWithAnomaliesWritesTheLabelsBesideTheOutputFolder() throws IOException {
    Result generated = run("generate", "--out", tmp.resolve("raw").toString(), "--days", "22",
        "--events-per-day", "240", "--start", "2026-10-01", "--seed", "3", "--threads", "1",
        "--daily-growth", "0.01", "--daily-noise", "0.1", "--anomalies", "2");

    assertEquals(0, generated.exitCode(), generated.err());
    Path labels = tmp.resolve("anomaly_labels.jsonl").toAbsolutePath().normalize();
    assertTrue(generated.out().contains("injected 2 anomalies (+"), generated.out());
    assertTrue(generated.out().contains("labels written to " + labels + "\n"), generated.out());
    assertEquals(List.of("spike", "drop"), AnomalyLabel.readAll(labels).stream()
        .map(AnomalyLabel::kind).toList());
  }

  @Test
  void generateRefusesAnomaliesWithoutHistoryAndLabelsWithoutAnomalies() {
    Result tooShort = run("generate", "--out", tmp.resolve("raw").toString(), "--days", "21",
        "--anomalies", "1");
    assertEquals(Main.EXIT_USAGE, tooShort.exitCode());
    assertEquals("costlake: anomalies=1 needs days >= 22 (15 days of history before the first anomaly,"
        + " then up to 19 h of windows at least 24 h apart, each starting 10:00-15:00 UTC),"
        + " got days=21\n", tooShort.err());

    Result labelsAlone = run("generate", "--out", tmp.resolve("raw").toString(), "--labels",
        tmp.resolve("l.jsonl").toString());
    assertEquals(Main.EXIT_USAGE, labelsAlone.exitCode());
    assertEquals("costlake: --labels " + tmp.resolve("l.jsonl") + " needs --anomalies N with N > 0\n",
        labelsAlone.err());
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

  @Test
  void pricesCheckPassesTheBuiltInCatalogAndFailsABadOne() throws IOException {
    Result builtIn = run("prices", "check");
    assertEquals(0, builtIn.exitCode(), builtIn.out());
    assertTrue(builtIn.out().contains(": 0 errors,"), builtIn.out());

    Path bad = tmp.resolve("bad.csv");
    java.nio.file.Files.writeString(bad, String.join(",", dev.costlake.pricing.PriceCatalog.COLUMNS) + "\n"
        + "acme,m,chat,standard,2026-01-01,,1.00,2.00,,3.00,,,,,,,\n");
    Result checked = run("prices", "check", bad.toString());
    assertEquals(Main.EXIT_FAILED, checked.exitCode());
    assertTrue(checked.out().startsWith("error: " + bad + ":2: cached input price 2.00 is above the input price 1.00"),
        checked.out());

    // a job refuses to price anything with it, before Spark starts
    Result ingest = run(lakeArgs("ingest", "--set", "prices.catalog=" + bad).toArray(String[]::new));
    assertEquals(Main.EXIT_USAGE, ingest.exitCode());
    assertTrue(ingest.err().startsWith("costlake: the price catalog (conf/prices/default.csv + " + bad + ") has errors"),
        ingest.err());
  }

  @Test
  void pricesShowExplainsTheRowInForce() {
    Result shown = run("prices", "show", "gpt-4o-2024-11-20", "--at", "2024-09-01");
    assertEquals(0, shown.exitCode(), shown.out() + shown.err());
    assertTrue(shown.out().startsWith("gpt-4o-2024-11-20 -> gpt-4o (snapshot: snapshot gpt-4o-2024-11-20 -> family gpt-4o)"),
        shown.out());
    assertTrue(shown.out().contains("uses openai/gpt-4o/chat/standard@2024-05-13"), shown.out());

    Result unknown = run("prices", "show", "ft:gpt-4o-mini:acme::x1");
    assertEquals(Main.EXIT_FAILED, unknown.exitCode());
    assertTrue(unknown.out().startsWith("ft:gpt-4o-mini:acme::x1: no catalog price matches"), unknown.out());
  }

  @Test
  void importLitellmWritesACatalogThatPassesTheCheckAndReportsWhatItLeftOut() throws IOException {
    Path out = tmp.resolve("litellm.csv");
    Result imported = run("prices", "import-litellm", "src/test/resources/litellm/model_prices_and_context_window.json",
        "--out", out.toString(), "--valid-from", "2026-07-24");
    assertEquals(0, imported.exitCode(), imported.out() + imported.err());
    assertTrue(imported.out().startsWith("imported 2,369 entries as 3,491 rows"), imported.out());
    assertTrue(imported.out().contains("\n      37 models the built-in catalog prices by name: LiteLLM's price from 2026-07-24,"
        + " the built-in one before\n"), imported.out());
    assertTrue(imported.out().contains("\n   1,835 models with no earlier price: LiteLLM's price since 1970-01-01\n"),
        imported.out());
    assertTrue(imported.out().contains("renamed gemini-2.5-pro -> vertex_ai/gemini-2.5-pro"), imported.out());
    assertTrue(imported.out().contains("left out 616 entries, listed with why in " + tmp.resolve("litellm.excluded.csv")),
        imported.out());
    assertTrue(imported.out().contains("148  no input_cost_per_token"), imported.out());
    assertTrue(imported.out().contains("12  rejected by prices check:"), imported.out());
    assertTrue(imported.out().contains("prices check on the result: 0 errors, 1 warnings; with the built-in catalog: 0 errors"),
        imported.out());
    assertEquals(3_491, dev.costlake.pricing.PriceCatalog.read(out).rows().size());
    assertEquals(1 + 616, java.nio.file.Files.readAllLines(tmp.resolve("litellm.excluded.csv")).size());

    Result checked = run("prices", "check", "--set", "prices.catalog=" + out);
    assertEquals(0, checked.exitCode(), checked.out() + checked.err());
  }

}
