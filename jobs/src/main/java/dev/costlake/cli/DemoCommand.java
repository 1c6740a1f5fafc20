package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import dev.costlake.generate.GeneratorResult;
import dev.costlake.ingest.Ingest;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.report.RunSummary;
import dev.costlake.report.TablePrinter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `costlake demo`: a month of sample events through every stage that exists, then a summary. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a month of sample events (with some malformed lines and re-sends) into --dir,",
      "run every costlake stage on them (ingest with pricing; a price added and history re-priced),",
      "and print what a person wants to see.",
      "Needs no server: local Spark on local folders."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final String MARKER = ".costlake-demo";
  private static final int TABLE_ROWS = 12;

  @Mixin CommonOptions common;

  @Option(names = "--dir", defaultValue = "costlake-demo",
      description = "Folder for the demo's raw events and lakehouse; recreated on each run. Default: ${DEFAULT-VALUE}.")
  Path dir;

  @Option(names = "--days", defaultValue = "30", description = "Days of events. Default: ${DEFAULT-VALUE}.")
  int days;

  @Option(names = "--events-per-day", defaultValue = "10000", description = "Events per day on average. Default: ${DEFAULT-VALUE}.")
  long eventsPerDay;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    Path root = dir.toAbsolutePath().normalize();
    recreate(root);
    Path raw = root.resolve("raw");
    Path lakePath = root.resolve("lakehouse");
    CostlakeConfig config = common.config()
        .with(CostlakeConfig.RAW_PATH, raw.toString())
        .with(CostlakeConfig.LAKE_PATH, lakePath.toString());

    out.printf("== 1. generate: %d days x %,d events/day of sample traffic -> %s%n", days, eventsPerDay, raw);
    GeneratorResult generated = EventGenerator.generate(raw, new GeneratorOptions(
        GenerateCommand.defaultStart(days), days, eventsPerDay, seed, 0.002, 0.005,
        Runtime.getRuntime().availableProcessors()));
    out.printf("   %,d events, plus %,d malformed lines and %,d re-sent duplicates, in %,d files%n",
        generated.eventsWritten(), generated.malformedLines(), generated.duplicateLines(),
        generated.filesWritten());

    out.println("\n== 2. ingest: raw files -> silver.cost_events (validated, deduplicated) + silver.quarantine");
    Lakehouse lake = Sessions.open(config, common.verbose(), "demo");
    RunRecorder.Outcome first = Ingest.run(lake, config, Clock.systemUTC());
    RunSummary.printIngest(first, lake, out);
    if (!first.succeeded()) {
      return Main.EXIT_FAILED;
    }

    out.println("\n== 3. ingest again: only new files are read, nothing is counted twice");
    RunRecorder.Outcome second = Ingest.run(lake, config, Clock.systemUTC());
    out.printf("   second run read %,d files and %,d records; silver.cost_events still holds %,d events%n",
        second.counts().filesRead(), second.counts().recordsRead(),
        lake.spark().table(Lakehouse.COST_EVENTS).count());

    out.println("\n== 4. what it cost (list prices from conf/prices/default.csv; reported costs where a tenant logs them)");
    show(lake, out, "Cost per day (last 7 days)",
        "select event_date, count(*) as requests, " + usd("sum(cost_usd_nanos)") + " as cost_usd,"
            + " sum(input_tokens) as input_tokens, sum(cached_input_tokens) as cached_input_tokens,"
            + " sum(output_tokens) as output_tokens from silver.cost_events group by event_date"
            + " order by event_date desc limit 7");
    show(lake, out, "Cost by model, and how each was priced",
        "select model, pricing_status, price_match, count(*) as requests, " + usd("sum(cost_usd_nanos)") + " as cost_usd,"
            + " " + usd("sum(list_cost_usd_nanos)") + " as list_cost_usd"
            + " from silver.cost_events group by model, pricing_status, price_match order by cost_usd desc nulls last");
    show(lake, out, "Top features by cost",
        "select feature, count(*) as requests, " + usd("sum(cost_usd_nanos)") + " as cost_usd,"
            + " count(distinct user_id) as users from silver.cost_events"
            + " group by feature order by cost_usd desc limit 5");
    show(lake, out, "Cost by tenant: list price vs what the tenant reported (globex logs its own cost)",
        "select tenant_id, count(*) as requests, " + usd("sum(list_cost_usd_nanos)") + " as list_cost_usd,"
            + " " + usd("sum(reported_cost_usd_nanos)") + " as reported_cost_usd, " + usd("sum(cost_usd_nanos)") + " as cost_usd"
            + " from silver.cost_events group by tenant_id order by cost_usd desc");
    show(lake, out, "Quarantine: what was kept out, and why (one example each)",
        "select reason, count(*) as records, min_by(detail, raw) as example_detail"
            + " from silver.quarantine group by reason order by records desc");

    out.println("\n== 5. an unpriced model: never $0, listed, then priced and history restated");
    show(lake, out, "costlake prices missing", dev.costlake.lake.SqlFile.load("reports/prices_missing.sql").text());
    java.time.LocalDate firstDate = GenerateCommand.defaultStart(days);
    java.time.LocalDate lastDate = firstDate.plusDays(days - 1L);
    Path myPrices = root.resolve("my-prices.csv");
    Files.writeString(myPrices, String.join(",", PriceCatalog.COLUMNS) + "\n"
        + "openai," + EventGenerator.FINE_TUNED_MODEL + ",chat,standard,2024-07-18,,0.30,0.15,,1.20,,,,,,,"
        + "fine-tuned gpt-4o-mini inference\n");
    out.printf("%n   added its price in %s (prices.catalog), then: costlake reprice --from %s --to %s%n", myPrices,
        firstDate, lastDate);
    CostlakeConfig priced = config.with(CostlakeConfig.PRICES_CATALOG, myPrices.toString());
    PriceCatalog catalog = Pricing.checkedCatalog(priced);
    RunRecorder.Outcome reprice = RepriceCommand.Reprice.run(lake, priced, catalog, Clock.systemUTC(),
        firstDate, lastDate);
    RepriceCommand.Reprice.print(reprice, lake, firstDate, lastDate, catalog);
    if (!reprice.succeeded()) {
      return Main.EXIT_FAILED;
    }
    RunRecorder.Outcome again = RepriceCommand.Reprice.run(lake, priced, catalog, Clock.systemUTC(),
        firstDate, lastDate);
    out.printf("   the same reprice again: %,d events re-priced (idempotent)%n", again.counts().recordsAccepted());

    out.println("\n== 6. the run log");
    show(lake, out, "ops.pipeline_runs",
        "select job, status, records_read, records_accepted, records_quarantined, records_duplicate,"
            + " records_unpriced, files_read, round((unix_millis(ended_at) - unix_millis(started_at)) / 1000.0, 1) as seconds"
            + " from ops.pipeline_runs order by started_at");

    out.printf("%nExplore it yourself:%n  bin/costlake sql --set lake.path=%s \"select * from silver.cost_events limit 10\"%n", lakePath);
    return 0;
  }

  /** USD nanos as an exact decimal rounded to the cent, for display. */
  private static String usd(String nanos) {
    return "cast(round(cast(" + nanos + " as decimal(38,0)) / 1000000000, 2) as decimal(20,2))";
  }

  private static void show(Lakehouse lake, PrintStream out, String title, String sql) {
    out.println("\n-- " + title);
    TablePrinter.print(lake.spark().sql(sql), TablePrinter.Format.TABLE, TABLE_ROWS, out);
  }

  /** Deletes a previous demo folder (only one this command made) and creates it afresh. */
  private static void recreate(Path root) throws IOException {
    if (Files.exists(root)) {
      if (!Files.exists(root.resolve(MARKER))) {
        throw new IllegalArgumentException("--dir " + root + " exists and was not made by costlake demo;"
            + " choose another folder");
      }
      BenchCommand.deleteRecursively(root);
    }
    Files.createDirectories(root);
    Files.writeString(root.resolve(MARKER), "made by costlake demo; deleted and recreated by the next demo run\n");
  }
}
