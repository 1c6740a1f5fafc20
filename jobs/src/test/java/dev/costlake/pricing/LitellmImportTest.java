package dev.costlake.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.ingest.Ingest;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The importer on the real LiteLLM price map (a copy of ../shared/data/pricing/litellm, MIT). */
class LitellmImportTest {
  /** The ingest clock of the end-to-end test: after every event, so none is refused as future. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  private static final Path LITELLM = Path.of("src/test/resources/litellm/model_prices_and_context_window.json");
  private static final Instant FROM = Instant.parse("2026-07-24T00:00:00Z");

  private static PriceRow row(List<PriceRow> rows, String model, String tier) {
    return rows.stream().filter(r -> r.model().equals(model) && r.serviceTier().equals(tier) && r.coversInstant(FROM))
        .findFirst().orElseThrow();
  }

  @Test
  void importsEveryTokenPricedEntryAndSaysWhyTheOthersWereSkipped() throws IOException {
    LitellmImport.Result result = LitellmImport.run(LITELLM, FROM, PriceCatalog.builtIn());

    assertEquals(2_369, result.entriesImported());
    assertEquals(3_491, result.rows().size(), "a row per entry and tier it prices, and the built-in history copied");
    assertEquals(604, result.entriesSkipped());
    assertEquals(12, result.excluded().size(), () -> "left out by the check: " + result.excluded());
    assertEquals(616, result.leftOut().size());
    Map<String, Integer> skipped = result.skippedByReason().entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().startsWith("mode ") ? "mode" : e.getKey(), e -> e.getValue().size(), Integer::sum));
    assertEquals(Map.of(
        "mode", 444,
        "no input_cost_per_token", 148,
        "no mode: cannot tell chat from embedding", 9,
        "LiteLLM's documentation of its own fields", 1,
        "not a model entry (a string)", 1,
        "same name as " + duplicateOf(result) + " once lower-cased", 1), skipped);
    assertTrue(result.skippedByReason().get("mode image_generation: not priced per token").contains("dall-e-3"));

    // per-token prices become exact per-1M prices, tiers become rows
    PriceRow gpt4o = row(result.rows(), "gpt-4o", "standard");
    assertEquals("openai", gpt4o.provider());
    assertEquals(0, new BigDecimal("2.5").compareTo(gpt4o.inputUsdPer1m()));
    assertEquals(0, new BigDecimal("1.25").compareTo(gpt4o.cachedInputUsdPer1m()));
    assertEquals(0, new BigDecimal("10").compareTo(gpt4o.outputUsdPer1m()));
    assertEquals(FROM, gpt4o.validFrom());
    assertNull(gpt4o.validTo());
    PriceRow batch = row(result.rows(), "gpt-4o", "batch");
    assertEquals(0, new BigDecimal("1.25").compareTo(batch.inputUsdPer1m()));
    assertEquals(0, new BigDecimal("5").compareTo(batch.outputUsdPer1m()));
    PriceRow priority = row(result.rows(), "gpt-4o", "priority");
    assertEquals(0, new BigDecimal("4.25").compareTo(priority.inputUsdPer1m()));
    assertEquals(0, new BigDecimal("2.125").compareTo(priority.cachedInputUsdPer1m()));
    // cache writes and the long-context tier (Claude Sonnet 4 above 200k input tokens)
    PriceRow sonnet = row(result.rows(), "claude-sonnet-4-20250514", "standard");
    assertEquals(0, new BigDecimal("3.75").compareTo(sonnet.cacheWriteUsdPer1m()));
    assertEquals(0, new BigDecimal("0.3").compareTo(sonnet.cachedInputUsdPer1m()));
    assertEquals(200_000L, sonnet.longContextThresholdTokens());
    assertEquals(0, new BigDecimal("6").compareTo(sonnet.longContextInputUsdPer1m()));
    assertEquals(0, new BigDecimal("22.5").compareTo(sonnet.longContextOutputUsdPer1m()));
    assertEquals(0, new BigDecimal("0.6").compareTo(sonnet.longContextCachedInputUsdPer1m()));
    PriceRow embedding = row(result.rows(), "text-embedding-3-large", "standard");
    assertEquals("embedding", embedding.operation());
    assertEquals(0, new BigDecimal("0.13").compareTo(embedding.inputUsdPer1m()));
    assertEquals("azure", row(result.rows(), "azure/gpt-4o", "standard").provider());

    // which history each model got
    assertEquals(Map.of(LitellmImport.History.BUILT_IN_BEFORE, 37, LitellmImport.History.BUILT_IN_MATCH_COPIED_BEFORE, 497,
        LitellmImport.History.SINCE_ALWAYS, 1_835), result.modelsByHistory());
    assertEquals(LitellmImport.SINCE_ALWAYS, row(result.rows(), "groq/llama-3.3-70b-versatile", "standard").validFrom(),
        "a model no built-in rule prices has LiteLLM's price since always");
    List<PriceRow> azure = result.rows().stream().filter(r -> r.model().equals("azure/gpt-4o")
        && r.operation().equals("chat") && r.serviceTier().equals("standard")).toList();
    assertEquals(List.of("azure/azure/gpt-4o/chat/standard@2024-05-13 5.00 built-in gpt-4o (provider_prefix rule), as priced before the import",
            "azure/azure/gpt-4o/chat/standard@2024-10-02 2.50 built-in gpt-4o (provider_prefix rule), as priced before the import",
            "azure/azure/gpt-4o/chat/standard@2026-07-24 2.5 litellm azure/gpt-4o"),
        azure.stream().map(r -> r.priceId() + " " + r.inputUsdPer1m().toPlainString() + " " + r.note()).toList(),
        "a name the built-in catalog priced by a rule keeps that price before the import");

    // a bare name the built-in catalog gives another provider takes LiteLLM's provider-qualified name
    assertEquals("vertex_ai/gemini-2.5-pro", result.renamed().get("gemini-2.5-pro"));
    assertEquals(13, result.renamed().size(), result.renamed()::toString);
    assertEquals("the built-in catalog prices gemini-3-pro-preview under provider google, and"
        + " vertex_ai/gemini-3-pro-preview (its name under vertex_ai-language-models) is already taken",
        result.excluded().get("gemini-3-pro-preview"));
    assertEquals("prices check: input price 500 for watsonx/core42/jais-13b-chat is over 1000x off the median 0.38 of"
        + " watsonx chat prices: prices are USD per 1M tokens, not per token or per 1K",
        result.excluded().get("watsonx/core42/jais-13b-chat"));

    // what it writes reads back as the same rows, and passes the catalog's own parse
    StringWriter csv = new StringWriter();
    PriceCatalog.write(result.rows(), csv, List.of("test import"));
    PriceCatalog back = PriceCatalog.parse(new StringReader(csv.toString()), "imported.csv");
    assertEquals(List.of(), back.parseProblems());
    assertEquals(result.rows().size(), back.rows().size());
    assertEquals(gpt4o.priceId(), row(back.rows(), "gpt-4o", "standard").priceId());
  }

  /**
   * Import, check, ingest: the imported catalog passes `prices check` on its own and over the
   * built-in one, and prices last month's events of models both catalogs know (at the built-in
   * price), of models only LiteLLM knows, and of names the built-in catalog priced by a rule.
   */
  @Test
  void anImportedCatalogPassesTheCheckAndPricesEventsFromBeforeItsValidFrom() throws IOException {
    Instant validFrom = Instant.parse("2026-11-15T00:00:00Z");
    LitellmImport.Result result = LitellmImport.run(LITELLM, validFrom, PriceCatalog.builtIn());
    Path catalog = tmp.resolve("prices/litellm.csv");
    LitellmImport.write(result, LITELLM, validFrom, catalog);

    assertEquals(List.of(), errors(PriceCatalog.read(catalog)), "costlake prices check CATALOG");
    assertEquals(List.of(), errors(PriceCatalog.load(catalog)), "costlake prices check, with prices.catalog = CATALOG");
    List<String> leftOut = Files.readAllLines(tmp.resolve("prices/litellm.excluded.csv"));
    assertEquals(1 + 616, leftOut.size(), "a header, then every entry left out");
    assertEquals("litellm_key,reason", leftOut.get(0));
    assertTrue(leftOut.contains("dall-e-3,mode image_generation: not priced per token"));
    assertTrue(leftOut.contains("watsonx/core42/jais-13b-chat,\"prices check: input price 500 for watsonx/core42/jais-13b-chat"
        + " is over 1000x off the median 0.38 of watsonx chat prices: prices are USD per 1M tokens, not per token or per 1K\""),
        () -> String.join("\n", leftOut.subList(leftOut.size() - 12, leftOut.size())));

    Path raw = Files.createDirectories(tmp.resolve("raw"));
    Path events = Files.write(raw.resolve("events.jsonl"), List.of(
        event("gpt-4o-before", "2026-10-20T10:00:00Z", "gpt-4o", 1_000_000, 400_000, 100_000),
        event("gpt-4o-after", "2026-11-20T10:00:00Z", "gpt-4o", 1_000_000, 400_000, 100_000),
        event("deepseek-before", "2026-10-20T10:00:00Z", "deepseek-chat", 1_000_000, 500_000, 100_000),
        event("deepseek-after", "2026-11-20T10:00:00Z", "deepseek-chat", 1_000_000, 500_000, 100_000),
        event("groq-before", "2026-10-20T10:00:00Z", "groq/llama-3.3-70b-versatile", 1_000_000, 0, 100_000),
        event("vertex-before", "2026-10-20T10:00:00Z", "vertex_ai/gemini-2.5-pro", 100_000, 0, 10_000),
        event("gemini-after", "2026-11-20T10:00:00Z", "gemini-2.5-pro", 100_000, 0, 10_000),
        event("snapshot-before", "2026-10-20T10:00:00Z", "gpt-4o-mini-2024-07-18", 1_000_000, 0, 100_000)));
    Files.setLastModifiedTime(events, FileTime.from(Instant.parse("2026-11-22T00:00:00Z")));
    CostlakeConfig config = TestSpark.config(tmp.resolve("lake"), raw, Map.of("prices.catalog", catalog.toString()));
    Lakehouse lake = TestSpark.lake(config);
    RunRecorder.Outcome outcome = Ingest.run(lake, config, CLOCK);
    assertTrue(outcome.succeeded(), () -> "ingest failed: " + outcome.error());

    Map<String, String> priced = new TreeMap<>();
    for (Row row : TestSpark.session().sql("select event_id, list_cost_usd_nanos, price_id, price_match"
        + " from silver.cost_events").collectAsList()) {
      priced.put(row.getString(0), row.get(1) + " " + row.getString(2) + " " + row.getString(3));
    }
    assertEquals(new TreeMap<>(Map.of(
        // built-in gpt-4o before 2026-11-15: 600,000 x $2.50 + 400,000 x $1.25 (cached) + 100,000 x $10.00 = $3.00
        "gpt-4o-before", "3000000000 openai/gpt-4o/chat/standard@2024-10-02 exact",
        // LiteLLM's gpt-4o from 2026-11-15: the same prices, its own row
        "gpt-4o-after", "3000000000 openai/gpt-4o/chat/standard@2026-11-15 exact",
        // built-in deepseek-chat: 500,000 x $0.14 + 500,000 x $0.0028 (cached) + 100,000 x $0.28 = $0.0994
        "deepseek-before", "99400000 deepseek/deepseek-chat/chat/standard@2026-04-24 exact",
        // LiteLLM's deepseek-chat: 500,000 x $0.28 + 500,000 x $0.028 (cached) + 100,000 x $0.42 = $0.196
        "deepseek-after", "196000000 deepseek/deepseek-chat/chat/standard@2026-11-15 exact",
        // only LiteLLM knows it, so its price holds since 1970: 1,000,000 x $0.59 + 100,000 x $0.79 = $0.669
        "groq-before", "669000000 groq/groq/llama-3.3-70b-versatile/chat/standard@1970-01-01 exact",
        // LiteLLM's bare gemini-2.5-pro (vertex) renamed; before the import it priced as the built-in
        // gemini-2.5-pro: 100,000 x $1.25 + 10,000 x $10.00 = $0.225
        "vertex-before", "225000000 vertex_ai-language-models/vertex_ai/gemini-2.5-pro/chat/standard@2025-06-17 exact",
        // the bare name stays Google's built-in price
        "gemini-after", "225000000 google/gemini-2.5-pro/chat/standard@2025-06-17 exact",
        // a snapshot the built-in catalog priced as gpt-4o-mini: 1,000,000 x $0.15 + 100,000 x $0.60 = $0.21
        "snapshot-before", "210000000 openai/gpt-4o-mini-2024-07-18/chat/standard@2024-07-18 exact")), priced);

    // a catalog with errors still stops ingest: one left-out entry added back by hand
    Path broken = Files.writeString(tmp.resolve("prices/broken.csv"), Files.readString(catalog)
        + "watsonx,watsonx/core42/jais-13b-chat,chat,standard,1970-01-01,,500,,,2000,,,,,,,added back by hand\n");
    CostlakeConfig brokenConfig = TestSpark.config(tmp.resolve("lake"), raw, Map.of("prices.catalog", broken.toString()));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Ingest.run(lake, brokenConfig, CLOCK));
    assertTrue(refused.getMessage().contains("broken.csv:3496: input price 500 for watsonx/core42/jais-13b-chat is over 1000x"),
        refused::getMessage);
  }

  private static List<CatalogProblem> errors(PriceCatalog catalog) {
    return CatalogCheck.check(catalog).stream().filter(p -> p.severity() == CatalogProblem.Severity.ERROR).toList();
  }

  private static String event(String id, String time, String model, long input, long cached, long output) {
    return String.format("{\"event_id\":\"%s\",\"event_time\":\"%s\",\"model\":\"%s\",\"input_tokens\":%d,"
        + "\"cached_input_tokens\":%d,\"output_tokens\":%d}", id, time, model, input, cached, output);
  }

  private static String duplicateOf(LitellmImport.Result result) {
    return result.skippedByReason().keySet().stream().filter(k -> k.startsWith("same name as "))
        .map(k -> k.substring("same name as ".length(), k.length() - " once lower-cased".length()))
        .findFirst().orElse("?");
  }
}
