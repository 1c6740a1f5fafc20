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
}
