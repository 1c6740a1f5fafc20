package dev.costlake.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Converts LiteLLM's model_prices_and_context_window.json (per-token prices, one entry per model
 * key) into catalog rows (per-1M prices, one row per model and service tier) that pass `prices
 * check` on their own and over the built-in catalog. Entries that cannot be priced per token are
 * skipped, and entries the check would reject are left out, each with a reason, never guessed.
 */
public final class LitellmImport {
  /** valid_from of a model no built-in rule prices: LiteLLM's price is the only one known, so it is the price since always. */
  public static final Instant SINCE_ALWAYS = Instant.EPOCH;
  private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000);
  private static final Pattern LONG_CONTEXT = Pattern.compile("^input_cost_per_token_above_(\\d+)k_tokens$");
  private static final Map<String, String> OPERATION_OF_MODE = Map.of(
      "chat", "chat", "completion", "chat", "responses", "chat", "embedding", "embedding");
  /** LiteLLM's suffix for each service tier's price keys. */
  private static final Map<String, String> TIER_SUFFIX = orderedTiers();
  /** Leaving entries out can move a provider's median price; the check is re-run until it settles. */
  private static final int MAX_CHECK_ROUNDS = 10;

  private LitellmImport() {}

  /** Which valid_from a model's imported rows got, and what prices it before. */
  public enum History {
    /** The built-in catalog has the model by this name: its built-in rows price it before valid_from. */
    BUILT_IN_BEFORE,
    /**
     * The built-in catalog priced the name through a snapshot or provider-prefix rule: that model's
     * built-in rows are copied under this name before valid_from, so earlier events price as before.
     */
    BUILT_IN_MATCH_COPIED_BEFORE,
    /** No built-in rule priced the name: the imported price applies since {@link #SINCE_ALWAYS}. */
    SINCE_ALWAYS
  }

  /**
   * What an import produced: rows, the skipped entries (cannot be priced per token) by reason, the
   * entries left out because `prices check` would reject them (key -> reason), the entries renamed
   * to LiteLLM's provider-qualified name (key -> model), and how many models each history rule got.
   */
  public record Result(List<PriceRow> rows, int entriesImported, Map<String, List<String>> skippedByReason,
      Map<String, String> excluded, Map<String, String> renamed, Map<History, Integer> modelsByHistory) {
    public int entriesSkipped() {
      return skippedByReason.values().stream().mapToInt(List::size).sum();
    }

    /** Every entry that is not in the catalog, with why: skipped ones, then left-out ones. */
    public Map<String, String> leftOut() {
      Map<String, String> all = new LinkedHashMap<>();
      skippedByReason.forEach((reason, keys) -> keys.forEach(key -> all.put(key, reason)));
      all.putAll(excluded);
      return all;
    }
  }

  /** One importable entry: its LiteLLM key, the catalog model name and provider it gets. */
  private record Entry(String key, String model, String provider, JsonNode node) {
    String origin(Path file) {
      return file.getFileName() + "#" + key;
    }
  }

  /**
   * Imports `file` with LiteLLM's prices from `validFrom` on (the map has no dates), resolving each
   * model's history against `builtIn` (see {@link History}).
   */
  public static Result run(Path file, Instant validFrom, PriceCatalog builtIn) {
    JsonNode root;
    try {
      root = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read LiteLLM price map " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + " is not a JSON object of model entries (LiteLLM's price map)");
    }
    Map<String, List<String>> skipped = new TreeMap<>();
    Map<String, Entry> byModel = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      String reason = skipReason(key, field.getValue());
      String model = key.trim().toLowerCase(Locale.ROOT);
      if (reason == null && byModel.containsKey(model)) {
        reason = "same name as " + byModel.get(model).key() + " once lower-cased";
      }
      if (reason != null) {
        skipped.computeIfAbsent(reason, r -> new ArrayList<>()).add(key);
        continue;
      }
      String provider = field.getValue().get("litellm_provider").asText().toLowerCase(Locale.ROOT);
      byModel.put(model, new Entry(key, model, provider, field.getValue()));
    }

    Map<String, String> excluded = new LinkedHashMap<>();
    Map<String, String> renamed = new LinkedHashMap<>();
    List<Entry> entries = qualifyNamesOfOtherProviders(byModel, builtIn, excluded, renamed);

    ModelMatcher builtInMatcher = new ModelMatcher(builtIn.models(), Map.of());
    Map<String, List<PriceRow>> rowsOfEntry = new LinkedHashMap<>();
    Map<String, History> historyOfEntry = new LinkedHashMap<>();
    for (Entry entry : entries) {
      Optional<ModelMatcher.Match> match = builtInMatcher.match(entry.model());
      History history = match.isEmpty() ? History.SINCE_ALWAYS
          : match.get().rule().equals(ModelMatcher.EXACT) ? History.BUILT_IN_BEFORE : History.BUILT_IN_MATCH_COPIED_BEFORE;
      List<PriceRow> imported = rowsOf(entry, history == History.SINCE_ALWAYS ? SINCE_ALWAYS : validFrom,
          entry.origin(file));
      List<PriceRow> rows = imported;
      if (history == History.BUILT_IN_MATCH_COPIED_BEFORE) {
        String source = match.get().catalogModel();
        List<PriceRow> copies = new ArrayList<>();
        for (PriceRow row : builtIn.rows()) {
          if (row.model().equals(source)) {
            copies.add(row.as(entry.provider(), entry.model(), "built-in " + source + " (" + match.get().rule()
                + " rule), as priced before the import", entry.origin(file)));
          }
        }
        rows = PriceCatalog.overlay(copies, imported);
      }
      rowsOfEntry.put(entry.key(), rows);
      historyOfEntry.put(entry.key(), history);
    }

    leaveOutWhatTheCheckRejects(rowsOfEntry, builtIn, file, excluded);

    List<PriceRow> rows = new ArrayList<>();
    Map<History, Integer> modelsByHistory = new EnumMap<>(History.class);
    for (History h : History.values()) {
      modelsByHistory.put(h, 0);
    }
    rowsOfEntry.forEach((key, entryRows) -> {
      rows.addAll(entryRows);
      modelsByHistory.merge(historyOfEntry.get(key), 1, Integer::sum);
    });
    return new Result(rows, rowsOfEntry.size(), skipped, excluded, renamed, modelsByHistory);
  }

  /**
   * A model name belongs to one provider. LiteLLM lists some models under a bare name that the
   * built-in catalog prices under another provider (gemini-2.5-pro: vertex_ai-language-models in
   * LiteLLM, google built in); such an entry takes the provider-qualified name LiteLLM uses for its
   * provider's other entries (vertex_ai/gemini-2.5-pro), or is left out when that name is taken.
   */
  private static List<Entry> qualifyNamesOfOtherProviders(Map<String, Entry> byModel, PriceCatalog builtIn,
      Map<String, String> excluded, Map<String, String> renamed) {
    Map<String, String> builtInProvider = new HashMap<>();
    for (PriceRow row : builtIn.rows()) {
      builtInProvider.putIfAbsent(row.model(), row.provider());
    }
    Map<String, String> prefixOfProvider = prefixesOfProviders(byModel.values());
    List<Entry> entries = new ArrayList<>();
    for (Entry entry : byModel.values()) {
      String owner = builtInProvider.get(entry.model());
      if (owner == null || owner.equals(entry.provider())) {
        entries.add(entry);
        continue;
      }
      String qualified = prefixOfProvider.getOrDefault(entry.provider(), entry.provider()) + "/" + entry.model();
      if (byModel.containsKey(qualified) || builtInProvider.containsKey(qualified)) {
        excluded.put(entry.key(), "the built-in catalog prices " + entry.model() + " under provider " + owner
            + ", and " + qualified + " (its name under " + entry.provider() + ") is already taken");
        continue;
      }
      renamed.put(entry.key(), qualified);
      entries.add(new Entry(entry.key(), qualified, entry.provider(), entry.node()));
    }
    return entries;
  }

  /** For each provider, the first path segment most of its provider-qualified keys use (vertex_ai for vertex_ai-language-models). */
  private static Map<String, String> prefixesOfProviders(java.util.Collection<Entry> entries) {
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    for (Entry entry : entries) {
      int slash = entry.model().indexOf('/');
      if (slash > 0) {
        counts.computeIfAbsent(entry.provider(), p -> new TreeMap<>())
            .merge(entry.model().substring(0, slash), 1, Integer::sum);
      }
    }
    Map<String, String> prefixes = new HashMap<>();
    counts.forEach((provider, byPrefix) -> prefixes.put(provider,
        byPrefix.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
    return prefixes;
  }

  /**
   * Leaves out every entry whose rows `prices check` rejects, on their own (`prices check FILE`) or
   * over the built-in catalog (what ingest loads), until neither finds an error in an imported row.
   */
  private static void leaveOutWhatTheCheckRejects(Map<String, List<PriceRow>> rowsOfEntry, PriceCatalog builtIn,
      Path file, Map<String, String> excluded) {
    Map<String, String> keyOfOrigin = new HashMap<>();
    for (Map.Entry<String, List<PriceRow>> e : rowsOfEntry.entrySet()) {
      for (PriceRow row : e.getValue()) {
        keyOfOrigin.put(row.origin(), e.getKey());
      }
    }
    for (int round = 0; round < MAX_CHECK_ROUNDS; round++) {
      List<PriceRow> rows = rowsOfEntry.values().stream().flatMap(List::stream).toList();
      PriceCatalog imported = PriceCatalog.of(rows, file.getFileName().toString());
      List<CatalogProblem> problems = new ArrayList<>(CatalogCheck.check(imported));
      problems.addAll(CatalogCheck.check(builtIn.overlaidBy(imported)));
      boolean leftOut = false;
      for (CatalogProblem problem : problems) {
        String key = keyOfOrigin.get(problem.origin());
        if (problem.severity() == CatalogProblem.Severity.ERROR && key != null && rowsOfEntry.remove(key) != null) {
          excluded.put(key, "prices check: " + problem.message());
          leftOut = true;
        }
      }
      if (!leftOut) {
        return;
      }
    }
  }

  /** The side file that lists the entries left out of `catalog`, with why: mine.csv -> mine.excluded.csv. */
  public static Path excludedFile(Path catalog) {
    String name = catalog.getFileName().toString();
    String stem = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    return catalog.resolveSibling(stem + ".excluded.csv");
  }

  /** Writes the catalog to `out` and the entries left out of it to {@link #excludedFile}. */
  public static void write(Result result, Path litellmFile, Instant validFrom, Path out) throws IOException {
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      PriceCatalog.write(result.rows(), writer, List.of(
          "imported from " + litellmFile.getFileName() + " (LiteLLM, MIT) by costlake prices import-litellm;",
          "models the built-in catalog prices: LiteLLM's prices from " + PriceRow.render(validFrom)
              + ", the built-in ones before; other models: LiteLLM's prices since " + PriceRow.render(SINCE_ALWAYS),
          "entries left out, with why: " + excludedFile(out).getFileName()));
    }
    try (Writer writer = Files.newBufferedWriter(excludedFile(out), StandardCharsets.UTF_8);
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
      printer.printRecord("litellm_key", "reason");
      for (Map.Entry<String, String> e : result.leftOut().entrySet()) {
        printer.printRecord(e.getKey(), e.getValue());
      }
    }
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

  private static List<PriceRow> rowsOf(Entry entry, Instant validFrom, String origin) {
    JsonNode e = entry.node();
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
      rows.add(new PriceRow(entry.provider(), entry.model(), operation, tier.getKey(), validFrom, null,
          input, cached, cacheWrite, output, reasoning, rowThreshold, lcInput, lcCached, lcOutput, null,
          "litellm " + entry.key(), origin));
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
