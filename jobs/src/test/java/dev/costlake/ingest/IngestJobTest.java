package dev.costlake.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import dev.costlake.ops.Lateness;
import dev.costlake.ops.RunCounts;
import dev.costlake.ops.RunRecorder;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest, specified: every record accounted for, exactly once, across re-runs and crashes. */
class IngestJobTest {
  private static final String SILVER_COLUMNS = "event_id, cast(event_time as string) as event_time,"
      + " cast(event_date as string) as event_date, cast(event_hour as string) as event_hour, tenant_id, feature,"
      + " user_id, project, region, environment, provider, model, operation, service_tier,"
      + " to_json(tags) as tags, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens,"
      + " reasoning_tokens, reported_cost_usd_nanos, source_file";

  /** A fixed ingest clock: the event_time_in_future detail names it, so runs compare exactly. */
  private static final Clock CLOCK = Clock.fixed(java.time.Instant.parse("2026-11-23T12:00:00Z"), java.time.ZoneOffset.UTC);

  /**
   * Every accepted fixture event is more than rollups.lateness (2 h) older than CLOCK, and no hour was
   * rolled up before (an ingest alone rolls up nothing): history backfilled, none of it late.
   */
  private static final Lateness FIXTURE_LATENESS = new Lateness(0, 0, null, IngestFixtures.ACCEPTED);

  @TempDir Path tmp;

  private final SparkSession spark = TestSpark.session();

  private Lakehouse freshLake(String name) throws IOException {
    Path raw = tmp.resolve(name + "-raw");
    IngestFixtures.write(spark, raw);
    return TestSpark.lake(config(name, raw));
  }

  private CostlakeConfig config(String name, Path raw) {
    return TestSpark.config(tmp.resolve(name + "-lake"), raw, Map.of());
  }

  private RunRecorder.Outcome ingest(Lakehouse lake, String name) {
    return Ingest.run(lake, config(name, tmp.resolve(name + "-raw")), CLOCK);
  }

  @Test
  void mixedInputIsAccountedForExactlyPerOutcomeAndReason() throws IOException {
    Lakehouse lake = freshLake("mixed");
    RunRecorder.Outcome outcome = ingest(lake, "mixed");

    assertTrue(outcome.succeeded(), () -> "run failed: " + outcome.error());
    assertEquals(new RunCounts(IngestFixtures.RECORDS_READ, IngestFixtures.ACCEPTED,
        IngestFixtures.QUARANTINED, IngestFixtures.DUPLICATE, 4, 1).withLate(FIXTURE_LATENESS), outcome.counts());

    Map<String, Long> reasons = new TreeMap<>();
    for (Row row : spark.sql("select reason, count(*) from silver.quarantine group by reason").collectAsList()) {
      reasons.put(row.getString(0), row.getLong(1));
    }
    Map<String, Long> expected = new TreeMap<>(Map.ofEntries(
        Map.entry("malformed_json", 2L), Map.entry("missing_event_id", 1L),
        Map.entry("missing_event_time", 1L), Map.entry("bad_event_time", 1L),
        Map.entry("missing_model", 1L), Map.entry("negative_tokens", 2L),
        Map.entry("non_integer_tokens", 1L), Map.entry("cached_exceeds_input", 1L),
        Map.entry("reasoning_exceeds_output", 1L), Map.entry("bad_cost", 3L),
        Map.entry("event_time_in_future", 1L), Map.entry("field_too_long", 2L),
        Map.entry("cache_write_exceeds_input", 1L), Map.entry("bad_operation", 1L),
        Map.entry("conflicting_duplicate", 1L), Map.entry("unsupported_file", 1L)));
    assertEquals(expected, reasons);

    // The conflicting copy is quarantined with its own raw text, and the first copy is what silver holds.
    Row conflict = spark.sql("select event_id, raw, source_file from silver.quarantine"
        + " where reason = 'conflicting_duplicate'").first();
    assertEquals("e1", conflict.getString(0));
    assertEquals(IngestFixtures.E1_CONFLICT, conflict.getString(1));
    assertTrue(conflict.getString(2).endsWith("other/layout/b.jsonl.gz"));
    // Every quarantined record keeps its raw text, except the unsupported file (never read).
    assertEquals(0L, spark.sql("select count(*) from silver.quarantine where raw is null"
        + " and reason <> 'unsupported_file'").first().getLong(0));
    assertEquals("token counts: input=-5 cached_input=0 cache_write=0 output=0 reasoning=0",
        spark.sql("select detail from silver.quarantine where event_id = 'm5'").first().getString(0));
  }

