package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.ingest.Ingest;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.report.RunSummary;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `costlake ingest`: new raw files → silver.cost_events and silver.quarantine, exactly once. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest new raw events from raw.path into silver.cost_events.",
      "Reads the raw cost events not ingested before; invalid records and conflicting re-sends go to",
      "silver.quarantine with a reason.",
      "Exits 1 if the run fails or its books (read = accepted + quarantined + duplicate) do not balance."
    })
public final class IngestCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    CostlakeConfig config = common.config();
    // A catalog with errors stops the run before Spark starts.
    PriceCatalog catalog = Pricing.checkedCatalog(config);
    Lakehouse lake = Sessions.open(config, common.verbose(), "ingest");
    RunRecorder.Outcome outcome = Ingest.run(lake, config, catalog, Clock.systemUTC());
    RunSummary.printIngest(outcome, lake, System.out);
    return outcome.succeeded() && outcome.counts().balanced() ? 0 : Main.EXIT_FAILED;
  }
}
