package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.report.RunSummary;
import dev.costlake.rollup.ScheduledJobs;
import dev.costlake.spark.Logging;
import dev.costlake.spark.SparkSessions;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `costlake upgrade`: brings a lakehouse written by an earlier costlake to today's tables. */
@Command(
    name = "upgrade",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuild rollups of an earlier grain from silver.",
      "",
      "Rollups with a row per user (gold.cost_hourly, gold.cost_daily) are deleted and rebuilt, with",
      "gold.cost_daily_by_user and the tables derived from them, for every date silver holds; silver is",
      "not changed. Other commands refuse such a lakehouse and name this one. A current lakehouse is left",
      "as it is. Afterwards `costlake publish` refreshes PostgreSQL (its migration changes the grain there)."
    })
public final class UpgradeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    CostlakeConfig config = common.config();
    Logging.configure(common.verbose());
    Lakehouse.Upgrade upgrade = Lakehouse.openForUpgrade(SparkSessions.getOrCreate(config, "costlake upgrade"), config);
    Lakehouse lake = upgrade.lake();
    if (!upgrade.wasOldGrain()) {
      System.out.println("costlake upgrade: the lakehouse at " + config.lakePath() + " is current; nothing to do");
      return 0;
    }
    Row range = lake.spark().sql("select min(event_date), max(event_date) from " + Lakehouse.COST_EVENTS).first();
    if (range.isNullAt(0)) {
      System.out.println("costlake upgrade: " + String.join(", ", Lakehouse.REGRAINED_TABLES)
          + " recreated at the new grain; silver is empty, so there is nothing to rebuild");
      return 0;
    }
    LocalDate from = range.getDate(0).toLocalDate();
    LocalDate to = range.getDate(1).toLocalDate();
    System.out.println("costlake upgrade: rebuilding the gold rollups at the new grain (no user in gold.cost_hourly"
        + " and gold.cost_daily; users in gold.cost_hourly_by_user and gold.cost_daily_by_user) for " + from
        + " to " + to + " from silver.cost_events");
    RunRecorder.Outcome outcome = ScheduledJobs.backfill(lake, config, Clock.systemUTC(), from, to,
        LocalDate.now(ZoneOffset.UTC));
    RunSummary.printRollups(outcome, lake, System.out);
    return outcome.succeeded() ? 0 : Main.EXIT_FAILED;
  }
}
