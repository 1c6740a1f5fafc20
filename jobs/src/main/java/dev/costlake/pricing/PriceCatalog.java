package dev.costlake.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The effective-dated price catalog: the built-in conf/prices/default.csv, overlaid by the user's
 * own catalog (prices.catalog), whose rows replace the built-in rows of the same model, operation and
 * service tier from the user's first valid_from on (see {@link #overlay}). Parsing keeps going after a bad row so that every problem is reported at once.
 */
public final class PriceCatalog {
  public static final String BUILT_IN_RESOURCE = "costlake/prices/default.csv";
  public static final String BUILT_IN_NAME = "conf/prices/default.csv";

  /** The catalog file's columns, in order. */
  public static final List<String> COLUMNS = List.of(
      "provider", "model", "operation", "service_tier", "valid_from", "valid_to",
      "input_usd_per_1m", "cached_input_usd_per_1m", "cache_write_usd_per_1m", "output_usd_per_1m",
      "reasoning_usd_per_1m", "long_context_threshold_tokens", "long_context_input_usd_per_1m",
      "long_context_cached_input_usd_per_1m", "long_context_output_usd_per_1m", "request_fee_usd", "note");

  /** Catalog operations; an event's `completion` is priced as `chat`. */
  public static final Set<String> OPERATIONS =
      Set.of("chat", "embedding", "fine_tune", "image", "audio", "rerank");
  public static final Set<String> SERVICE_TIERS = Set.of("standard", "batch", "flex", "priority");
  /** Prices are stored as DECIMAL(20,9) USD per 1M tokens. */
  static final int MAX_PRICE_SCALE = 9;

  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
      .setHeader().setSkipHeaderRecord(true).setCommentMarker('#').setIgnoreEmptyLines(true)
      .setTrim(true).get();

  private final List<PriceRow> rows;
  private final List<CatalogProblem> parseProblems;
  private final List<String> sources;

  private PriceCatalog(List<PriceRow> rows, List<CatalogProblem> parseProblems, List<String> sources) {
    this.rows = List.copyOf(rows);
    this.parseProblems = List.copyOf(parseProblems);
    this.sources = List.copyOf(sources);
  }

  /** The built-in catalog that ships in the jar. */
  public static PriceCatalog builtIn() {
    try (InputStream in = PriceCatalog.class.getClassLoader().getResourceAsStream(BUILT_IN_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the built-in price catalog " + BUILT_IN_RESOURCE + " is not on the class path");
      }
      return parse(new InputStreamReader(in, StandardCharsets.UTF_8), BUILT_IN_NAME);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built-in catalog overlaid by the user's file, or the built-in one when userFile is null. */
  public static PriceCatalog load(Path userFile) {
    PriceCatalog builtIn = builtIn();
    return userFile == null ? builtIn : builtIn.overlaidBy(read(userFile));
  }

  /** One catalog file on its own (for `prices check FILE`). */
  public static PriceCatalog read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("price catalog " + file + " does not exist or is not a file");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read price catalog " + file, e);
    }
  }

  /** Parses catalog CSV; rows that cannot be read become problems instead of rows. */
  public static PriceCatalog parse(Reader reader, String sourceName) {
    List<PriceRow> rows = new ArrayList<>();
    List<CatalogProblem> problems = new ArrayList<>();
    try {
      var parser = FORMAT.parse(reader);
      List<String> header = parser.getHeaderNames();
      if (!header.equals(COLUMNS)) {
        problems.add(CatalogProblem.error(sourceName + ":1",
            "the header must be exactly " + String.join(",", COLUMNS) + " (got " + String.join(",", header) + ")"));
        return new PriceCatalog(rows, problems, List.of(sourceName));
      }
      for (CSVRecord record : parser) {
        String origin = sourceName + ":" + parser.getCurrentLineNumber();
        new RowReader(record, origin, problems).read().ifPresent(rows::add);
      }
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      problems.add(CatalogProblem.error(sourceName, "not a readable CSV file: " + e.getMessage()));
    }
    return new PriceCatalog(rows, problems, List.of(sourceName));
  }

