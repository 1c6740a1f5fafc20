package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.pricing.CatalogCheck;
import dev.costlake.pricing.CatalogProblem;
import dev.costlake.pricing.LitellmImport;
import dev.costlake.pricing.ModelMatcher;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.PriceRow;
import dev.costlake.report.TablePrinter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `costlake prices`: the price catalog — lint it, explain a price, list what is unpriced, import LiteLLM's. */
@Command(
    name = "prices",
    mixinStandardHelpOptions = true,
    description = {"Check, explain and import the effective-dated price catalog.",
        "The catalog jobs use is conf/prices/default.csv + prices.catalog."},
    subcommands = {PricesCommand.Check.class, PricesCommand.Show.class, PricesCommand.Missing.class,
        PricesCommand.ImportLitellm.class})
public final class PricesCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Lint a price catalog and exit 1 if it has errors.",
          "Finds overlapping or gapped periods, negative prices, a cached price above the",
          "input price, a price 1000x off its family (per-token vs per-1M), unreadable rows.",
          "Without CATALOG: the catalog jobs use (built-in + prices.catalog). Exits 1 on errors."})
  public static final class Check implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "CATALOG", description = "A catalog CSV file to check on its own.")
    Path file;

    @Override
    public Integer call() {
      PriceCatalog catalog = file != null ? PriceCatalog.read(file) : PriceCatalog.load(common.config().pricesCatalog());
      List<CatalogProblem> problems = CatalogCheck.check(catalog);
      problems.forEach(System.out::println);
      long errors = problems.stream().filter(p -> p.severity() == CatalogProblem.Severity.ERROR).count();
      System.out.printf("%s: %,d rows, %,d models, version %s: %d errors, %d warnings%n",
          String.join(" + ", catalog.sources()), catalog.rows().size(), catalog.models().size(), catalog.version(),
          errors, problems.size() - errors);
      return errors > 0 ? Main.EXIT_FAILED : 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Explain which catalog row prices MODEL at a time, and why.")
  public static final class Show implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "MODEL", description = "A model name as events report it (gpt-4o-2024-08-06, openai/gpt-4o, ...).")
    String model;

    @Option(names = "--at", paramLabel = "TIME", description = "A date (2024-09-01) or timestamp (2024-09-01T12:00:00Z). Default: now.")
    String at;

    @Option(names = "--tier", defaultValue = "standard", description = "Service tier: standard, batch, flex, priority. Default: ${DEFAULT-VALUE}.")
    String tier;

    @Option(names = "--operation", defaultValue = "chat", description = "chat, completion, embedding, fine_tune, ... Default: ${DEFAULT-VALUE}.")
    String operation;

    @Override
    public Integer call() {
      CostlakeConfig config = common.config();
      PriceCatalog catalog = PriceCatalog.load(config.pricesCatalog());
      Instant when = parseInstant(at);
      String op = operation.equalsIgnoreCase("completion") ? "chat" : operation.toLowerCase(java.util.Locale.ROOT);
      Optional<ModelMatcher.Match> match = new ModelMatcher(catalog.models(), config.priceAliases()).match(model);
      if (match.isEmpty()) {
        System.out.println(model + ": no catalog price matches (tried: exact name, prices.aliases, dated snapshot"
            + " -> family, provider prefix). Events of this model are kept as unpriced (never $0).");
        System.out.println("Add a row to your prices.catalog, or an alias in prices.aliases, then run `costlake reprice`.");
        return Main.EXIT_FAILED;
      }
      ModelMatcher.Match m = match.get();
      System.out.println(model + " -> " + m.catalogModel() + " (" + m.rule() + ": " + m.steps() + ")");
      List<PriceRow> periods = new ArrayList<>(catalog.rows().stream()
          .filter(r -> r.model().equals(m.catalogModel()) && r.operation().equals(op)).toList());
      periods.sort(Comparator.comparing(PriceRow::serviceTier).thenComparing(PriceRow::validFrom));
      PriceRow chosen = pick(periods, tier.toLowerCase(java.util.Locale.ROOT), when);
      PriceRow standard = pick(periods, "standard", when);
      PriceRow used = chosen != null ? chosen : standard;
      for (PriceRow r : periods) {
        System.out.printf("  %s %-8s %s .. %-10s  in %s  cached %s  write %s  out %s  reasoning %s%s   %s%n",
            r == used ? "=>" : "  ", r.serviceTier(), render(r.validFrom()), r.validTo() == null ? "" : render(r.validTo()),
            usd(r.inputUsdPer1m()), usd(r.cachedInputUsdPer1m()), usd(r.cacheWriteUsdPer1m()), usd(r.outputUsdPer1m()),
            usd(r.reasoningUsdPer1m()),
            r.longContextThresholdTokens() == null ? "" : "  above " + r.longContextThresholdTokens() + " input tokens: in "
                + usd(r.longContextInputUsdPer1m()) + " out " + usd(r.longContextOutputUsdPer1m()),
            r.origin());
      }
      if (used == null) {
        System.out.println("No " + op + " row is in force at " + when + ": events then are unpriced.");
        return Main.EXIT_FAILED;
      }
      System.out.println("At " + when + ", " + tier + " " + op + " uses " + used.priceId()
          + (chosen == null ? " (no " + tier + " row: the standard price applies)" : "")
          + "; prices are USD per 1M tokens; empty cached/write prices fall back to the input price,"
          + " reasoning to the output price.");
      return 0;
    }

    private static PriceRow pick(List<PriceRow> rows, String tier, Instant when) {
      return rows.stream().filter(r -> r.serviceTier().equals(tier) && r.coversInstant(when)).findFirst().orElse(null);
    }

    private static String usd(BigDecimal price) {
      return price == null ? "-" : "$" + price.stripTrailingZeros().toPlainString();
    }

    private static String render(Instant instant) {
      return instant.atOffset(ZoneOffset.UTC).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
          ? instant.atOffset(ZoneOffset.UTC).toLocalDate().toString() : instant.toString();
    }
  }

  static Instant parseInstant(String text) {
    if (text == null) {
      return Instant.now();
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(text).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("--at " + text + ": not a date (2024-09-01) or a timestamp with an offset");
    }
  }

  @Command(name = "missing", mixinStandardHelpOptions = true,
      description = {"List the models of unpriced events, with requests and tokens.",
          "Reads silver.cost_events; each model with its requests and token volumes."})
  public static final class Missing implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      CostlakeConfig config = common.config();
      PriceCatalog catalog = PriceCatalog.load(config.pricesCatalog());
      ModelMatcher matcher = new ModelMatcher(catalog.models(), config.priceAliases());
      Lakehouse lake = Sessions.open(config, common.verbose(), "prices missing");
      var unpriced = lake.spark().sql(dev.costlake.lake.SqlFile.load("reports/prices_missing.sql").text());
      List<org.apache.spark.sql.Row> rows = unpriced.collectAsList();
      if (rows.isEmpty()) {
        System.out.println("Every event in silver.cost_events has a price (or a reported cost).");
        return 0;
      }
      // Printed from the collected rows: the report scans silver once.
      TablePrinter.print(lake.spark().createDataFrame(rows, unpriced.schema()), TablePrinter.Format.TABLE, 1000,
          System.out);
      for (org.apache.spark.sql.Row row : rows) {
        matcher.match(row.getString(0)).ifPresent(m -> System.out.println(
            row.getString(0) + " now matches " + m.catalogModel() + ": run `costlake reprice --from "
                + row.getDate(4) + " --to " + row.getDate(5) + "` to price its events"));
      }
      System.out.println("To price the others: add rows to your prices.catalog (or aliases in prices.aliases),"
          + " `costlake prices check`, then `costlake reprice`.");
      return 0;
    }
  }

  @Command(name = "import-litellm", mixinStandardHelpOptions = true,
      description = {"Convert LiteLLM's price map into a checked catalog.",
          "The catalog it writes passes `prices check`.",
          "Per-token prices become per-1M; *_batches/_flex/_priority keys become tier rows.",
          "Built-in models: LiteLLM's price from --valid-from, the built-in one before.",
          "Other models: LiteLLM's price since 1970-01-01, the only one known.",
          "Entries it leaves out are listed, with why, in CATALOG's NAME.excluded.csv."})
  public static final class ImportLitellm implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "LiteLLM's model_prices_and_context_window.json.")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "CATALOG", description = "The catalog CSV to write.")
    Path out;

    @Option(names = "--valid-from", paramLabel = "DATE",
        description = "When LiteLLM's prices replace the built-in ones of the models both price (LiteLLM's file"
            + " has no dates). Default: today (UTC).")
    LocalDate validFrom;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(file + " does not exist or is not a file");
      }
      LocalDate from = validFrom != null ? validFrom : LocalDate.now(ZoneOffset.UTC);
      Instant fromInstant = from.atStartOfDay(ZoneOffset.UTC).toInstant();
      PriceCatalog builtIn = PriceCatalog.builtIn();
      LitellmImport.Result result = LitellmImport.run(file, fromInstant, builtIn);
      LitellmImport.write(result, file, fromInstant, out);
      System.out.printf("imported %,d entries as %,d rows (tiers counted separately) into %s%n",
          result.entriesImported(), result.rows().size(), out);
      Map<LitellmImport.History, Integer> history = result.modelsByHistory();
      System.out.printf("  %,6d models the built-in catalog prices by name: LiteLLM's price from %s, the built-in"
          + " one before%n", history.get(LitellmImport.History.BUILT_IN_BEFORE), from);
      System.out.printf("  %,6d models the built-in catalog prices by a snapshot or provider-prefix rule: LiteLLM's"
          + " price from %s, that built-in price copied before%n",
          history.get(LitellmImport.History.BUILT_IN_MATCH_COPIED_BEFORE), from);
      System.out.printf("  %,6d models with no earlier price: LiteLLM's price since %s%n",
          history.get(LitellmImport.History.SINCE_ALWAYS), LitellmImport.SINCE_ALWAYS.toString().substring(0, 10));
      for (Map.Entry<String, String> e : result.renamed().entrySet()) {
        System.out.printf("renamed %s -> %s: the built-in catalog prices %s under another provider%n",
            e.getKey(), e.getValue(), e.getKey().toLowerCase(java.util.Locale.ROOT));
      }
      System.out.printf("left out %,d entries, listed with why in %s:%n",
          result.entriesSkipped() + result.excluded().size(), LitellmImport.excludedFile(out));
      for (Map.Entry<String, List<String>> e : result.skippedByReason().entrySet()) {
        List<String> keys = e.getValue();
        System.out.printf("  %,6d  %s  (e.g. %s)%n", keys.size(), e.getKey(),
            String.join(", ", keys.subList(0, Math.min(3, keys.size()))));
      }
      if (!result.excluded().isEmpty()) {
        System.out.printf("  %,6d  rejected by prices check:%n", result.excluded().size());
        result.excluded().forEach((key, reason) -> System.out.printf("          %s: %s%n", key, reason));
      }
      List<CatalogProblem> alone = CatalogCheck.check(PriceCatalog.read(out));
      List<CatalogProblem> merged = CatalogCheck.check(builtIn.overlaidBy(PriceCatalog.read(out)));
      long errors = Stream.concat(alone.stream(), merged.stream())
          .filter(p -> p.severity() == CatalogProblem.Severity.ERROR).count();
      System.out.printf("prices check on the result: %d errors, %d warnings; with the built-in catalog: %d errors%s%n",
          alone.stream().filter(p -> p.severity() == CatalogProblem.Severity.ERROR).count(),
          alone.stream().filter(p -> p.severity() == CatalogProblem.Severity.WARNING).count(),
          merged.stream().filter(p -> p.severity() == CatalogProblem.Severity.ERROR).count(),
          errors > 0 ? " (run `costlake prices check " + out + "`)" : "");
      return errors > 0 ? Main.EXIT_FAILED : 0;
    }
  }
}
