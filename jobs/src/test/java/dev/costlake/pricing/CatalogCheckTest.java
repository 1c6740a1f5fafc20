package dev.costlake.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalog lint, the built-in catalog, user overrides and model-name matching. */
class CatalogCheckTest {
  private static final String HEADER = String.join(",", PriceCatalog.COLUMNS);

  private static List<String> errors(String... lines) {
    PriceCatalog catalog = PriceCatalog.parse(new StringReader(HEADER + "\n" + String.join("\n", lines) + "\n"), "c.csv");
    return CatalogCheck.check(catalog).stream().filter(p -> p.severity() == CatalogProblem.Severity.ERROR)
        .map(CatalogProblem::toString).toList();
  }

  @Test
  void theBuiltInCatalogPassesItsOwnCheck() {
    PriceCatalog builtIn = PriceCatalog.builtIn();
    List<CatalogProblem> problems = CatalogCheck.check(builtIn);
    assertFalse(CatalogCheck.hasErrors(problems), () -> "built-in catalog errors: " + problems);
    assertTrue(builtIn.rows().size() >= 100, "rows: " + builtIn.rows().size());
    for (String provider : List.of("openai", "anthropic", "google", "mistral", "meta", "cohere", "xai", "deepseek")) {
      assertTrue(builtIn.rows().stream().anyMatch(r -> r.provider().equals(provider)), provider);
    }
    assertTrue(builtIn.rows().stream().anyMatch(r -> r.operation().equals("embedding") && r.provider().equals("cohere")));
  }

  @Test
  void eachMistakeIsAnErrorNamingTheLine() {
    String ok = "acme,m,chat,standard,2026-01-01,,1.00,0.10,,2.00,,,,,,,";
    assertEquals(List.of(), errors(ok, "acme,n,chat,standard,2026-01-01,,1.50,,,3.00,,,,,,,",
        "acme,o,chat,standard,2026-01-01,,0.50,,,1.00,,,,,,,"));
    assertEquals(List.of("error: c.csv:3: m/chat/standard from 2026-03-01 overlaps the period from 2026-01-01 at c.csv:2"
            + " (which has no valid_to)"),
        errors(ok, "acme,m,chat,standard,2026-03-01,,1.00,,,2.00,,,,,,,"));
    assertEquals(List.of("error: c.csv:3: m/chat/standard has no price between 2026-02-01 and 2026-03-01 (gap after c.csv:2)"),
        errors("acme,m,chat,standard,2026-01-01,2026-02-01,1.00,,,2.00,,,,,,,",
            "acme,m,chat,standard,2026-03-01,,1.00,,,2.00,,,,,,,"));
    assertEquals(List.of("error: c.csv:2: output price is negative (-2.00)"),
        errors("acme,m,chat,standard,2026-01-01,,1.00,,,-2.00,,,,,,,"));
    assertEquals(List.of("error: c.csv:2: cached input price 1.50 is above the input price 1.00 (a cache read is never dearer)"),
        errors("acme,m,chat,standard,2026-01-01,,1.00,1.50,,2.00,,,,,,,"));
    List<String> slip = errors(ok, "acme,n,chat,standard,2026-01-01,,1.50,,,3.00,,,,,,,",
        "acme,o,chat,standard,2026-01-01,,0.0000025,,,0.00001,,,,,,,per-token by mistake");
    assertEquals(1, slip.size(), slip::toString);
    assertTrue(slip.get(0).startsWith("error: c.csv:4: input price 0.0000025 for o is over 1000x off the median 1.00"), slip::toString);
    assertEquals(List.of("error: c.csv:2: has 3 fields; a catalog row has 17 (quote a note that contains a comma)"),
        errors("acme,m,chat"));
    assertEquals(List.of("error: c.csv:2: service_tier = turbo: must be one of [batch, flex, priority, standard]",
            "error: c.csv:2: input_usd_per_1m = 2,5: not a number"),
        errors("acme,m,chat,turbo,2026-01-01,,\"2,5\",,,2.00,,,,,,,"));
    assertEquals(List.of("error: c.csv:2: valid_from = 01/02/2026: not a date (2024-10-02) or a timestamp with an offset"
            + " (2024-10-02T09:00:00Z)"),
        errors("acme,m,chat,standard,01/02/2026,,1.00,,,2.00,,,,,,,"));
  }

