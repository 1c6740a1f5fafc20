package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import dev.costlake.generate.GeneratorResult;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.report.RunSummary;
import dev.costlake.report.TablePrinter;
import dev.costlake.rollup.ScheduledJobs;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
      "Run every stage on a month of sample events and show the results.",
      "Generates a month of sample events (with some malformed lines and re-sends) into --dir,",
      "run every costlake stage on them (hourly: ingest with pricing and rollups; nightly; a price added",
      "and history re-priced with its rollups rebuilt),",
      "and print what a person wants to see.",
      "Needs no server: local Spark on local folders. With postgres.url set, it also publishes to",
      "PostgreSQL and prints how to point Metabase at it."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final String MARKER = ".costlake-demo";
  private static final int TABLE_ROWS = 12;
  private static final double DAILY_GROWTH = 0.005;
  private static final double DAILY_NOISE = 0.08;

  /** As many labelled anomalies as the month has room for (the generator needs 15 quiet days first). */
  static int anomalyCount(int days) {
    return days >= 29 ? 6 : days >= 22 ? 1 : 0;
  }

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

  private long stageStarted;
  private long demoStarted;

  /** Prints how long the stage that just ended took (wall time), and starts timing the next. */
  private void lap(PrintStream out) {
    long now = System.nanoTime();
    out.printf("   [stage took %.1f s; %.1f s so far]%n", (now - stageStarted) / 1e9, (now - demoStarted) / 1e9);
    stageStarted = now;
  }

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    Path root = dir.toAbsolutePath().normalize();
    recreate(root);
    Path raw = root.resolve("raw");
    Path lakePath = root.resolve("lakehouse");
    CostlakeConfig config = common.config()
        .with(CostlakeConfig.RAW_PATH, raw.toString())
        .with(CostlakeConfig.LAKE_PATH, lakePath.toString())
        // The sample traffic spends tens of dollars a day, so an hour's incident is a dollar or two.
        .with(CostlakeConfig.ANOMALIES_MIN_IMPACT_USD, "1");

    stageStarted = System.nanoTime();
    demoStarted = stageStarted;
    out.printf("== 1. generate: %d days x %,d events/day of sample traffic -> %s%n", days, eventsPerDay, raw);
    // Growth and day-to-day noise for the forecasts; labelled anomalies for the detector to find.
    GeneratorResult generated = EventGenerator.generate(raw, new GeneratorOptions(
        GenerateCommand.defaultStart(days), days, eventsPerDay, seed, 0.002, 0.005,
        Runtime.getRuntime().availableProcessors())
        .withDailyGrowth(DAILY_GROWTH).withDailyNoise(DAILY_NOISE).withAnomalies(anomalyCount(days)));
    out.printf("   %,d events, plus %,d malformed lines and %,d re-sent duplicates, in %,d files%n",
        generated.eventsWritten(), generated.malformedLines(), generated.duplicateLines(),
        generated.filesWritten());
    if (!generated.anomalyLabels().isEmpty()) {
      out.printf("   %d anomalies injected (%,d events added, %,d dropped), labelled in %s%n",
          generated.anomalyLabels().size(), generated.injectedEvents(), generated.droppedEvents(),
          generated.labelsFile());
    }

    lap(out);
    out.println("\n== 2. hourly (as of 00:00 UTC today, when the sample traffic ends): ingest raw files ->"
        + "\n      silver.cost_events (validated, deduplicated, priced) + silver.quarantine, then rebuild the gold"
        + "\n      rollups of every hour the new events fall in, judge the last hour and run the hourly alert rules");
    Lakehouse lake = Sessions.open(config, common.verbose(), "demo");
    PriceCatalog builtIn = Pricing.checkedCatalog(config);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    // As of midnight UTC, when the sample traffic ends: the hour the hourly rules judge is then the
    // traffic's last (at the present time they would judge an hour without traffic, and see a drop).
    java.time.Instant midnight = today.atStartOfDay(ZoneOffset.UTC).toInstant();
    RunRecorder.Outcome first = ScheduledJobs.hourly(lake, config, builtIn, Clock.systemUTC(), midnight);
    RunSummary.printIngest(first, lake, out);
    RunSummary.printRollups(first, lake, out);
    if (!first.succeeded()) {
      return Main.EXIT_FAILED;
    }

    lap(out);
    out.println("\n== 3. hourly again: only new files are read, nothing is counted twice, nothing to rebuild");
    RunRecorder.Outcome second = ScheduledJobs.hourly(lake, config, builtIn, Clock.systemUTC(), midnight);
    out.printf("   second run read %,d files and %,d records, rebuilt %,d hours; silver.cost_events still holds %,d events%n",
        second.counts().filesRead(), second.counts().recordsRead(),
        second.counts().rollup() == null ? 0 : second.counts().rollup().hours(),
        lake.spark().table(Lakehouse.COST_EVENTS).count());

    lap(out);
    out.printf("%n== 4. nightly --as-of %s: yesterday rebuilt whole and closed, weekly drivers, trend, yesterday judged"
        + "%n      for anomalies, month-end forecasts, OPTIMIZE + VACUUM%n", today);
    config = withDemoBudget(lake, config, today);
    java.util.List<dev.costlake.alert.AlertJob.Summary> alerted = new java.util.ArrayList<>();
    RunRecorder.Outcome nightly = ScheduledJobs.nightly(lake, config, builtIn, Clock.systemUTC(), today, 1,
        alerted::add);
    RunSummary.printRollups(nightly, lake, out);
    out.printf("   nightly took %.1f s%n", nightly.duration().toMillis() / 1000.0);
    if (!nightly.succeeded()) {
      out.println("   error: " + Errors.describe(nightly.error()));
      return Main.EXIT_FAILED;
    }
    RunSummary.printAnomalies(nightly, out);
    RunSummary.printForecast(lake, today, out);
    printAlerts(lake, config, out, today, alerted);
    show(lake, out, "Where this month will land: month-end forecasts of the total and the costliest features (gold.spend_forecast)",
        "select scope_type, scope_value, days_elapsed, " + cents("spend_to_date_usd") + " as spend_to_date_usd, "
            + cents("forecast_p10_usd") + " as p10_usd, " + cents("forecast_p50_usd") + " as p50_usd, "
            + cents("forecast_p90_usd") + " as p90_usd, " + cents("baseline_forecast_usd") + " as burn_rate_usd, method"
            + " from gold.spend_forecast where as_of_date = date'" + today + "' and scope_type in ('total', 'feature')"
            + " order by scope_type desc, forecast_p50_usd desc", 6);

    lap(out);
    out.println("\n== 5. what it cost, from the gold tables (list prices from conf/prices/default.csv; reported costs where a tenant logs them)");
    show(lake, out, "Cost per day, last 7 days (gold.cost_daily_total)",
        "select event_date, requests, " + cents("cost_usd") + " as cost_usd, input_tokens, cached_input_tokens,"
            + " output_tokens, " + cents("cost_per_request_usd", 6) + " as usd_per_request,"
            + " unpriced_requests from gold.cost_daily_total order by event_date desc limit 7");
    show(lake, out, "Top 5 cost drivers of the last complete week, per dimension (gold.top_cost_drivers)",
        "select iso_week, dimension, rank, value, " + cents("cost_usd") + " as cost_usd, share_of_week_pct,"
            + " " + cents("change_usd") + " as change_vs_prev_week_usd, change_pct"
            + " from gold.top_cost_drivers where week_start = (select max(week_start) from gold.top_cost_drivers"
            + " where week_start <= date_sub(current_date(), 7)) and dimension in ('feature', 'model', 'tenant')"
            + " order by dimension, rank", 15);
    show(lake, out, "Daily cost per request, with its 7-day moving figure, of the costliest feature (gold.cost_per_request_trend)",
        "select event_date, value as feature, requests, " + cents("cost_usd") + " as cost_usd,"
            + " " + cents("cost_per_request_usd", 6) + " as usd_per_request,"
            + " " + cents("cost_per_request_7d_usd", 6) + " as usd_per_request_7d,"
            + " " + cents("cost_per_1k_tokens_7d_usd", 6) + " as usd_per_1k_tokens_7d"
            + " from gold.cost_per_request_trend where dimension = 'feature' and value = (select feature"
            + " from gold.cost_daily_by_feature group by feature order by sum(cost_usd) desc limit 1)"
            + " order by event_date desc limit 10");
    show(lake, out, "Cost by model, and how each was priced (silver.cost_events)",
        "select model, pricing_status, price_match, count(*) as requests, " + usd("sum(cost_usd_nanos)") + " as cost_usd,"
            + " " + usd("sum(list_cost_usd_nanos)") + " as list_cost_usd"
            + " from silver.cost_events group by model, pricing_status, price_match order by cost_usd desc nulls last");
    show(lake, out, "Cost by tenant: list price vs what the tenant reported (globex logs its own cost; gold.cost_daily)",
        "select tenant_id, sum(requests) as requests, " + cents("sum(list_cost_usd)") + " as list_cost_usd,"
            + " " + cents("sum(cost_usd)") + " as cost_usd"
            + " from gold.cost_daily group by tenant_id order by cost_usd desc");
    show(lake, out, "Quarantine: what was kept out, and why (one example each)",
        "select reason, count(*) as records, min_by(detail, raw) as example_detail"
            + " from silver.quarantine group by reason order by records desc");

    LocalDate firstDate = GenerateCommand.defaultStart(days);
    LocalDate lastDate = firstDate.plusDays(days - 1L);
    lap(out);
    out.printf("%n== 6. anomalies: the hourly and nightly jobs judge the last hour and day; here every hour and day of"
        + "%n      the month is judged at once (costlake anomalies detect --from %s --to %s)%n", firstDate, lastDate);
    RunRecorder.Outcome detected = AnomaliesCommand.Detect.run(lake, config, builtIn, Clock.systemUTC(), firstDate,
        lastDate, java.util.List.of(dev.costlake.anomaly.Grain.HOUR, dev.costlake.anomaly.Grain.DAY));
    if (!detected.succeeded()) {
      out.println("   error: " + Errors.describe(detected.error()));
      return Main.EXIT_FAILED;
    }
    for (dev.costlake.anomaly.AnomalyJob.Result result : detected.counts().anomalies()) {
      RunSummary.printAnomalies(result, out, 0);
    }
    show(lake, out, "The largest anomalies, with what drove them (gold.cost_anomalies)",
        "select grain, period_start, scope_type, scope_value, direction, " + cents("impact_usd") + " as impact_usd,"
            + " round(z_score, 1) as z, top_driver, top_factor, explanation from gold.cost_anomalies"
            + " where direction <> 'new_spend' and scope_type in ('feature', 'tenant')"
            + " order by abs(impact_usd) desc", 10);
    show(lake, out, "How one of them decomposes: the five parts add up to impact_usd",
        "select scope_type, scope_value, period_start, " + cents("impact_usd") + " as impact_usd, "
            + cents("volume_effect_usd") + " as volume, " + cents("mix_effect_usd") + " as mix, "
            + cents("tokens_per_request_effect_usd") + " as tokens_per_req, " + cents("cache_hit_effect_usd")
            + " as cache_hit, " + cents("price_effect_usd") + " as price from gold.cost_anomalies"
            + " where grain = 'hour' and scope_type = 'feature' and direction = 'spike'"
            + " order by abs(mix_effect_usd) + abs(cache_hit_effect_usd) desc, abs(impact_usd) desc", 3);
    out.printf("%n-- The injected anomalies (%s) against what was found: costlake anomalies evaluate --labels %s%n",
        generated.labelsFile(), generated.labelsFile());
    AnomaliesCommand.print(dev.costlake.anomaly.AnomalyEvaluation.score(generated.anomalyLabels(),
        AnomaliesCommand.found(lake)), out);

    lap(out);
    out.println("\n== 7. an unpriced model: never $0, listed, then priced, history restated and rollups rebuilt");
    show(lake, out, "costlake prices missing", dev.costlake.lake.SqlFile.load("reports/prices_missing.sql").text());
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
    RunSummary.printRollups(reprice, lake, out);
    show(lake, out, "The fine-tuned model in gold.cost_daily_by_model after the reprice",
        "select model, sum(requests) as requests, sum(unpriced_requests) as unpriced_requests, "
            + cents("sum(cost_usd)") + " as cost_usd from gold.cost_daily_by_model where model = '"
            + EventGenerator.FINE_TUNED_MODEL + "' group by model");
    RunRecorder.Outcome again = RepriceCommand.Reprice.run(lake, priced, catalog, Clock.systemUTC(),
        firstDate, lastDate);
    out.printf("   the same reprice again: %,d events re-priced (idempotent)%n", again.counts().recordsAccepted());

    lap(out);
    out.println("\n== 8. the run log, and the rollups' books");
    show(lake, out, "ops.pipeline_runs",
        "select job, status, records_read, records_accepted, records_quarantined, records_duplicate,"
            + " records_unpriced, records_late, files_read, rollup_hours, silver_version,"
            + " round((unix_millis(ended_at) - unix_millis(started_at)) / 1000.0, 1) as seconds"
            + " from ops.pipeline_runs order by started_at");
    show(lake, out, "ops.rollup_checks: every run's sums over every gold table vs silver",
        "select run_id, min(window_from) as window_from, max(window_to) as window_to, count(*) as checks,"
            + " count_if(balanced) as balanced from ops.rollup_checks group by run_id order by min(checked_at)");

    dev.costlake.config.PostgresSettings postgres = config.postgres();
    if (postgres != null) {
      lap(out);
      out.printf("%n== 9. publish to PostgreSQL (%s, schema %s): every gold table, for Metabase and Looker%n",
          postgres.url(), postgres.schema());
      PublishCommand.print(new dev.costlake.serve.Publisher(lake, postgres).publish(
          java.util.List.of(dev.costlake.serve.ServingTable.values()), dev.costlake.serve.PublishWindow.ALL,
          java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(java.time.Duration.ofHours(1))),
          postgres, out);
      out.printf("%nPoint Metabase at it (docs/metabase.md): a read-only role per audience, e.g.%n"
          + "  bin/costlake db grant-tenant '*' metabase_admin --password --set postgres.url=%s --set postgres.user=%s"
          + " --set postgres.schema=%s%n"
          + "then Admin > Databases > PostgreSQL with that role, schema %s, and the questions in sql/bi/metabase/.%n",
          postgres.url(), postgres.user(), postgres.schema(), postgres.schema());
    }

    lap(out);
    out.printf("%nExplore it yourself:%n  bin/costlake sql --set lake.path=%s \"select * from silver.cost_events limit 10\"%n", lakePath);
    out.printf("  bin/costlake notebook run notebooks/investigate_anomaly.sql --set lake.path=%s%n"
        + "  (and notebooks/where_could_we_save.sql, notebooks/forecast_review.sql: see notebooks/README.md)%n", lakePath);
    return 0;
  }

  /**
   * Without budgets of the user's, a demo one on all spend: 110% of this month's spend so far, so
   * the month-end forecast is likely to go through it and the alerts have something to say; and a
   * quota on every user.
   */
  static CostlakeConfig withDemoBudget(Lakehouse lake, CostlakeConfig config, LocalDate today) {
    if (!dev.costlake.alert.Budget.all(config).isEmpty()) {
      return config;
    }
    java.math.BigDecimal spent = lake.spark().sql("select coalesce(sum(cost_usd), 0) from gold.cost_daily_total"
        + " where event_date >= date'" + today.withDayOfMonth(1) + "' and event_date < date'" + today + "'")
        .first().getDecimal(0);
    java.math.BigDecimal budget = spent.multiply(new java.math.BigDecimal("1.1"))
        .setScale(0, java.math.RoundingMode.CEILING).max(java.math.BigDecimal.ONE);
    // And a quota on every user: 80% of what the heaviest user spent this month, to the cent, so
    // the heaviest are over it and the next in line near it.
    java.math.BigDecimal heaviest = lake.spark().sql("select coalesce(max(cost_usd), 0) from (select user_id,"
        + " sum(cost_usd) as cost_usd from gold.cost_daily_by_user where event_date >= date'" + today.withDayOfMonth(1)
        + "' and event_date < date'" + today + "' group by user_id)").first().getDecimal(0);
    java.math.BigDecimal quota = heaviest.multiply(new java.math.BigDecimal("0.8"))
        .setScale(2, java.math.RoundingMode.CEILING).max(new java.math.BigDecimal("0.01"));
    // Both keys at once: a budget without its amount would not validate.
    return config.with("budgets.demo-all-up", java.util.Map.of("scope", "all", "monthly-usd", budget.toPlainString()))
        .with("budgets.demo-each-user", java.util.Map.of("scope", "user:*", "monthly-usd", quota.toPlainString()));
  }

  /** Budgets and the alerts the nightly run raised (delivered only where a channel is configured). */
  private static void printAlerts(Lakehouse lake, CostlakeConfig config, PrintStream out, LocalDate today,
      java.util.List<dev.costlake.alert.AlertJob.Summary> alerted) {
    show(lake, out, "Budgets as of " + today + " (gold.budget_status; when you set none, the demo adds"
            + " budgets.demo-all-up and a quota on every user, budgets.demo-each-user: the most used shown)",
        "select budget_name, kind, scope_type, scope_value, " + cents("budget_usd") + " as budget_usd, "
            + cents("spent_usd") + " as spent_usd, pct_used, " + cents("forecast_p50_usd") + " as p50_usd, "
            + cents("forecast_p90_usd") + " as p90_usd, projected_exhaustion_date, status from gold.budget_status"
            + " where as_of_date = date'" + today + "' order by budget_name, pct_used desc, scope_value", 10);
    boolean channels = !dev.costlake.alert.AlertSettings.from(config).channels().isEmpty();
    out.printf("%n-- Alerts the nightly rules raised (gold.alerts; %s)%n", channels
        ? "delivered to the configured channels" : "no channel configured, so none was sent: add one with"
            + " --set alerts.channels.ops.type=slack --set alerts.channels.ops.url=...");
    alerted.forEach(a -> AlertsCommand.printSummary(a, out));
    AlertsCommand.print(lake, true, 20, out);
  }

  /** An exact USD decimal rounded to the cent (or to places), for display. */
  private static String cents(String usd) {
    return cents(usd, 2);
  }

  private static String cents(String usd, int places) {
    return "cast(round(" + usd + ", " + places + ") as decimal(20," + places + "))";
  }

  /** USD nanos as an exact decimal rounded to the cent, for display. */
  private static String usd(String nanos) {
    return "cast(round(cast(" + nanos + " as decimal(38,0)) / 1000000000, 2) as decimal(20,2))";
  }

  private static void show(Lakehouse lake, PrintStream out, String title, String sql) {
    show(lake, out, title, sql, TABLE_ROWS);
  }

  private static void show(Lakehouse lake, PrintStream out, String title, String sql, int rows) {
    out.println("\n-- " + title);
    TablePrinter.print(lake.spark().sql(sql), TablePrinter.Format.TABLE, rows, out);
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
