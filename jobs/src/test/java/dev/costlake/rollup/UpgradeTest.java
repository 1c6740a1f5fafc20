package dev.costlake.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.ConfigException;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.testing.Folders;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lakehouse whose rollups an earlier costlake wrote with a row per user: refused, then upgraded. */
class UpgradeTest {
  @TempDir Path tmp;

  @Test
  void userGrainRollupsAreRefusedUntilUpgradeRebuildsThemFromSilverAsANewRunWould() throws IOException {
    RollupFixtures.Fixture fixture = RollupFixtures.afterFirstHourly(tmp, "upgrade");
    Map<String, List<String>> expected = RollupFixtures.snapshot(fixture.lake());
    SparkSession spark = fixture.lake().spark();

    // gold.cost_hourly as costlake wrote it before the rollups dropped the user.
    String hourly = fixture.lake().path(Lakehouse.COST_HOURLY);
    Folders.deleteRecursively(Path.of(URI.create(hourly)));
    spark.sql("select event_date, event_hour, tenant_id, feature, user_id, model, count(*) as requests"
            + " from silver.cost_events group by event_date, event_hour, tenant_id, feature, user_id, model")
        .write().format("delta").partitionBy("event_date").save(hourly);

    ConfigException refused = assertThrows(ConfigException.class, () -> TestSpark.lake(fixture.config()));
    assertTrue(refused.getMessage().contains("earlier grain (a row per user in gold.cost_hourly and gold.cost_daily"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("Run `costlake upgrade` once"), refused.getMessage());

    Lakehouse.Upgrade upgrade = Lakehouse.openForUpgrade(spark, fixture.config());
    assertTrue(upgrade.wasOldGrain());
    assertEquals(0, upgrade.lake().table(Lakehouse.COST_HOURLY).count());
    // What `costlake upgrade` runs: every date of silver rebuilt (here as of the fixture's run date).
    RunRecorder.Outcome rebuilt = ScheduledJobs.backfill(upgrade.lake(), fixture.config(), RollupFixtures.CLOCK,
        LocalDate.parse("2026-11-09"), LocalDate.parse("2026-11-20"), RollupFixtures.AS_OF_DATE);
    assertTrue(rebuilt.succeeded(), () -> String.valueOf(rebuilt.error()));
    assertEquals(expected, RollupFixtures.snapshot(upgrade.lake()));

    // Upgraded, the lakehouse opens as usual, and upgrading again changes nothing.
    assertFalse(Lakehouse.openForUpgrade(spark, fixture.config()).wasOldGrain());
    assertEquals(expected, RollupFixtures.snapshot(TestSpark.lake(fixture.config())));
  }
}
