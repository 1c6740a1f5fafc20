package dev.costlake.schedule;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.Pricing;
import dev.costlake.rollup.ScheduledJobs;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The jobs `costlake serve` runs in its one session: ScheduledJobs' hourly and nightly, exactly as
 * `costlake hourly` and `costlake nightly` run them. The price catalog is read again for every run,
 * so a changed prices.catalog file applies from the next run without a restart.
 */
public record ServeJobs(Lakehouse lake, CostlakeConfig config, Clock clock) implements Scheduler.Jobs {
  @Override
  public RunRecorder.Outcome hourly(Instant asOf) {
    return ScheduledJobs.hourly(lake, config, Pricing.checkedCatalog(config), clock, asOf);
  }

  @Override
  public RunRecorder.Outcome nightly(LocalDate asOf, int rebuildDays) {
    return ScheduledJobs.nightly(lake, config, Pricing.checkedCatalog(config), clock, asOf, rebuildDays);
  }
}
