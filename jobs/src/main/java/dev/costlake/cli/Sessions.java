package dev.costlake.cli;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.PriceList;
import dev.costlake.spark.Logging;
import dev.costlake.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

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
    registerPriceList(lake, config);
    return lake;
  }

  /**
   * A session for one statement: only the tables it names (and price_list if it names it), since
   * every table registered costs a Delta log read; a statement that is not a query gets them all.
   */
  static Lakehouse openForStatement(CostlakeConfig config, boolean verbose, String job, String statement)
      throws org.apache.spark.sql.catalyst.parser.ParseException {
    Logging.configure(verbose);
    SparkSession spark = SparkSessions.getOrCreate(config, "costlake " + job);
    java.util.Optional<java.util.Set<String>> named = QueryTables.named(spark, statement);
    if (named.isEmpty()) {
      Lakehouse lake = Lakehouse.open(spark, config);
      registerPriceList(lake, config);
      return lake;
    }
    // price_list is the catalog's view, not a lakehouse table.
    Lakehouse lake = Lakehouse.open(spark, config,
        named.get().stream().filter(name -> !name.equals(PriceList.VIEW)).toList());
    if (named.get().contains(PriceList.VIEW)) {
      registerPriceList(lake, config);
    }
    return lake;
  }

  private static void registerPriceList(Lakehouse lake, CostlakeConfig config) {
    PriceList.register(lake.spark(), PriceCatalog.load(config.pricesCatalog()));
  }
}
