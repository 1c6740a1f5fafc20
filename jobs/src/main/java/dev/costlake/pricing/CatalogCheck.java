package dev.costlake.pricing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lints a price catalog: the mistakes that silently misprice history. Errors make `prices check`
 * exit non-zero and stop an ingest from starting; warnings are shown but do not block.
 */
public final class CatalogCheck {
  /** A price this many times above or below the median of its provider and operation is a unit slip. */
  static final BigDecimal UNIT_SLIP_FACTOR = BigDecimal.valueOf(1000);

  private CatalogCheck() {}

  public static List<CatalogProblem> check(PriceCatalog catalog) {
    List<CatalogProblem> problems = new ArrayList<>(catalog.parseProblems());
    Map<String, String> providerOfModel = new HashMap<>();
    for (PriceRow row : catalog.rows()) {
      checkRow(row, problems);
      String other = providerOfModel.putIfAbsent(row.model(), row.provider());
      if (other != null && !other.equals(row.provider())) {
        problems.add(CatalogProblem.error(row.origin(), "model " + row.model() + " is listed under provider "
            + row.provider() + " and under " + other + "; a model name must name one price list"));
      }
    }
    for (List<PriceRow> periods : catalog.byKey().values()) {
      checkPeriods(periods, problems);
    }
    checkUnitSlips(catalog.rows(), problems);
    return problems;
  }

  public static boolean hasErrors(List<CatalogProblem> problems) {
    return problems.stream().anyMatch(p -> p.severity() == CatalogProblem.Severity.ERROR);
  }

  private static void checkRow(PriceRow row, List<CatalogProblem> problems) {
    String[] names = {"input", "cached_input", "cache_write", "output", "reasoning", "long_context_input",
        "long_context_cached_input", "long_context_output", "request_fee"};
    BigDecimal[] prices = {row.inputUsdPer1m(), row.cachedInputUsdPer1m(), row.cacheWriteUsdPer1m(),
        row.outputUsdPer1m(), row.reasoningUsdPer1m(), row.longContextInputUsdPer1m(),
        row.longContextCachedInputUsdPer1m(), row.longContextOutputUsdPer1m(), row.requestFeeUsd()};
    for (int i = 0; i < prices.length; i++) {
      if (prices[i] != null && prices[i].signum() < 0) {
        problems.add(CatalogProblem.error(row.origin(), names[i] + " price is negative (" + prices[i].toPlainString() + ")"));
      }
    }
    if (above(row.cachedInputUsdPer1m(), row.inputUsdPer1m())) {
      problems.add(CatalogProblem.error(row.origin(), "cached input price " + row.cachedInputUsdPer1m().toPlainString()
          + " is above the input price " + row.inputUsdPer1m().toPlainString() + " (a cache read is never dearer)"));
    }
    if (above(row.longContextCachedInputUsdPer1m(), row.longContextInputUsdPer1m())) {
      problems.add(CatalogProblem.error(row.origin(), "long-context cached input price is above the long-context input price"));
    }
    if (row.validTo() != null && row.validFrom() != null && !row.validTo().isAfter(row.validFrom())) {
      problems.add(CatalogProblem.error(row.origin(), "valid_to " + PriceRow.render(row.validTo())
          + " is not after valid_from " + PriceRow.render(row.validFrom())));
    }
    boolean longContextPrices = row.longContextInputUsdPer1m() != null || row.longContextOutputUsdPer1m() != null
        || row.longContextCachedInputUsdPer1m() != null;
    if (longContextPrices && row.longContextThresholdTokens() == null) {
      problems.add(CatalogProblem.error(row.origin(), "long-context prices without long_context_threshold_tokens"));
    }
    if (row.longContextThresholdTokens() != null && row.longContextThresholdTokens() <= 0) {
      problems.add(CatalogProblem.error(row.origin(), "long_context_threshold_tokens must be positive"));
    }
    if (row.longContextThresholdTokens() != null && !longContextPrices) {
      problems.add(CatalogProblem.warning(row.origin(), "long_context_threshold_tokens is set but no long-context price is"));
    }
    if ("chat".equals(row.operation()) && row.outputUsdPer1m() == null) {
      problems.add(CatalogProblem.warning(row.origin(), "a chat price without an output price: output tokens will cost 0"));
    }
  }

  private static boolean above(BigDecimal a, BigDecimal b) {
    return a != null && b != null && a.compareTo(b) > 0;
  }

  /** The periods of one model/operation/tier must follow each other with no overlap and no gap. */
  private static void checkPeriods(List<PriceRow> periods, List<CatalogProblem> problems) {
    List<PriceRow> sorted = new ArrayList<>(periods);
    sorted.removeIf(r -> r.validFrom() == null);
    sorted.sort(Comparator.comparing(PriceRow::validFrom));
    for (int i = 1; i < sorted.size(); i++) {
      PriceRow previous = sorted.get(i - 1);
      PriceRow current = sorted.get(i);
      if (previous.validTo() == null || previous.validTo().isAfter(current.validFrom())) {
        problems.add(CatalogProblem.error(current.origin(), current.key() + " from " + PriceRow.render(current.validFrom())
            + " overlaps the period from " + PriceRow.render(previous.validFrom()) + " at " + previous.origin()
            + (previous.validTo() == null ? " (which has no valid_to)" : "")));
      } else if (previous.validTo().isBefore(current.validFrom())) {
        problems.add(CatalogProblem.error(current.origin(), current.key() + " has no price between "
            + PriceRow.render(previous.validTo()) + " and " + PriceRow.render(current.validFrom())
            + " (gap after " + previous.origin() + ")"));
      }
    }
  }

  /**
   * Per-token or per-1K prices typed into a per-1M column are 1,000 or 1,000,000 times off the rest
   * of their provider's prices for the same operation.
   */
  private static void checkUnitSlips(List<PriceRow> rows, List<CatalogProblem> problems) {
    Map<String, List<BigDecimal>> family = new HashMap<>();
    for (PriceRow row : rows) {
      if (row.inputUsdPer1m() != null && row.inputUsdPer1m().signum() > 0) {
        family.computeIfAbsent(row.provider() + "/" + row.operation(), k -> new ArrayList<>()).add(row.inputUsdPer1m());
      }
    }
    Map<String, BigDecimal> medians = new HashMap<>();
    family.forEach((key, prices) -> {
      if (prices.size() >= 3) {
        List<BigDecimal> sorted = new ArrayList<>(prices);
        sorted.sort(Comparator.naturalOrder());
        medians.put(key, sorted.get(sorted.size() / 2));
      }
    });
    for (PriceRow row : rows) {
      BigDecimal median = medians.get(row.provider() + "/" + row.operation());
      BigDecimal price = row.inputUsdPer1m();
      if (median == null || price == null || price.signum() <= 0) {
        continue;
      }
      if (price.compareTo(median.multiply(UNIT_SLIP_FACTOR)) > 0
          || price.multiply(UNIT_SLIP_FACTOR).compareTo(median) < 0) {
        problems.add(CatalogProblem.error(row.origin(), "input price " + price.toPlainString() + " for " + row.model()
            + " is over 1000x off the median " + median.toPlainString() + " of " + row.provider() + " " + row.operation()
            + " prices: prices are USD per 1M tokens, not per token or per 1K"));
      }
    }
  }
}
