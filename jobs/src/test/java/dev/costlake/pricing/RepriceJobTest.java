package dev.costlake.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.ingest.Ingest;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunCounts;
import dev.costlake.ops.RunRecorder;
import dev.costlake.testing.TestSpark;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restatement: a catalog change re-prices a window atomically, is recorded per model, and is idempotent. */
class RepriceJobTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
  private static final String HEADER = String.join(",", PriceCatalog.COLUMNS) + "\n";
  /** v1: model-a at $2.00/$8.00; mystery-model and model-b have no price. */
  private static final String V1 = HEADER + "acme,model-a,chat,standard,2026-01-01,,2.00,,,8.00,,,,,,,\n";
  /** v2: model-a cut to $1.00/$4.00 from 2026-10-02; mystery-model gets a price. */
  private static final String V2 = HEADER
      + "acme,model-a,chat,standard,2026-01-01,2026-10-02,2.00,,,8.00,,,,,,,\n"
      + "acme,model-a,chat,standard,2026-10-02,,1.00,,,4.00,,,,,,,price cut\n"
      + "acme,mystery-model,chat,standard,2026-01-01,,0.50,,,1.50,,,,,,,added\n";
  private static final LocalDate FROM = LocalDate.parse("2026-10-01");
  private static final LocalDate TO = LocalDate.parse("2026-10-02");

  @TempDir Path tmp;
  private final SparkSession spark = TestSpark.session();

  private static String event(String id, String time, String model, long in, long out, String extra) {
    return "{\"event_id\":\"" + id + "\",\"event_time\":\"" + time + "\",\"model\":\"" + model + "\",\"input_tokens\":" + in
        + ",\"output_tokens\":" + out + extra + "}\n";
  }

  private CostlakeConfig config(String catalog) throws IOException {
    Path file = tmp.resolve("catalog-" + catalog.hashCode() + ".csv");
    Files.writeString(file, catalog);
    return TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of("prices.catalog", file.toString()));
  }

  /** Ingests six events with catalog v1. */
  private Lakehouse ingested() throws IOException {
    Files.createDirectories(tmp.resolve("raw"));
    Files.writeString(tmp.resolve("raw/events.jsonl"),
        event("e1", "2026-10-01T10:00:00Z", "model-a", 1_000, 100, "")          // 2,800,000 nanos
            + event("e2", "2026-10-02T10:00:00Z", "model-a", 2_000, 0, "")      // 4,000,000
            + event("e3", "2026-10-03T10:00:00Z", "model-a", 1_000, 0, "")      // 2,000,000 (outside the window)
            + event("e4", "2026-09-15T10:00:00Z", "mystery-model", 1_000, 1_000, "") // unpriced, before the window
            + event("e5", "2026-10-02T11:00:00Z", "mystery-model", 1_000, 0, "")     // unpriced, in the window
            + event("e6", "2026-10-01T12:00:00Z", "model-b", 10, 10, ",\"cost_usd\":0.000000777")); // reported only
    CostlakeConfig v1 = config(V1);
    Lakehouse lake = TestSpark.lake(v1);
    RunRecorder.Outcome ingest = Ingest.run(lake, v1, CLOCK);
    assertTrue(ingest.succeeded(), () -> "ingest failed: " + ingest.error());
    assertEquals(Map.of("mystery-model", 2L), ingest.counts().unpricedByModel());
    Row run = lake.table(Lakehouse.PIPELINE_RUNS).where("job = 'ingest'")
        .selectExpr("records_unpriced", "to_json(unpriced_models)").first();
    assertEquals(2L, run.getLong(0));
    assertEquals("{\"mystery-model\":2}", run.getString(1));
    return lake;
  }

  private Map<String, String> silver(Lakehouse lake) {
    Map<String, String> rows = new TreeMap<>();
    for (Row r : lake.table(Lakehouse.COST_EVENTS).selectExpr("event_id",
        "concat_ws(' ', pricing_status, coalesce(cast(list_cost_usd_nanos as string), '-'),"
            + " coalesce(cast(cost_usd_nanos as string), '-'), coalesce(price_id, '-'))").collectAsList()) {
      rows.put(r.getString(0), r.getString(1));
    }
    return rows;
  }

  private static final Map<String, String> BEFORE = Map.of(
      "e1", "priced 2800000 2800000 acme/model-a/chat/standard@2026-01-01",
      "e2", "priced 4000000 4000000 acme/model-a/chat/standard@2026-01-01",
      "e3", "priced 2000000 2000000 acme/model-a/chat/standard@2026-01-01",
      "e4", "unpriced - - -",
      "e5", "unpriced - - -",
      "e6", "reported_only - 777 -");

  private static final Map<String, String> AFTER = Map.of(
      "e1", "priced 2800000 2800000 acme/model-a/chat/standard@2026-01-01",   // same price: untouched
      "e2", "priced 2000000 2000000 acme/model-a/chat/standard@2026-10-02",   // the cut
      "e3", "priced 2000000 2000000 acme/model-a/chat/standard@2026-01-01",   // outside the window: kept
      "e4", "priced 2000000 2000000 acme/mystery-model/chat/standard@2026-01-01", // earlier unpriced: now priced
      "e5", "priced 500000 500000 acme/mystery-model/chat/standard@2026-01-01",
      "e6", "reported_only - 777 -");

  private RepriceJob job(Lakehouse lake, CostlakeConfig config, String runId) {
    return new RepriceJob(lake, config, Pricing.checkedCatalog(config), runId, CLOCK, FROM, TO);
  }

  private List<String> restatements(Lakehouse lake) {
    return lake.table(Lakehouse.PRICE_RESTATEMENTS).selectExpr("concat_ws(' ', status, model, events_repriced,"
            + " events_newly_priced, old_list_cost_usd_nanos, new_list_cost_usd_nanos, old_cost_usd_nanos,"
            + " new_cost_usd_nanos, cast(window_from as string), cast(window_to as string)) as value")
        .orderBy("value").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void aPriceChangeIsRestatedOnceAndRecordedPerModel() throws IOException {
    Lakehouse lake = ingested();
    assertEquals(BEFORE, silver(lake));
    CostlakeConfig v2 = config(V2);

    RunCounts first = job(lake, v2, "r1").execute();
    assertEquals(5, first.recordsRead(), "the window's 4 events and the earlier unpriced one");
    assertEquals(3, first.recordsAccepted(), "events whose price changed");
    assertEquals(AFTER, silver(lake));
    assertEquals(List.of(
            "committed model-a 1 0 4000000 2000000 4000000 2000000 2026-10-01 2026-10-02",
            "committed mystery-model 2 2 0 2500000 0 2500000 2026-10-01 2026-10-02"),
        restatements(lake));
    assertEquals(6_800_000L, totalCost(lake, "model-a"));
    assertEquals(2_500_000L, totalCost(lake, "mystery-model"));

    long version = DeltaTable.forPath(spark, lake.path(Lakehouse.COST_EVENTS)).history(1).first().getLong(0);
    RunCounts second = job(lake, v2, "r2").execute();
    assertEquals(0, second.recordsAccepted(), "the same catalog changes nothing");
    assertEquals(AFTER, silver(lake));
    assertEquals(2, restatements(lake).size(), "nothing recorded for a no-op");
    assertEquals(version, DeltaTable.forPath(spark, lake.path(Lakehouse.COST_EVENTS)).history(1).first().getLong(0),
        "no commit to silver");
  }

  @Test
  void pricesMissingListsTheUnpricedModelsWithTheirVolumes() throws IOException {
    Lakehouse lake = ingested();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code = dev.costlake.Main.commandLine().execute("prices", "missing", "--set", "lake.path=" + tmp.resolve("lake"),
          "--set", "spark.master=local[2]", "--set", "prices.catalog=" + tmp.resolve("catalog-" + V1.hashCode() + ".csv"));
    } finally {
      System.setOut(original);
    }
    assertEquals(0, code);
    assertEquals("model          requests  input_tokens  output_tokens  first_date  last_date\n"
        + "-------------  --------  ------------  -------------  ----------  ----------\n"
        + "mystery-model         2          2000           1000  2026-09-15  2026-10-02\n"
        + "(1 row)\n"
        + "To price the others: add rows to your prices.catalog (or aliases in prices.aliases), `costlake prices check`,"
        + " then `costlake reprice`.\n", out.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aRepriceThatDiesBeforeItsCommitLeavesSilverAloneAndTheNextOneFinishesIt() throws IOException {
    Lakehouse lake = ingested();
    CostlakeConfig v2 = config(V2);

    RepriceJob crashing = job(lake, v2, "dies").beforeMerge(() -> {
      throw new IllegalStateException("simulated crash");
    });
    assertThrows(IllegalStateException.class, crashing::execute);
    assertEquals(BEFORE, silver(lake), "no half-restated window");

    job(lake, v2, "again").execute();
    assertEquals(AFTER, silver(lake));
    List<String> log = restatements(lake);
    assertEquals(List.of(
            "abandoned model-a 1 0 4000000 2000000 4000000 2000000 2026-10-01 2026-10-02",
            "abandoned mystery-model 2 2 0 2500000 0 2500000 2026-10-01 2026-10-02",
            "committed model-a 1 0 4000000 2000000 4000000 2000000 2026-10-01 2026-10-02",
            "committed mystery-model 2 2 0 2500000 0 2500000 2026-10-01 2026-10-02"),
        log);
  }

  private static long totalCost(Lakehouse lake, String model) {
    return lake.table(Lakehouse.COST_EVENTS).where(org.apache.spark.sql.functions.col("model").equalTo(model))
        .selectExpr("sum(cost_usd_nanos)").first().getLong(0);
  }
}
