package dev.costlake.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The importer on the real LiteLLM price map (a copy of ../shared/data/pricing/litellm, MIT). */
class LitellmImportTest {
  private static final Path LITELLM = Path.of("src/test/resources/litellm/model_prices_and_context_window.json");
  private static final Instant FROM = Instant.parse("2026-07-24T00:00:00Z");

  private static PriceRow row(List<PriceRow> rows, String model, String tier) {
    return rows.stream().filter(r -> r.model().equals(model) && r.serviceTier().equals(tier)).findFirst().orElseThrow();
  }

  @Test
  void importsEveryTokenPricedEntryAndSaysWhyTheOthersWereSkipped() throws IOException {
    LitellmImport.Result result = LitellmImport.run(LITELLM, FROM, PriceCatalog.builtIn());

    assertEquals(2_381, result.entriesImported());
    assertEquals(2_612, result.rows().size(), "one row per entry and tier it prices");
    assertEquals(604, result.entriesSkipped());
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

    // what it writes reads back as the same rows, and passes the catalog's own parse
    StringWriter csv = new StringWriter();
    PriceCatalog.write(result.rows(), csv, List.of("test import"));
    PriceCatalog back = PriceCatalog.parse(new StringReader(csv.toString()), "imported.csv");
    assertEquals(List.of(), back.parseProblems());
    assertEquals(result.rows().size(), back.rows().size());
    assertEquals(gpt4o.priceId(), row(back.rows(), "gpt-4o", "standard").priceId());
  }

  private static String duplicateOf(LitellmImport.Result result) {
    return result.skippedByReason().keySet().stream().filter(k -> k.startsWith("same name as "))
        .map(k -> k.substring("same name as ".length(), k.length() - " once lower-cased".length()))
        .findFirst().orElse("?");
  }
}
