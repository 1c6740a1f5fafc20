package dev.costlake.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts LiteLLM's model_prices_and_context_window.json (per-token prices, one entry per model
 * key) into catalog rows (per-1M prices, one row per model and service tier). Entries that cannot
 * be priced per token are skipped with a reason, never guessed.
 */
public final class LitellmImport {
  private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000);
  private static final Pattern LONG_CONTEXT = Pattern.compile("^input_cost_per_token_above_(\\d+)k_tokens$");
  private static final Map<String, String> OPERATION_OF_MODE = Map.of(
      "chat", "chat", "completion", "chat", "responses", "chat", "embedding", "embedding");
  /** LiteLLM's suffix for each service tier's price keys. */
  private static final Map<String, String> TIER_SUFFIX = orderedTiers();

  private LitellmImport() {}

  /** What an import produced: rows, and the skipped entries with why, grouped by reason. */
  public record Result(List<PriceRow> rows, int entriesImported, Map<String, List<String>> skippedByReason) {
    public int entriesSkipped() {
      return skippedByReason.values().stream().mapToInt(List::size).sum();
    }
  }

  public static Result run(Path file, Instant validFrom) {
    JsonNode root;
    try {
      root = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read LiteLLM price map " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + " is not a JSON object of model entries (LiteLLM's price map)");
    }
    List<PriceRow> rows = new ArrayList<>();
    Map<String, List<String>> skipped = new TreeMap<>();
    Map<String, String> seen = new LinkedHashMap<>();
    int imported = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = entry.getKey();
      String reason = skipReason(key, entry.getValue());
      String model = key.trim().toLowerCase(Locale.ROOT);
      if (reason == null && seen.containsKey(model)) {
        reason = "same name as " + seen.get(model) + " once lower-cased";
      }
      if (reason != null) {
        skipped.computeIfAbsent(reason, r -> new ArrayList<>()).add(key);
        continue;
      }
      seen.put(model, key);
      List<PriceRow> entryRows = rowsOf(key, model, entry.getValue(), validFrom, file.getFileName() + "#" + key);
      rows.addAll(entryRows);
      imported++;
    }
    return new Result(rows, imported, skipped);
  }

  /** Why an entry cannot become catalog rows, or null when it can. */
  private static String skipReason(String key, JsonNode entry) {
    if (!entry.isObject()) {
      return "not a model entry (a " + entry.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
    }
    if (key.equals("sample_spec")) {
      return "LiteLLM's documentation of its own fields";
    }
    JsonNode mode = entry.get("mode");
    if (mode == null || !mode.isTextual()) {
      return "no mode: cannot tell chat from embedding";
    }
    if (!OPERATION_OF_MODE.containsKey(mode.asText())) {
      return "mode " + mode.asText() + ": not priced per token";
    }
    if (!entry.hasNonNull("litellm_provider") || !entry.get("litellm_provider").isTextual()) {
      return "no litellm_provider";
    }
    JsonNode input = entry.get("input_cost_per_token");
    if (input == null || input.isNull()) {
      return "no input_cost_per_token";
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (isTokenPrice(field.getKey()) && !field.getValue().isNull()
          && (!field.getValue().isNumber() || field.getValue().decimalValue().signum() < 0)) {
        return "a price that is not a non-negative number (" + field.getKey() + ")";
      }
    }
    return null;
  }

  private static boolean isTokenPrice(String field) {
    return field.contains("cost_per_token") || field.startsWith("cache_read_input_token_cost")
        || field.startsWith("cache_creation_input_token_cost");
  }

  private static List<PriceRow> rowsOf(String key, String model, JsonNode e, Instant validFrom, String origin) {
    String provider = e.get("litellm_provider").asText().toLowerCase(Locale.ROOT);
    String operation = OPERATION_OF_MODE.get(e.get("mode").asText());
    Long threshold = null;
    String thresholdSuffix = null;
    for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
      Matcher m = LONG_CONTEXT.matcher(it.next());
      if (m.matches()) {
        long tokens = Long.parseLong(m.group(1)) * 1000;
        if (threshold == null || tokens < threshold) {
          threshold = tokens;
          thresholdSuffix = "_above_" + m.group(1) + "k_tokens";
        }
      }
    }
    List<PriceRow> rows = new ArrayList<>();
    for (Map.Entry<String, String> tier : TIER_SUFFIX.entrySet()) {
      String s = tier.getValue();
      BigDecimal input = perMillion(e, "input_cost_per_token" + s);
      if (input == null) {
        continue;
      }
      boolean standard = s.isEmpty();
      BigDecimal cached = perMillion(e, "cache_read_input_token_cost" + s);
      BigDecimal cacheWrite = perMillion(e, "cache_creation_input_token_cost" + s);
      BigDecimal output = perMillion(e, "output_cost_per_token" + s);
      BigDecimal reasoning = standard ? perMillion(e, "output_cost_per_reasoning_token") : null;
      Long rowThreshold = null;
      BigDecimal lcInput = null;
      BigDecimal lcCached = null;
      BigDecimal lcOutput = null;
      if (threshold != null) {
        lcInput = perMillion(e, "input_cost_per_token" + thresholdSuffix + s);
        lcCached = perMillion(e, "cache_read_input_token_cost" + thresholdSuffix + s);
        lcOutput = perMillion(e, "output_cost_per_token" + thresholdSuffix + s);
        rowThreshold = lcInput != null || lcOutput != null ? threshold : null;
        if (rowThreshold == null) {
          lcCached = null;
        }
      }
      rows.add(new PriceRow(provider, model, operation, tier.getKey(), validFrom, null,
          input, cached, cacheWrite, output, reasoning, rowThreshold, lcInput, lcCached, lcOutput, null,
          "litellm " + key, origin));
    }
    return rows;
  }

  /** A per-token price as USD per 1M tokens, rounded to 9 decimals (float noise in the source). */
  private static BigDecimal perMillion(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    if (value == null || value.isNull() || !value.isNumber()) {
      return null;
    }
    BigDecimal price = value.decimalValue().multiply(PER_MILLION)
        .setScale(PriceCatalog.MAX_PRICE_SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
    return price.scale() < 0 ? price.setScale(0) : price;
  }

  private static Map<String, String> orderedTiers() {
    Map<String, String> tiers = new LinkedHashMap<>();
    tiers.put("standard", "");
    tiers.put("batch", "_batches");
    tiers.put("flex", "_flex");
    tiers.put("priority", "_priority");
    return tiers;
  }
}
