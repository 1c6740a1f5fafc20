package dev.costlake.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.costlake.testing.TestSpark;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The cost of an event, rule by rule, against hand-computed amounts (USD nanos = tokens x $/1M x 1000). */
class PricingTest {
  /** A small catalog whose prices make every rule's arithmetic easy to check by hand. */
  static final String TEST_CATALOG = String.join("\n",
      String.join(",", PriceCatalog.COLUMNS),
      "acme,model-a,chat,standard,2026-01-01,2026-06-01,2.00,0.50,2.50,8.00,,,,,,,first period",
      "acme,model-a,chat,standard,2026-06-01,,1.00,0.25,1.25,4.00,12.00,,,,,,cheaper; reasoning priced apart",
      "acme,model-a,chat,batch,2026-01-01,,1.00,,,4.00,,,,,,,half price",
      "acme,model-a,fine_tune,standard,2026-01-01,,8.00,,,,,,,,,,per 1M training tokens",
      "acme,model-long,chat,standard,2026-01-01,,1.25,0.125,,5.00,,200000,2.50,0.25,10.00,,long context above 200k",
      "acme,model-fee,chat,standard,2026-01-01,,0.10,,,0.40,,,,,,0.002,per-request fee",
      "acme,embed-a,embedding,standard,2026-01-01,,0.13,,,,,,,,,,",
      "acme,embed-tiny,embedding,standard,2026-01-01,,0.0005,,,,,,,,,,half a nano per token",
      "");

  private final SparkSession spark = TestSpark.session();
  private final List<String> events = new ArrayList<>();

  private void event(String id, String model, String operation, String tier, String time, long in, long cached,
      long write, long out, long reasoning, Long reportedNanos) {
    events.add(String.format("('%s', timestamp'%s', '%s', '%s', '%s', %dL, %dL, %dL, %dL, %dL, %s)", id, time, model,
        operation, tier, in, cached, write, out, reasoning, reportedNanos == null ? "cast(null as bigint)" : reportedNanos + "L"));
  }

  private Map<String, Row> price(PriceCatalog catalog, Map<String, String> aliases) {
    spark.sql("select event_id, event_time, to_date(event_time) as event_date, date_trunc('HOUR', event_time) as event_hour,"
            + " 'acme-corp' as tenant_id, 'search' as feature, 'u1' as user_id, cast(null as string) as project,"
            + " cast(null as string) as region, cast(null as string) as environment, cast(null as string) as provider,"
            + " model, operation, service_tier, cast(null as map<string,string>) as tags, input_tokens, cached_input_tokens,"
            + " cache_write_tokens, output_tokens, reasoning_tokens, reported_cost_usd_nanos, 0L as content_hash,"
            + " 'test' as source_file from values " + String.join(", ", events)
            + " as t(event_id, event_time, model, operation, service_tier, input_tokens, cached_input_tokens,"
            + " cache_write_tokens, output_tokens, reasoning_tokens, reported_cost_usd_nanos)")
        .createOrReplaceTempView("test_events");
    Map<String, Row> byId = new HashMap<>();
    for (Row row : new Pricing(spark, catalog, aliases).price("test_events")
        .selectExpr("event_id", "list_cost_usd_nanos", "cost_usd_nanos", "pricing_status", "price_id", "price_match")
        .collectAsList()) {
      byId.put(row.getString(0), row);
    }
    assertEquals(events.size(), byId.size(), "one priced row per event");
    return byId;
  }

  private static PriceCatalog testCatalog() {
    PriceCatalog catalog = PriceCatalog.parse(new StringReader(TEST_CATALOG), "test.csv");
    assertEquals(List.of(), CatalogCheck.check(catalog).stream()
        .filter(p -> p.severity() == CatalogProblem.Severity.ERROR).toList());
    return catalog;
  }

  private static void assertPriced(Map<String, Row> rows, String id, long listNanos, String priceId, String match) {
    Row row = rows.get(id);
    assertEquals(listNanos, row.getLong(1), id + " list cost (nanos)");
    assertEquals(listNanos, row.getLong(2), id + " cost = list cost when nothing was reported");
    assertEquals("priced", row.getString(3), id);
    assertEquals(priceId, row.getString(4), id);
    assertEquals(match, row.getString(5), id);
  }