  @Test
  void acceptedEventsAreNormalisedWithDefaultsAliasesAndExactCosts() throws IOException {
    Lakehouse lake = freshLake("values");
    assertTrue(ingest(lake, "values").succeeded());

    List<String> rows = spark.sql("select " + SILVER_COLUMNS + " from silver.cost_events order by event_id")
        .collectAsList().stream()
        .map(row -> row.mkString("|").replaceAll("\\|file:[^|]*/", "|"))
        .collect(Collectors.toList());
    assertEquals(List.of(
        "e1|2026-11-20 05:12:00.123|2026-11-20|2026-11-20 05:00:00|acme|chat|u1|web|us-east-1|production|openai"
            + "|gpt-4o|chat|standard|{\"ab\":\"b\",\"team\":\"growth\"}|1000|400|0|200|0|100000000|a.jsonl"
            .replace("{\"ab\":\"b\",\"team\":\"growth\"}", "{\"team\":\"growth\",\"ab\":\"b\"}"),
        "e2|2026-11-20 06:00:00|2026-11-20|2026-11-20 06:00:00|default|unknown|anonymous|null|null|null|null"
            + "|claude-3-5-sonnet-20241022|chat|standard|null|0|0|0|0|0|null|a.jsonl",
        "e3|2026-11-20 05:30:00.5|2026-11-20|2026-11-20 05:00:00|default|unknown|anonymous|null|null|null|null"
            + "|o3-mini|completion|standard|null|12|0|0|30|20|null|a.jsonl",
        "p1|2026-11-21 23:59:59.999|2026-11-21|2026-11-21 23:00:00|default|unknown|anonymous|null|null|null|null"
            + "|gemini-2.0-flash|chat|standard|null|100|0|0|10|0|1234500000|part-00000",
        "r1|2026-11-21 10:00:00|2026-11-21|2026-11-21 10:00:00|default|search|anonymous|null|null|null|null"
            + "|gpt-4o-mini|chat|standard|null|0|0|0|0|0|123457|b.jsonl.gz",
        "r2|2026-11-21 11:00:00|2026-11-21|2026-11-21 11:00:00|default|unknown|anonymous|null|null|null|null"
            + "|gpt-4o|chat|standard|null|0|0|0|0|0|123456789123456789|b.jsonl.gz"),
        rows.stream().map(r -> r.replaceAll("\\|part-00000[^|]*$", "|part-00000")).toList());
  }

  @Test
  void rerunAddsNothingAndANewFileAddsOnlyItsRecords() throws IOException {
    Lakehouse lake = freshLake("rerun");
    assertTrue(ingest(lake, "rerun").succeeded());

    RunRecorder.Outcome again = ingest(lake, "rerun");
    assertTrue(again.succeeded());
    assertEquals(RunCounts.ZERO, again.counts());
    assertEquals(IngestFixtures.ACCEPTED, spark.table(Lakehouse.COST_EVENTS).count());

    java.nio.file.Files.createDirectories(tmp.resolve("rerun-raw/dt=2026-11-22"));
    IngestFixtures.writeLines(tmp.resolve("rerun-raw/dt=2026-11-22/late.jsonl"), List.of(
        IngestFixtures.E2,
        "{\"event_id\":\"n1\",\"event_time\":\"2026-11-22T01:00:00Z\",\"model\":\"gpt-4o\",\"input_tokens\":7}"),
        false);
    RunRecorder.Outcome third = ingest(lake, "rerun");
    // n1 (2026-11-22T01:00Z) is 35 h old at the ingest clock, but no rollup covered its hour: history, not late.
    assertEquals(new RunCounts(2, 1, 0, 1, 1, 1).withLate(new Lateness(0, 0, null, 1)), third.counts());
    assertEquals(IngestFixtures.ACCEPTED + 1, spark.table(Lakehouse.COST_EVENTS).count());
    assertDataTestsPass();
  }

