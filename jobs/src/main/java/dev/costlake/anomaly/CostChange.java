package dev.costlake.anomaly;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Splits a scope's change in cost into what moved: the number of requests, the mix of models, tokens
 * per request, the prompt-cache hit rate and the price per token.
 *
 * <p>Cost is requests x sum over models of (model share x tokens per request x cost per token). Each
 * effect replaces one factor, in that order, from its baseline value to its value in the period, and
 * is the change in cost that step makes (sequential substitution). The cache step scales each model's
 * cost per token by what its list prices say the new cache hit rate costs relative to the old one, at
 * the period's input/output tokens; the price effect is whatever is left. The effects therefore add up
 * to the change exactly. A model new in the period counts whole in the mix effect.
 */
public final class CostChange {
  private static final int SCALE = 9;

  private CostChange() {}

  /** One model's use within a scope: in the period, or the mean over the baseline periods. */
  public record ModelUsage(String model, double requests, double inputTokens, double cachedInputTokens,
      double outputTokens, BigDecimal costUsd) {
    double tokens() {
      return inputTokens + outputTokens;
    }
  }

  /** List prices per token of a model, enough to say what a cache hit saves. */
  public record CachePrices(double inputUsdPerToken, double cachedInputUsdPerToken, double outputUsdPerToken) {
    /** Cost of these tokens at this cache hit rate (the share of input tokens read from the cache). */
    double cost(double inputTokens, double outputTokens, double cacheHitRate) {
      return inputTokens * ((1 - cacheHitRate) * inputUsdPerToken + cacheHitRate * cachedInputUsdPerToken)
          + outputTokens * outputUsdPerToken;
    }
  }

  public enum Factor {
    VOLUME("volume"), MIX("mix"), TOKENS_PER_REQUEST("tokens_per_request"), CACHE_HIT_RATE("cache_hit_rate"),
    PRICE("price");

    private final String label;