  @Test
  void everyRuleMatchesAHandComputedCost() {
    String t = "2026-03-01 10:00:00";
    // (10000-4000-1000) x 2.00 + 4000 x 0.50 (cache read) + 1000 x 2.50 (cache write) + 500 x 8.00 = $0.0185
    event("cache", "model-a", "chat", "standard", t, 10_000, 4_000, 1_000, 500, 0, null);
    // second period: 1000 x 1.00 + (3000-2000) x 4.00 + 2000 x 12.00 (reasoning) = $0.029
    event("reasoning", "model-a", "chat", "standard", "2026-07-01 00:00:00", 1_000, 0, 0, 3_000, 2_000, null);
    // a valid_from boundary belongs to the new period; a microsecond before, to the old one
    event("boundary", "model-a", "chat", "standard", "2026-06-01 00:00:00", 1_000_000, 0, 0, 0, 0, null);
    event("before", "model-a", "chat", "standard", "2026-05-31 23:59:59.999999", 1_000_000, 0, 0, 0, 0, null);
    // batch tier has its own row: 2000 x 1.00 + 1000 x 4.00 = $0.006
    event("batch", "model-a", "chat", "batch", t, 2_000, 0, 0, 1_000, 0, null);
    // flex has no row: standard applies, 2000 x 2.00 + 1000 x 8.00 = $0.012
    event("flex", "model-a", "chat", "flex", t, 2_000, 0, 0, 1_000, 0, null);
    // above 200k input tokens: 200000 x 2.50 + 50000 x 0.25 + 1000 x 10.00 = $0.5225
    event("long", "model-long", "chat", "standard", t, 250_000, 50_000, 0, 1_000, 0, null);
    // exactly 200k is not above: 200000 x 1.25 + 1000 x 5.00 = $0.255
    event("at-threshold", "model-long", "chat", "standard", t, 200_000, 0, 0, 1_000, 0, null);
    // 1000 x 0.10 + 1000 x 0.40 + $0.002 fee = $0.0025
    event("fee", "model-fee", "chat", "standard", t, 1_000, 0, 0, 1_000, 0, null);
    event("embedding", "embed-a", "embedding", "standard", t, 1_000_000, 0, 0, 0, 0, null);
    // 3 tokens x $0.0005/1M = 1.5 nanos, rounded half-up once: 2
    event("half-nano", "embed-tiny", "embedding", "standard", t, 3, 0, 0, 0, 0, null);
    event("fine-tune", "model-a", "fine_tune", "standard", t, 1_000_000, 0, 0, 0, 0, null);
    event("completion", "model-a", "completion", "standard", t, 1_000, 0, 0, 0, 0, null);
    event("snapshot", "model-a-2026-02-15", "chat", "standard", t, 1_000, 0, 0, 0, 0, null);
    event("prefixed", "azure/model-a", "chat", "standard", t, 1_000, 0, 0, 0, 0, null);
    event("alias", "my-deployment", "chat", "standard", t, 1_000, 0, 0, 0, 0, null);
    event("unknown", "mystery-model", "chat", "standard", t, 1_000, 0, 0, 1_000, 0, null);
    event("reported", "model-a", "chat", "standard", t, 1_000, 0, 0, 0, 0, 123_456_789L);
    event("reported-unknown", "mystery-model", "chat", "standard", t, 1_000, 0, 0, 0, 0, 5_000L);
    event("before-catalog", "model-a", "chat", "standard", "2025-12-31 23:59:59", 1_000, 0, 0, 0, 0, null);

    Map<String, Row> rows = price(testCatalog(), Map.of("my-deployment", "model-a"));

    String first = "acme/model-a/chat/standard@2026-01-01";
    String second = "acme/model-a/chat/standard@2026-06-01";
    assertPriced(rows, "cache", 18_500_000L, first, "exact");
    assertPriced(rows, "reasoning", 29_000_000L, second, "exact");
    assertPriced(rows, "boundary", 1_000_000_000L, second, "exact");
    assertPriced(rows, "before", 2_000_000_000L, first, "exact");
    assertPriced(rows, "batch", 6_000_000L, "acme/model-a/chat/batch@2026-01-01", "exact");
    assertPriced(rows, "flex", 12_000_000L, first, "exact");
    assertPriced(rows, "long", 522_500_000L, "acme/model-long/chat/standard@2026-01-01", "exact");
    assertPriced(rows, "at-threshold", 255_000_000L, "acme/model-long/chat/standard@2026-01-01", "exact");
    assertPriced(rows, "fee", 2_500_000L, "acme/model-fee/chat/standard@2026-01-01", "exact");
    assertPriced(rows, "embedding", 130_000_000L, "acme/embed-a/embedding/standard@2026-01-01", "exact");
    assertPriced(rows, "half-nano", 2L, "acme/embed-tiny/embedding/standard@2026-01-01", "exact");
    assertPriced(rows, "fine-tune", 8_000_000_000L, "acme/model-a/fine_tune/standard@2026-01-01", "exact");
    assertPriced(rows, "completion", 2_000_000L, first, "exact");
    assertPriced(rows, "snapshot", 2_000_000L, first, "snapshot");
    assertPriced(rows, "prefixed", 2_000_000L, first, "provider_prefix");
    assertPriced(rows, "alias", 2_000_000L, first, "alias");

    Row unknown = rows.get("unknown");
    assertNull(unknown.get(1), "an unknown model has no list cost, never $0");
    assertNull(unknown.get(2));
    assertEquals("unpriced", unknown.getString(3));
    assertNull(unknown.get(4));
    Row beforeCatalog = rows.get("before-catalog");
    assertNull(beforeCatalog.get(1), "no price in force before the first valid_from");
    assertEquals("unpriced", beforeCatalog.getString(3));

    Row reported = rows.get("reported");
    assertEquals(2_000_000L, reported.getLong(1), "list cost is computed alongside a reported cost");
    assertEquals(123_456_789L, reported.getLong(2), "cost is the reported cost");
    assertEquals("priced", reported.getString(3));
    Row reportedUnknown = rows.get("reported-unknown");
    assertNull(reportedUnknown.get(1));
    assertEquals(5_000L, reportedUnknown.getLong(2));
    assertEquals("reported_only", reportedUnknown.getString(3));
  }

