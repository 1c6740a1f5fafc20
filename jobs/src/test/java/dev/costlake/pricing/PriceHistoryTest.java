package dev.costlake.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Effective dates on real data: LiteLLM's recorded price changes (price_history_2025-02_to_2026-07.csv,
 * 408 changes over 18 months) become catalog periods; an event one second before each change is priced
 * with the old price and an event at the change instant with the new one.
 */
class PriceHistoryTest {
  private static final Path HISTORY = Path.of("src/test/resources/litellm/price_history_2025-02_to_2026-07.csv");
  private static final Set<String> TOKEN_MODES = Set.of("chat", "completion", "responses", "embedding");
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private record Change(Instant at, String event, String provider, String mode, BigDecimal input, BigDecimal output,
      BigDecimal cached, BigDecimal cacheWrite) {}

  private final SparkSession spark = TestSpark.session();

  @Test
  void everyRecordedPriceChangeTakesEffectAtItsInstant() throws IOException {
    Map<String, List<Change>> byModel = usableHistories();
    assertEquals(312, byModel.size(), "models whose token prices changed, with a simple added/changed/removed history");

    // the history as catalog rows: each added/changed event opens a period, the next event closes it
    List<PriceRow> rows = new ArrayList<>();
    List<String> events = new ArrayList<>();
    Map<String, Long> expectedNanos = new LinkedHashMap<>();
    Map<String, String> expectedPriceId = new LinkedHashMap<>();
    for (Map.Entry<String, List<Change>> entry : byModel.entrySet()) {
      String model = entry.getKey().toLowerCase(Locale.ROOT);
      List<Change> changes = entry.getValue();
      for (int i = 0; i < changes.size(); i++) {
        Change c = changes.get(i);
        if (c.event().equals("removed")) {
          continue;
        }
        Instant validTo = i + 1 < changes.size() ? changes.get(i + 1).at() : null;
        String operation = c.mode().equals("embedding") ? "embedding" : "chat";
        PriceRow row = new PriceRow(c.provider(), model, operation, "standard", c.at(), validTo, c.input(), c.cached(),
            c.cacheWrite(), c.output(), null, null, null, null, null, null, "litellm history", "history");
        rows.add(row);
        if (c.event().equals("changed")) {
          Change before = changes.get(i - 1);
          String id = model + "#" + i;
          // 1M input + 1M output tokens cost (input + output price per 1M) dollars = that x 1e9 nanos
          events.add(event(id + "-before", model, operation, c.at().minusSeconds(1)));
          expectedNanos.put(id + "-before", nanos(before));
          expectedPriceId.put(id + "-before", rows.get(rows.size() - 2).priceId());
          events.add(event(id + "-at", model, operation, c.at()));
          expectedNanos.put(id + "-at", nanos(c));
          expectedPriceId.put(id + "-at", row.priceId());
        }
      }
    }
    assertEquals(348 * 2, events.size(), "an event either side of each of 348 changes");

    // written and read back as a catalog file, which the lint finds free of overlaps and gaps
    StringWriter csv = new StringWriter();
    PriceCatalog.write(rows, csv, List.of("LiteLLM price history as periods"));
    PriceCatalog catalog = PriceCatalog.parse(new StringReader(csv.toString()), "history.csv");
    assertEquals(List.of(), catalog.parseProblems());
    assertEquals(List.of(), CatalogCheck.check(catalog).stream()
        .filter(p -> p.message().contains("overlaps") || p.message().contains("has no price between")).toList());

    spark.sql("select event_id, event_time, to_date(event_time) as event_date, date_trunc('HOUR', event_time) as event_hour,"
            + " 't' as tenant_id, 'f' as feature, 'u' as user_id, cast(null as string) as project,"
            + " cast(null as string) as region, cast(null as string) as environment, cast(null as string) as provider,"
            + " model, operation, 'standard' as service_tier, cast(null as map<string,string>) as tags,"
            + " 1000000L as input_tokens, 0L as cached_input_tokens, 0L as cache_write_tokens, 1000000L as output_tokens,"
            + " 0L as reasoning_tokens, cast(null as bigint) as reported_cost_usd_nanos, 0L as content_hash,"
            + " 'history' as source_file from values " + String.join(", ", events)
            + " as t(event_id, event_time, model, operation)")
        .createOrReplaceTempView("history_events");
    Map<String, Long> actualNanos = new LinkedHashMap<>();
    Map<String, String> actualPriceId = new LinkedHashMap<>();
    for (Row row : new Pricing(spark, catalog, Map.of()).price("history_events")
        .selectExpr("event_id", "list_cost_usd_nanos", "price_id").collectAsList()) {
      actualNanos.put(row.getString(0), row.isNullAt(1) ? null : row.getLong(1));
      actualPriceId.put(row.getString(0), row.getString(2));
    }
    assertEquals(new java.util.TreeMap<>(expectedPriceId), new java.util.TreeMap<>(actualPriceId));
    assertEquals(new java.util.TreeMap<>(expectedNanos), new java.util.TreeMap<>(actualNanos));
  }

  private static String event(String id, String model, String operation, Instant at) {
    return "('" + id + "', timestamp'" + at.toString().replace('T', ' ').replace("Z", "") + "', '" + model + "', '"
        + operation + "')";
  }

  private static long nanos(Change c) {
    BigDecimal output = c.output() == null ? BigDecimal.ZERO : c.output();
    return c.input().add(output).multiply(BigDecimal.valueOf(1_000_000_000L)).setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** model_key -> its events in time order, for models with a changed price and a simple history. */
  private static Map<String, List<Change>> usableHistories() throws IOException {
    Map<String, List<Change>> all = new LinkedHashMap<>();
    try (Reader reader = Files.newBufferedReader(HISTORY, StandardCharsets.UTF_8)) {
      for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
        all.computeIfAbsent(r.get("model_key"), k -> new ArrayList<>()).add(new Change(
            OffsetDateTime.parse(r.get("commit_time")).toInstant(), r.get("event"), r.get("litellm_provider"),
            r.get("mode"), perMillion(r.get("input_cost_per_token")), perMillion(r.get("output_cost_per_token")),
            perMillion(r.get("cache_read_input_token_cost")), perMillion(r.get("cache_creation_input_token_cost"))));
      }
    }
    Map<String, List<Change>> usable = new LinkedHashMap<>();
    for (Map.Entry<String, List<Change>> e : all.entrySet()) {
      List<Change> changes = new ArrayList<>(e.getValue());
      changes.sort(Comparator.comparing(Change::at));
      List<String> kinds = changes.stream().map(Change::event).toList();
      boolean simple = kinds.get(0).equals("added") && !kinds.subList(1, kinds.size()).contains("added")
          && (!kinds.contains("removed") || kinds.indexOf("removed") == kinds.size() - 1);
      boolean tokenPriced = changes.stream().allMatch(c -> TOKEN_MODES.contains(c.mode()));
      boolean exact = changes.stream().filter(c -> !c.event().equals("removed")).allMatch(c -> c.input() != null
          && fits(c.input()) && fits(c.output()) && fits(c.cached()) && fits(c.cacheWrite()));
      if (kinds.contains("changed") && simple && tokenPriced && exact) {
        usable.put(e.getKey(), changes);
      }
    }
    return usable;
  }

  private static BigDecimal perMillion(String perToken) {
    return perToken.isEmpty() ? null : new BigDecimal(perToken).multiply(MILLION).stripTrailingZeros();
  }

  private static boolean fits(BigDecimal price) {
    return price == null || price.scale() <= PriceCatalog.MAX_PRICE_SCALE;
  }
}