  /** A catalog of rows built in memory (an import before it is written), named `sourceName` in messages. */
  static PriceCatalog of(List<PriceRow> rows, String sourceName) {
    return new PriceCatalog(rows, List.of(), List.of(sourceName));
  }

  /** This catalog overlaid by `user`'s rows, by {@link #overlay}. */
  public PriceCatalog overlaidBy(PriceCatalog user) {
    List<PriceRow> merged = overlay(rows, user.rows);
    List<CatalogProblem> problems = new ArrayList<>(parseProblems);
    problems.addAll(user.parseProblems);
    List<String> allSources = new ArrayList<>(sources);
    allSources.addAll(user.sources);
    return new PriceCatalog(merged, problems, allSources);
  }

  /**
   * The merge rule: for each model, operation and service tier the `over` rows price, they replace
   * every `base` row from their earliest valid_from on, and the base rows before it stay (the one
   * spanning it ends there), so a catalog that starts today never unprices yesterday's events.
   * Keys the over rows do not price keep all their base rows.
   */
  static List<PriceRow> overlay(List<PriceRow> base, List<PriceRow> over) {
    Map<String, Instant> overFrom = new LinkedHashMap<>();
    for (PriceRow row : over) {
      if (row.validFrom() != null) {
        overFrom.merge(row.key(), row.validFrom(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    List<PriceRow> merged = new ArrayList<>();
    for (PriceRow row : base) {
      Instant cut = overFrom.get(row.key());
      if (cut == null) {
        merged.add(row);
      } else if (row.validFrom().isBefore(cut)) {
        merged.add(row.validTo() == null || row.validTo().isAfter(cut) ? row.endingAt(cut) : row);
      }
    }
    merged.addAll(over);
    return merged;
  }

  public List<PriceRow> rows() {
    return rows;
  }

  /** Problems found while reading (bad numbers, dates, columns); CatalogCheck adds the rest. */
  public List<CatalogProblem> parseProblems() {
    return parseProblems;
  }

  public List<String> sources() {
    return sources;
  }

  public Set<String> models() {
    Set<String> models = new TreeSet<>();
    for (PriceRow row : rows) {
      models.add(row.model());
    }
    return Collections.unmodifiableSet(models);
  }

  /**
   * A short fingerprint of the prices (not of comments or notes), recorded on every priced event and
   * restatement so a number can be traced to the catalog that produced it.
   */
  public String version() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      rows.stream().map(PriceCatalog::canonical).sorted()
          .forEach(line -> sha.update((line + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String canonical(PriceRow row) {
    List<String> fields = values(row);
    return String.join(",", fields.subList(0, fields.size() - 1));
  }

  /** Writes rows in the catalog format (what `prices import-litellm` produces). */
  public static void write(List<PriceRow> rows, Appendable out, List<String> comments) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
    try (CSVPrinter printer = new CSVPrinter(out, format)) {
      printer.printRecord(COLUMNS);
      for (String comment : comments) {
        out.append("# ").append(comment).append('\n');
      }
      for (PriceRow row : rows) {
        printer.printRecord(values(row));
      }
    }
  }

  private static List<String> values(PriceRow row) {
    return List.of(
        row.provider(), row.model(), row.operation(), row.serviceTier(),
        PriceRow.render(row.validFrom()), PriceRow.render(row.validTo()),
        plain(row.inputUsdPer1m()), plain(row.cachedInputUsdPer1m()), plain(row.cacheWriteUsdPer1m()),
        plain(row.outputUsdPer1m()), plain(row.reasoningUsdPer1m()),
        row.longContextThresholdTokens() == null ? "" : row.longContextThresholdTokens().toString(),
        plain(row.longContextInputUsdPer1m()), plain(row.longContextCachedInputUsdPer1m()),
        plain(row.longContextOutputUsdPer1m()), plain(row.requestFeeUsd()),
        row.note() == null ? "" : row.note());
  }

  private static String plain(BigDecimal value) {
    return value == null ? "" : value.stripTrailingZeros().toPlainString();
  }

  /** Reads one CSV record into a row, recording every problem it has. */
  private static final class RowReader {
    private final CSVRecord record;
    private final String origin;
    private final List<CatalogProblem> problems;
    private boolean failed;

    RowReader(CSVRecord record, String origin, List<CatalogProblem> problems) {
      this.record = record;
      this.origin = origin;
      this.problems = problems;
    }

    java.util.Optional<PriceRow> read() {
      if (record.size() != COLUMNS.size()) {
        problems.add(CatalogProblem.error(origin,
            "has " + record.size() + " fields; a catalog row has " + COLUMNS.size()
                + " (quote a note that contains a comma)"));
        return java.util.Optional.empty();
      }
      String provider = required("provider").toLowerCase();
      String model = required("model").toLowerCase();
      String operation = oneOf("operation", OPERATIONS);
      String tier = oneOf("service_tier", SERVICE_TIERS);
      Instant validFrom = instant("valid_from", true);
      Instant validTo = instant("valid_to", false);
      PriceRow row = new PriceRow(provider, model, operation, tier, validFrom, validTo,
          price("input_usd_per_1m"), price("cached_input_usd_per_1m"), price("cache_write_usd_per_1m"),
          price("output_usd_per_1m"), price("reasoning_usd_per_1m"),
          tokens("long_context_threshold_tokens"), price("long_context_input_usd_per_1m"),
          price("long_context_cached_input_usd_per_1m"), price("long_context_output_usd_per_1m"),
          price("request_fee_usd"), emptyToNull(record.get("note")), origin);
      if (!failed && row.inputUsdPer1m() == null && row.requestFeeUsd() == null) {
        fail("input_usd_per_1m is empty: a row needs an input price or a request fee");
      }
      return failed ? java.util.Optional.empty() : java.util.Optional.of(row);
    }

    private String required(String column) {
      String value = record.get(column);
      if (value.isEmpty()) {
        fail(column + " is empty");
      }
      return value;
    }

    private String oneOf(String column, Set<String> allowed) {
      String value = required(column).toLowerCase();
      if (!value.isEmpty() && !allowed.contains(value)) {
        fail(column + " = " + value + ": must be one of " + new TreeSet<>(allowed));
      }
      return value;
    }

    private Instant instant(String column, boolean mandatory) {
      String value = record.get(column);
      if (value.isEmpty()) {
        if (mandatory) {
          fail(column + " is empty");
        }
        return null;
      }
      try {
        if (value.length() == 10) {
          return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        return java.time.OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        fail(column + " = " + value + ": not a date (2024-10-02) or a timestamp with an offset (2024-10-02T09:00:00Z)");
        return null;
      }
    }

    private BigDecimal price(String column) {
      String value = record.get(column);
      if (value.isEmpty()) {
        return null;
      }
      try {
        BigDecimal price = new BigDecimal(value);
        if (price.stripTrailingZeros().scale() > MAX_PRICE_SCALE) {
          fail(column + " = " + value + ": more than " + MAX_PRICE_SCALE
              + " decimals; prices are USD per 1M tokens (per-token prices are 1,000,000 times smaller)");
          return null;
        }
        return price;
      } catch (NumberFormatException e) {
        fail(column + " = " + value + ": not a number");
        return null;
      }
    }

    private Long tokens(String column) {
      String value = record.get(column);
      if (value.isEmpty()) {
        return null;
      }
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        fail(column + " = " + value + ": not a whole number of tokens");
        return null;
      }
    }

    private void fail(String message) {
      failed = true;
      problems.add(CatalogProblem.error(origin, message));
    }

    private static String emptyToNull(String value) {
      return value.isEmpty() ? null : value;
    }
  }

  /** Rows grouped by their key, in file order. */
  Map<String, List<PriceRow>> byKey() {
    Map<String, List<PriceRow>> groups = new LinkedHashMap<>();
    for (PriceRow row : rows) {
      groups.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row);
    }
    return groups;
  }
}
