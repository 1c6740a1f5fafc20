package dev.costlake.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.lake.Lakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nightly run's table maintenance: VACUUM where it can delete something, skipped where it cannot. */
class MaintenanceTest {
  @TempDir Path tmp;

  @Test
  void onlyTablesOlderThanTheShortestRetentionAreVacuumed() throws IOException {
    // The lakehouse the golden events' first hourly run leaves (shared with RollupJobTest's fixtures).
    RollupFixtures.Fixture f = RollupFixtures.afterFirstHourly(tmp, "maintenance");
    Lakehouse lake = f.lake();
    Instant now = Instant.now();
    org.apache.hadoop.conf.Configuration hadoop = lake.spark().sessionState().newHadoopConf();
    // gold.cost_daily as if created 8 days ago (its first commit's file), ops.rollup_checks 6 days ago.
    age(lake, Lakehouse.COST_DAILY, Duration.ofDays(8));
    age(lake, Lakehouse.ROLLUP_CHECKS, Duration.ofDays(6));
    assertFalse(ScheduledJobs.youngerThanAnyRetention(lake, hadoop, Lakehouse.COST_DAILY, now));
    assertTrue(ScheduledJobs.youngerThanAnyRetention(lake, hadoop, Lakehouse.ROLLUP_CHECKS, now));
    assertTrue(ScheduledJobs.youngerThanAnyRetention(lake, hadoop, Lakehouse.COST_HOURLY, now));

    ScheduledJobs.maintain(lake, f.config(), RollupFixtures.AS_OF_DATE);

    assertEquals(List.of("VACUUM START", "VACUUM END"), vacuums(lake, Lakehouse.COST_DAILY));
    assertEquals(List.of(), vacuums(lake, Lakehouse.ROLLUP_CHECKS));
    assertEquals(List.of(), vacuums(lake, Lakehouse.COST_HOURLY));

    // A table whose first commit's file Delta has cleaned up is older than the log's retention (30 days).
    Files.delete(firstCommit(lake, Lakehouse.COST_HOURLY));
    assertFalse(ScheduledJobs.youngerThanAnyRetention(lake, hadoop, Lakehouse.COST_HOURLY, now));
  }

  private static Path firstCommit(Lakehouse lake, String table) {
    return Path.of(java.net.URI.create(lake.path(table))).resolve("_delta_log/00000000000000000000.json");
  }

  private static void age(Lakehouse lake, String table, Duration age) throws IOException {
    Files.setLastModifiedTime(firstCommit(lake, table), FileTime.from(Instant.now().minus(age)));
  }

  private static List<String> vacuums(Lakehouse lake, String table) {
    return lake.spark().sql("describe history delta.`" + lake.path(table) + "`")
        .where("operation like 'VACUUM%'").orderBy("version").select("operation").as(
            org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }
}