  @Test
  void aUserCatalogReplacesTheBuiltInRowsOfTheModelsItPricesFromItsFirstValidFrom() {
    PriceCatalog user = PriceCatalog.parse(new StringReader(HEADER + "\n"
        + "openai,gpt-4o,chat,standard,2024-01-01,,2.00,1.00,,8.00,,,,,,,our negotiated price\n"
        + "acme,acme-llm,chat,standard,2026-01-01,,0.50,,,1.50,,,,,,,in-house model\n"), "mine.csv");
    PriceCatalog merged = PriceCatalog.builtIn().overlaidBy(user);
    assertEquals(List.of("openai/gpt-4o/chat/standard@2024-01-01 .. mine.csv:2"), periods(merged, "gpt-4o", "standard"),
        "a user period that starts before both built-in periods replaces them");
    assertTrue(merged.models().contains("acme-llm"));
    assertEquals(List.of("openai/gpt-4o/chat/batch@2024-05-13 2024-10-02 conf/prices/default.csv:5",
            "openai/gpt-4o/chat/batch@2024-10-02 .. conf/prices/default.csv:6"), periods(merged, "gpt-4o", "batch"),
        "tiers the user does not price keep the built-in rows");
    assertFalse(CatalogCheck.hasErrors(CatalogCheck.check(merged)));
    assertFalse(merged.version().equals(PriceCatalog.builtIn().version()));
  }

  @Test
  void builtInRowsBeforeTheUsersFirstValidFromStaySoEarlierEventsKeepTheirPrice() {
    PriceCatalog user = PriceCatalog.parse(new StringReader(HEADER + "\n"
        + "openai,gpt-4o,chat,standard,2025-01-01,,2.00,1.00,,8.00,,,,,,,our negotiated price from 2025\n"), "mine.csv");
    PriceCatalog merged = PriceCatalog.builtIn().overlaidBy(user);
    assertEquals(List.of("openai/gpt-4o/chat/standard@2024-05-13 2024-10-02 conf/prices/default.csv:3",
            "openai/gpt-4o/chat/standard@2024-10-02 2025-01-01 conf/prices/default.csv:4",
            "openai/gpt-4o/chat/standard@2025-01-01 .. mine.csv:2"),
        periods(merged, "gpt-4o", "standard"), "the built-in period in force on 2025-01-01 ends there");
    assertFalse(CatalogCheck.hasErrors(CatalogCheck.check(merged)), () -> CatalogCheck.check(merged).toString());
  }

  private static List<String> periods(PriceCatalog catalog, String model, String tier) {
    return catalog.rows().stream()
        .filter(r -> r.model().equals(model) && r.operation().equals("chat") && r.serviceTier().equals(tier))
        .map(r -> r.priceId() + " " + (r.validTo() == null ? ".." : PriceRow.render(r.validTo())) + " " + r.origin())
        .toList();
  }


  @Test
  void modelNamesMatchByTheDocumentedRulesInOrder() {
    ModelMatcher matcher = new ModelMatcher(Set.of("gpt-4o", "gpt-4o-2024-05-13", "claude-3-5-sonnet", "mistral-large",
        "gemini-2.5-pro", "command-r"), Map.of("prod-gpt", "gpt-4o"));
    assertEquals(Optional.of("gpt-4o-2024-05-13 exact"), show(matcher, "gpt-4o-2024-05-13"));
    assertEquals(Optional.of("gpt-4o exact"), show(matcher, "GPT-4o"));
    assertEquals(Optional.of("gpt-4o alias"), show(matcher, "prod-gpt"));
    assertEquals(Optional.of("gpt-4o snapshot"), show(matcher, "gpt-4o-2024-08-06"));
    assertEquals(Optional.of("claude-3-5-sonnet snapshot"), show(matcher, "claude-3-5-sonnet-20241022"));
    assertEquals(Optional.of("claude-3-5-sonnet snapshot"), show(matcher, "claude-3-5-sonnet-latest"));
    assertEquals(Optional.of("mistral-large snapshot"), show(matcher, "mistral-large-2411"));
    assertEquals(Optional.of("gemini-2.5-pro snapshot"), show(matcher, "gemini-2.5-pro-preview-05-06"));
    assertEquals(Optional.of("command-r snapshot"), show(matcher, "command-r-08-2024"));
    assertEquals(Optional.of("gpt-4o provider_prefix"), show(matcher, "openai/gpt-4o"));
    assertEquals(Optional.of("gpt-4o provider_prefix"), show(matcher, "azure/gpt-4o-2024-11-20"));
    assertEquals(Optional.of("claude-3-5-sonnet provider_prefix"),
        show(matcher, "bedrock/us.anthropic.claude-3-5-sonnet-20241022-v2:0"));
    assertEquals(Optional.of("claude-3-5-sonnet provider_prefix"), show(matcher, "vertex_ai/claude-3-5-sonnet@20240620"));
    assertEquals(Optional.empty(), show(matcher, "gpt-4"));
    assertEquals(Optional.empty(), show(matcher, "my-fine-tune"));
  }

  private static Optional<String> show(ModelMatcher matcher, String model) {
    return matcher.match(model).map(m -> m.catalogModel() + " " + m.rule());
  }
}