  @Test
  void theBuiltInCatalogHasTheFiguresUsersQuote() {
    event("gpt-4o-before-cut", "gpt-4o", "chat", "standard", "2024-09-01 00:00:00", 1_000_000, 0, 0, 1_000_000, 0, null);
    event("gpt-4o", "gpt-4o", "chat", "standard", "2026-10-01 00:00:00", 1_000_000, 0, 0, 1_000_000, 0, null);
    event("gpt-4o-cached", "openai/gpt-4o", "chat", "standard", "2026-10-01 00:00:00", 1_000_000, 1_000_000, 0, 0, 0, null);
    event("gpt-4o-snapshot", "gpt-4o-2024-11-20", "chat", "standard", "2026-10-01 00:00:00", 1_000_000, 0, 0, 0, 0, null);
    event("gpt-4o-mini", "gpt-4o-mini", "chat", "standard", "2026-10-01 00:00:00", 1_000_000, 0, 0, 1_000_000, 0, null);
    event("sonnet", "claude-3-5-sonnet-20241022", "chat", "standard", "2026-10-01 00:00:00", 1_000_000, 0, 0, 1_000_000, 0, null);
    event("bedrock-sonnet", "bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0", "chat", "standard", "2026-10-01 00:00:00",
        1_000_000, 0, 0, 0, 0, null);
    event("embedding-large", "text-embedding-3-large", "embedding", "standard", "2026-10-01 00:00:00", 1_000_000, 0, 0, 0, 0, null);
    event("fine-tune", "gpt-3.5-turbo", "fine_tune", "standard", "2026-10-01 00:00:00", 1_000_000, 0, 0, 0, 0, null);

    Map<String, Row> rows = price(PriceCatalog.builtIn(), Map.of());

    assertEquals(20_000_000_000L, rows.get("gpt-4o-before-cut").getLong(1), "$5.00 + $15.00 before 2024-10-02");
    assertEquals(12_500_000_000L, rows.get("gpt-4o").getLong(1), "$2.50 + $10.00");
    assertEquals(1_250_000_000L, rows.get("gpt-4o-cached").getLong(1), "1M cached tokens at $1.25");
    assertEquals("provider_prefix", rows.get("gpt-4o-cached").getString(5));
    assertEquals(2_500_000_000L, rows.get("gpt-4o-snapshot").getLong(1));
    assertEquals("snapshot", rows.get("gpt-4o-snapshot").getString(5));
    assertEquals(750_000_000L, rows.get("gpt-4o-mini").getLong(1), "$0.15 + $0.60");
    assertEquals(18_000_000_000L, rows.get("sonnet").getLong(1), "$3.00 + $15.00");
    assertEquals(3_000_000_000L, rows.get("bedrock-sonnet").getLong(1));
    assertEquals("provider_prefix", rows.get("bedrock-sonnet").getString(5));
    assertEquals(130_000_000L, rows.get("embedding-large").getLong(1), "$0.13");
    assertEquals(8_000_000_000L, rows.get("fine-tune").getLong(1), "$8 per 1M training tokens");
  }