    Factor(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The effects in USD, in {@link Factor} order; they add up to actual - expected. */
  public record Decomposition(Map<Factor, BigDecimal> effects, double requestsRatio, double tokensPerRequestRatio,
      double baselineCacheHitRate, double actualCacheHitRate, double costPerTokenRatio) {
    public BigDecimal effect(Factor factor) {
      return effects.get(factor);
    }

    public BigDecimal total() {
      return effects.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The factor with the largest effect in the direction of the change (the largest in size if none is). */
    public Factor topFactor() {
      int direction = total().signum();
      Factor best = null;
      for (Factor factor : Factor.values()) {
        BigDecimal effect = effects.get(factor);
        boolean withChange = direction == 0 || effect.signum() == direction;
        if (withChange && (best == null || effect.abs().compareTo(effects.get(best).abs()) > 0)) {
          best = factor;
        }
      }
      return best;
    }
  }

  /**
   * @param baseline  per model, the mean use over the baseline periods (their costs add up to the mean)
   * @param actual    per model, the use in the period
   * @param expected  the expected cost the change is measured from (the mean, or the median when robust:
   *                  the baseline is scaled to it, keeping its per-request shape)
   * @param actualCost the scope's cost in the period
   * @param prices    list prices of a model, when the catalog has them (else its cache effect is 0)
   */
  public static Decomposition decompose(List<ModelUsage> baseline, List<ModelUsage> actual, BigDecimal expected,
      BigDecimal actualCost, Function<String, Optional<CachePrices>> prices) {
    BigDecimal change = actualCost.subtract(expected);
    double baselineCost = baseline.stream().mapToDouble(u -> u.costUsd().doubleValue()).sum();
    double expectedCost = expected.doubleValue();
    double scale = baselineCost > 0 ? expectedCost / baselineCost : 0;
    double baselineRequests = baseline.stream().mapToDouble(ModelUsage::requests).sum() * scale;
    double actualRequests = actual.stream().mapToDouble(ModelUsage::requests).sum();

    Map<Factor, BigDecimal> effects = new java.util.EnumMap<>(Factor.class);
    if (expectedCost <= 0 || baselineRequests <= 0) {
      // Nothing usual to compare with: it is all new volume.
      for (Factor factor : Factor.values()) {
        effects.put(factor, BigDecimal.ZERO.setScale(SCALE));
      }
      effects.put(Factor.VOLUME, change.setScale(SCALE, RoundingMode.HALF_UP));
      return new Decomposition(effects, Double.NaN, Double.NaN, Double.NaN, cacheHitRate(actual), Double.NaN);
    }

    Map<String, ModelUsage> before = new HashMap<>();
    for (ModelUsage usage : baseline) {
      before.put(usage.model(), usage);
    }
    double c0 = expectedCost;
    double c1 = c0 * actualRequests / baselineRequests;
    double c2 = 0;
    double c3 = 0;
    double c4 = 0;
    for (ModelUsage now : actual) {
      ModelUsage was = before.get(now.model());
      double nowCost = now.costUsd().doubleValue();
      if (was == null || was.requests() <= 0 || was.tokens() <= 0) {
        c2 += nowCost;
        c3 += nowCost;
        c4 += nowCost;
        continue;
      }
      double costPerRequest = was.costUsd().doubleValue() / was.requests();
      double costPerToken = was.costUsd().doubleValue() / was.tokens();
      c2 += now.requests() * costPerRequest;
      c3 += now.tokens() * costPerToken;
      c4 += now.tokens() * costPerToken * cacheRatio(was, now, prices.apply(now.model()));
    }
    BigDecimal volume = usd(c1 - c0);
    BigDecimal mix = usd(c2 - c1);
    BigDecimal tokens = usd(c3 - c2);
    BigDecimal cache = usd(c4 - c3);
    effects.put(Factor.VOLUME, volume);
    effects.put(Factor.MIX, mix);
    effects.put(Factor.TOKENS_PER_REQUEST, tokens);
    effects.put(Factor.CACHE_HIT_RATE, cache);
    // The last step lands on the actual cost: the price effect is the exact remainder.
    effects.put(Factor.PRICE, change.setScale(SCALE, RoundingMode.HALF_UP).subtract(volume).subtract(mix)
        .subtract(tokens).subtract(cache));

    double baselineTokens = baseline.stream().mapToDouble(ModelUsage::tokens).sum() * scale;
    double actualTokens = actual.stream().mapToDouble(ModelUsage::tokens).sum();
    double tokensPerRequestRatio = actualRequests > 0 && baselineTokens > 0
        ? (actualTokens / actualRequests) / (baselineTokens / baselineRequests) : Double.NaN;
    double costPerTokenRatio = actualTokens > 0 && baselineTokens > 0
        ? (actualCost.doubleValue() / actualTokens) / (expectedCost / baselineTokens) : Double.NaN;
    return new Decomposition(effects, actualRequests / baselineRequests, tokensPerRequestRatio,
        cacheHitRate(baseline), cacheHitRate(actual), costPerTokenRatio);
  }

  /** What the period's tokens cost at its cache hit rate, relative to the baseline's rate. */
  static double cacheRatio(ModelUsage was, ModelUsage now, Optional<CachePrices> prices) {
    if (prices.isEmpty() || was.inputTokens() <= 0 || now.inputTokens() <= 0) {
      return 1;
    }
    double before = prices.get().cost(now.inputTokens(), now.outputTokens(), was.cachedInputTokens() / was.inputTokens());
    double after = prices.get().cost(now.inputTokens(), now.outputTokens(), now.cachedInputTokens() / now.inputTokens());
    return before > 0 ? after / before : 1;
  }

  static double cacheHitRate(List<ModelUsage> usages) {
    double input = usages.stream().mapToDouble(ModelUsage::inputTokens).sum();
    double cached = usages.stream().mapToDouble(ModelUsage::cachedInputTokens).sum();
    return input > 0 ? cached / input : Double.NaN;
  }

  private static BigDecimal usd(double value) {
    return BigDecimal.valueOf(value).setScale(SCALE, RoundingMode.HALF_UP);
  }
}
