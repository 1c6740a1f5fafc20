package dev.costlake.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.testing.PipelineReference;
import dev.costlake.testing.TestS3;
import dev.costlake.testing.TestSpark;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on object storage: raw events under s3a://bucket/raw and the lakehouse at
 * s3a://bucket/lake, on a real S3 server (S3Proxy on 127.0.0.1), through hourly and nightly, give
 * exactly the tables the same events give in local folders.
 */
class S3PipelineTest {
  /** Every table the two jobs write whose rows do not name a run, a file or a path. */
  static final List<String> TABLES = java.util.stream.Stream.concat(RollupFixtures.GOLD_TABLES.stream(),
      java.util.stream.Stream.of(Lakehouse.COST_ANOMALIES, Lakehouse.SPEND_FORECAST, Lakehouse.SPEND_FORECAST_DAILY,
          Lakehouse.BUDGET_STATUS)).toList();

  @TempDir Path tmp;

  @Test
  void hourlyAndNightlyOnS3GiveExactlyTheTablesOfALocalRun() throws Exception {
    // The local run: hourly then nightly over generated events in local folders.
    PipelineReference.Built reference = PipelineReference.get();
    Map<String, List<String>> local = rows(TestSpark.lake(reference.config(reference.lake(), Map.of())));

    String bucket = TestS3.bucket("costlake-pipeline");
    org.apache.hadoop.fs.Path s3Raw = new org.apache.hadoop.fs.Path(bucket + "/raw");
    FileSystem s3 = s3Raw.getFileSystem(TestSpark.session().sparkContext().hadoopConfiguration());
    s3.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(reference.raw().toUri()), s3Raw);
    CostlakeConfig onS3 = reference.config(tmp.resolve("unused-lake"),
        Map.of("raw.path", bucket + "/raw", "lake.path", bucket + "/lake"));
    Lakehouse lake = TestSpark.lake(onS3);
    PriceCatalog catalog = Pricing.checkedCatalog(onS3);
    succeeded(ScheduledJobs.hourly(lake, onS3, catalog, PipelineReference.CLOCK, PipelineReference.AS_OF));
    succeeded(ScheduledJobs.nightly(lake, onS3, catalog, PipelineReference.CLOCK, PipelineReference.NIGHTLY_AS_OF,
        PipelineReference.REBUILD_DAYS));
    Map<String, List<String>> remote = rows(lake);

    // The runs read the same records: what the generator wrote, accepted, quarantined or dropped.
    assertEquals(local.get("runs"), remote.get("runs"));
    List<String> hourly = remote.get("runs").stream().filter(r -> r.startsWith("hourly|")).toList();
    assertEquals(List.of("hourly|succeeded|" + (reference.eventsWritten() + reference.malformedLines()
        + reference.duplicateLines()) + "|" + reference.eventsWritten() + "|" + reference.malformedLines() + "|"
        + reference.duplicateLines()), hourly);
    assertEquals(String.valueOf(reference.eventsWritten()), remote.get("silver_count").get(0));
    for (Map.Entry<String, List<String>> table : local.entrySet()) {
      assertEquals(table.getValue(), remote.get(table.getKey()), table.getKey() + " differs between disk and S3");
    }
    assertTrue(local.get(Lakehouse.COST_HOURLY).size() > 100, "the fixture fills the hourly rollup");

    // Everything lives in the bucket: tables, their Delta logs and the ingest stream's checkpoint.
    assertTrue(s3.exists(new org.apache.hadoop.fs.Path(bucket + "/lake/silver/cost_events/_delta_log/"
        + "00000000000000000000.json")));
    assertTrue(s3.exists(new org.apache.hadoop.fs.Path(bucket + "/lake/_checkpoints/ingest/offsets/0")));
  }

  /** Every compared table's rows, after hourly then nightly. */
  private static Map<String, List<String>> rows(Lakehouse lake) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String table : TABLES) {
      rows.put(table, RollupFixtures.rows(lake, table));
    }
    rows.put(Lakehouse.COST_EVENTS, strings(lake, "select * except (source_file, ingest_run_id, ingest_batch_id)"
        + " from silver.cost_events"));
    rows.put(Lakehouse.QUARANTINE, strings(lake, "select reason, detail, event_id, raw, ingested_at"
        + " from silver.quarantine"));
    rows.put("runs", strings(lake, "select job, status, records_read, records_accepted, records_quarantined,"
        + " records_duplicate from ops.pipeline_runs"));
    rows.put("silver_count", strings(lake, "select count(*) from silver.cost_events"));
    return rows;
  }

  private static List<String> strings(Lakehouse lake, String query) {
    return lake.spark().sql(query).collectAsList().stream().map(row -> row.mkString("|")).sorted().toList();
  }

  private static void succeeded(RunRecorder.Outcome outcome) {
    assertTrue(outcome.succeeded(), () -> outcome.job() + " failed: " + outcome.error());
  }
}