  @Test
  void crashAfterSilverWriteThenRerunGivesTheSameTables() throws IOException {
    assertCrashThenRerunMatchesCleanRun(CrashPoint.AFTER_SILVER_WRITE, "crash-silver");
  }

  @Test
  void crashAfterQuarantineWriteThenRerunGivesTheSameTables() throws IOException {
    assertCrashThenRerunMatchesCleanRun(CrashPoint.AFTER_QUARANTINE_WRITE, "crash-quarantine");
  }

  private void assertCrashThenRerunMatchesCleanRun(CrashPoint point, String name) throws IOException {
    Lakehouse clean = freshLake(name + "-clean");
    assertTrue(ingest(clean, name + "-clean").succeeded());
    List<String> cleanSilver = silverRows();
    List<String> cleanQuarantine = quarantineRows();

    Lakehouse lake = freshLake(name);
    RunRecorder.Outcome crashed = Ingest.run(lake, config(name, tmp.resolve(name + "-raw")), CLOCK, point);
    assertFalse(crashed.succeeded());
    Row run = spark.sql("select status, error from ops.pipeline_runs").first();
    assertEquals("failed", run.getString(0));
    assertEquals("SimulatedCrash: simulated crash " + point, run.getString(1));
    assertEquals(IngestFixtures.ACCEPTED, spark.table(Lakehouse.COST_EVENTS).count(), "silver was written before the crash");

    RunRecorder.Outcome rerun = ingest(lake, name);
    assertTrue(rerun.succeeded(), () -> "rerun failed: " + rerun.error());
    // The replayed batch is classified exactly as the first attempt was: its own rows are not duplicates.
    assertEquals(new RunCounts(IngestFixtures.RECORDS_READ, IngestFixtures.ACCEPTED,
        IngestFixtures.QUARANTINED, IngestFixtures.DUPLICATE, 4, 1).withLate(FIXTURE_LATENESS), rerun.counts());
    assertEquals(cleanSilver, silverRows());
    assertEquals(cleanQuarantine, quarantineRows());
    assertDataTestsPass();
  }

  private List<String> silverRows() {
    return spark.sql("select " + SILVER_COLUMNS + " from silver.cost_events order by event_id").collectAsList()
        .stream().map(row -> withoutFixtureFolder(row.mkString("|"))).toList();
  }

  private List<String> quarantineRows() {
    return spark.sql("select reason, detail, event_id, raw, source_file from silver.quarantine"
            + " order by reason, event_id, raw").collectAsList()
        .stream().map(row -> withoutFixtureFolder(row.mkString("|"))).toList();
  }

  /** Each run gets its own copy of the fixtures: its folder, and Spark's random Parquet part name. */
  private static String withoutFixtureFolder(String row) {
    return row.replaceAll("file:[^|]*-raw/", "").replaceAll("part-00000-[0-9a-f-]+-c000", "part-00000");
  }

  /** Every data test under sql/tests returns zero rows. */
  private void assertDataTestsPass() {
    for (String test : List.of("silver_cost_events_unique_event_id", "silver_cost_events_token_invariants",
        "ops_pipeline_runs_books_balance")) {
      assertEquals(0L, spark.sql(SqlFile.load("tests/" + test + ".sql").text()).count(), test);
    }
  }
}
