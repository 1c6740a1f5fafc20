package dev.costlake.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.costlake.anomaly.CostChange.CachePrices;
import dev.costlake.anomaly.CostChange.Factor;
import dev.costlake.anomaly.CostChange.ModelUsage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decomposition of a change in cost, computed by hand; the parts always add up to the change. */
class CostChangeTest {
  private static ModelUsage use(String model, double requests, double input, double cached, double output, String cost) {
    return new ModelUsage(model, requests, input, cached, output, new BigDecimal(cost));
  }

  private static BigDecimal usd(String value) {
    return new BigDecimal(value).setScale(9);
  }

  @Test
  void aMoveToAPricierModelIsMixAndTheRestIsNothing() {
    // Baseline: 100 requests of mini at $0.01. Now: 40 of mini ($0.40) and 60 of big at $0.10 ($6.00).
    List<ModelUsage> before = List.of(use("mini", 100, 100_000, 0, 10_000, "1.00"));
    List<ModelUsage> now = List.of(use("mini", 40, 40_000, 0, 4_000, "0.40"), use("big", 60, 60_000, 0, 6_000, "6.00"));
    CostChange.Decomposition d = CostChange.decompose(before, now, new BigDecimal("1.00"), new BigDecimal("6.40"),
        m -> Optional.empty());
    // Same 100 requests: no volume. Mix: 40 x 0.01 + big counted whole (6.00) - 1.00 = 5.40.
    assertEquals(Map.of(Factor.VOLUME, usd("0"), Factor.MIX, usd("5.40"), Factor.TOKENS_PER_REQUEST, usd("0"),
        Factor.CACHE_HIT_RATE, usd("0"), Factor.PRICE, usd("0")), d.effects());
    assertEquals(Factor.MIX, d.topFactor());
    assertEquals(usd("5.40"), d.total());
  }

  @Test
  void aCacheCollapseIsPricedWithTheListPrices() {
    // One model, input $1/M, cached $0.10/M, output $4/M. Baseline 10 requests: 10,000 input (half cached)
    // + 1,000 output = 5,000 x 1 + 5,000 x 0.1 + 1,000 x 4 = 9,500 micro-USD. Now the same tokens, no cache hits:
    // 10,000 x 1 + 1,000 x 4 = 14,000 micro-USD.
    CachePrices prices = new CachePrices(1e-6, 0.1e-6, 4e-6);
    List<ModelUsage> before = List.of(use("m", 10, 10_000, 5_000, 1_000, "0.0095"));
    List<ModelUsage> now = List.of(use("m", 10, 10_000, 0, 1_000, "0.014"));
    CostChange.Decomposition d = CostChange.decompose(before, now, new BigDecimal("0.0095"), new BigDecimal("0.014"),
        m -> Optional.of(prices));
    assertEquals(usd("0"), d.effect(Factor.VOLUME));
    assertEquals(usd("0"), d.effect(Factor.MIX));
    assertEquals(usd("0"), d.effect(Factor.TOKENS_PER_REQUEST));
    // 0.0095 x 14,000 / 9,500 - 0.0095 = 0.0045: the whole change; the price per token did not move.
    assertEquals(usd("0.0045"), d.effect(Factor.CACHE_HIT_RATE));
    assertEquals(usd("0"), d.effect(Factor.PRICE));
    assertEquals(Factor.CACHE_HIT_RATE, d.topFactor());
    assertEquals(0.5, d.baselineCacheHitRate(), 0);
    assertEquals(0.0, d.actualCacheHitRate(), 0);
  }

  @Test
  void volumeTokensAndPriceTogetherAddUpToTheChangeExactly() {
    // Baseline 10 requests x 1,000 tokens at $1/1K tokens = $10. Now 20 requests (volume x2) of 1,500 tokens
    // (x1.5) at $1.2/1K (price x1.2): 30,000 tokens x 0.0012 = $36.
    List<ModelUsage> before = List.of(use("m", 10, 10_000, 0, 0, "10"));
    List<ModelUsage> now = List.of(use("m", 20, 30_000, 0, 0, "36"));
    CostChange.Decomposition d = CostChange.decompose(before, now, new BigDecimal("10"), new BigDecimal("36"),
        m -> Optional.empty());
    assertEquals(usd("10"), d.effect(Factor.VOLUME));              // 10 -> 20
    assertEquals(usd("0"), d.effect(Factor.MIX));
    assertEquals(usd("10"), d.effect(Factor.TOKENS_PER_REQUEST));  // 20 -> 30
    assertEquals(usd("0"), d.effect(Factor.CACHE_HIT_RATE));
    assertEquals(usd("6"), d.effect(Factor.PRICE));                // 30 -> 36
    assertEquals(usd("26"), d.total());
    assertEquals(2.0, d.requestsRatio(), 1e-12);
    assertEquals(1.5, d.tokensPerRequestRatio(), 1e-12);
    assertEquals(1.2, d.costPerTokenRatio(), 1e-12);
  }

  @Test
  void aRobustBaselineIsScaledToTheMedianSoThePartsStillAddUp() {
    // Mean $23 over 230 requests, median $11: the baseline is taken as 110 requests at the same cost per request.
    List<ModelUsage> before = List.of(use("m", 230, 230_000, 0, 0, "23"));
    List<ModelUsage> now = List.of(use("m", 500, 500_000, 0, 0, "50"));
    CostChange.Decomposition d = CostChange.decompose(before, now, new BigDecimal("11"), new BigDecimal("50"),
        m -> Optional.empty());
    assertEquals(usd("39"), d.effect(Factor.VOLUME));
    assertEquals(usd("39"), d.total());
  }

  @Test
  void nothingUsualMeansTheWholeCostIsVolume() {
    CostChange.Decomposition d = CostChange.decompose(List.of(), List.of(use("m", 5, 5_000, 0, 0, "2.5")),
        BigDecimal.ZERO, new BigDecimal("2.5"), m -> Optional.empty());
    assertEquals(usd("2.5"), d.effect(Factor.VOLUME));
    assertEquals(usd("2.5"), d.total());
    assertEquals(Factor.VOLUME, d.topFactor());
  }
}
