package dev.costlake.cli;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.spark.Logging;
import dev.costlake.spark.SparkSessions;

/** Starts Spark for a subcommand, after the configuration has been validated. */
final class Sessions {
  private Sessions() {}

  static Lakehouse open(CostlakeConfig config, boolean verbose, String job) {
    Logging.configure(verbose);
    return Lakehouse.open(SparkSessions.getOrCreate(config, "costlake " + job), config);
  }

  /**
   * A session for ad-hoc queries (`sql`, `notebook run`): every table, and the price catalog as the
   * view price_list (the catalog is not a lakehouse table, so queries would otherwise not see it).
   */
  static Lakehouse openForQueries(CostlakeConfig config, boolean verbose, String job) {
    Lakehouse lake = open(config, verbose, job);
    dev.costlake.pricing.PriceList.register(lake.spark(),
        dev.costlake.pricing.PriceCatalog.load(config.pricesCatalog()));
    return lake;
  }
}