  @Test
  void aMillionSmallCostsSumToTheExactDecimal() {
    // 997,855 events (cached <= input). $0.0375 per 1M cached tokens: each event's cost is a fraction of a nano-dollar per token,
    // rounded half-up once per event; the total is then an exact integer sum.
    String catalogText = String.join(",", PriceCatalog.COLUMNS) + "\n"
        + "acme,tiny,chat,standard,2026-01-01,,0.15,0.0375,,0.60,,,,,,,\n";
    PriceCatalog catalog = PriceCatalog.parse(new StringReader(catalogText), "tiny.csv");
    spark.range(1_000_000).selectExpr("concat('e', id) as event_id", "timestamp'2026-03-01 00:00:00' as event_time",
            "date'2026-03-01' as event_date", "timestamp'2026-03-01 00:00:00' as event_hour", "'t' as tenant_id",
            "'f' as feature", "'u' as user_id", "cast(null as string) as project", "cast(null as string) as region",
            "cast(null as string) as environment", "cast(null as string) as provider", "'tiny' as model",
            "'chat' as operation", "'standard' as service_tier", "cast(null as map<string,string>) as tags",
            "id % 1000 + 1 as input_tokens", "id % 7 as cached_input_tokens", "0L as cache_write_tokens",
            "id % 13 as output_tokens", "0L as reasoning_tokens", "cast(null as bigint) as reported_cost_usd_nanos",
            "0L as content_hash", "'test' as source_file")
        .where("cached_input_tokens <= input_tokens")
        .createOrReplaceTempView("million_events");
    long totalNanos = new Pricing(spark, catalog, Map.of()).price("million_events")
        .selectExpr("sum(list_cost_usd_nanos)").first().getLong(0);

    BigDecimal expected = BigDecimal.ZERO;
    for (long id = 0; id < 1_000_000; id++) {
      long input = id % 1000 + 1;
      long cached = id % 7;
      long output = id % 13;
      if (cached > input) {
        continue;
      }
      BigDecimal nanos = BigDecimal.valueOf(input - cached).multiply(new BigDecimal("150"))
          .add(BigDecimal.valueOf(cached).multiply(new BigDecimal("37.5")))
          .add(BigDecimal.valueOf(output).multiply(new BigDecimal("600")));
      expected = expected.add(nanos.setScale(0, RoundingMode.HALF_UP));
    }
    assertEquals(expected.longValueExact(), totalNanos);
    assertEquals("78.330363969", BigDecimal.valueOf(totalNanos, 9).toPlainString(), "the total in USD, to the nano");
  }
}
