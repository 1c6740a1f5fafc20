package dev.costlake.anomaly;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/** The one sentence of gold.cost_anomalies.explanation: what moved, against what usual, and why. */
public final class Explanations {
  /** A child is named as the cause when its share of the change beats its usual share by this many points. */
  static final double CAUSE_EXCESS_PCT = 25;

  private Explanations() {}

  /** What an anomaly row needs said. */
  public record Facts(Grain grain, Instant periodStart, String scopeType, String scopeValue, String direction,
      BigDecimal actualCostUsd, BigDecimal impactUsd, Double pctChange, String baselineMethod, int baselinePeriods,
      List<Contributor> contributors, CostChange.Decomposition decomposition) {}

  public static String explain(Facts f) {
    StringBuilder s = new StringBuilder();
    if ("new_spend".equals(f.direction())) {
      s.append("new spend: ").append(scope(f.scopeType(), f.scopeValue())).append(' ')
          .append(money(f.actualCostUsd(), false)).append(" this ").append(f.grain().label())
          .append(", none before in the ").append(lookedBack(f));
    } else {
      s.append(scope(f.scopeType(), f.scopeValue())).append(' ').append(money(f.impactUsd(), true));
      if (f.pctChange() != null) {
        s.append(" (").append(signedPct(f.pctChange())).append(')');
      }
      s.append(" vs usual ").append(usual(f));
    }
    cause(f).ifPresent(c -> s.append("; ").append(Math.round(c.shareOfChangePct())).append("% from ")
        .append(c.dimension()).append(' ').append(c.value()));
    if (!"new_spend".equals(f.direction())) {
      String factor = factor(f);
      if (factor != null) {
        s.append("; ").append(factor);
      }
    }
    return s.toString();
  }

  /**
   * The sentence of a row flagged on requests or on the cached share of input: the series against
   * its usual, then what it did to spend, then the child that moved most, when one clearly did.
   */
  public static String explainUsage(Facts f, String metric, double actualValue, double expectedValue) {
    StringBuilder s = new StringBuilder(scope(f.scopeType(), f.scopeValue())).append(' ');
    if (AnomalyJob.METRIC_CACHED_INPUT_SHARE.equals(metric)) {
      s.append(String.format(Locale.ROOT, "prompt-cache share of input %.0f%% vs usual %.0f%% ",
          actualValue * 100, expectedValue * 100));
    } else {
      s.append(String.format(Locale.ROOT, "requests %,.0f", actualValue));
      if (expectedValue > 0) {
        s.append(" (").append(signedPct((actualValue - expectedValue) * 100 / expectedValue)).append(')');
      }
      s.append(String.format(Locale.ROOT, " vs usual %,.1f ", expectedValue));
    }
    s.append(usual(f)).append("; spend ").append(money(f.impactUsd(), true));
    if (f.pctChange() != null) {
      s.append(" (").append(signedPct(f.pctChange())).append(')');
    }
    cause(f).ifPresent(c -> s.append("; ").append(Math.round(c.shareOfChangePct())).append("% of that from ")
        .append(c.dimension()).append(' ').append(c.value()));
    return s.toString();
  }

  /** The child named as the cause: the best-ranked one, when it moved clearly more than its usual share. */
  static java.util.Optional<Contributor> cause(Facts f) {
    if (f.contributors().isEmpty()) {
      return java.util.Optional.empty();
    }
    Contributor top = f.contributors().get(0);
    boolean clear = "new_spend".equals(f.direction()) || top.excessSharePct() >= CAUSE_EXCESS_PCT;
    return clear ? java.util.Optional.of(top) : java.util.Optional.empty();
  }

  static String scope(String type, String value) {
    return switch (type) {
      case "total" -> "all spend";
      case "tenant_feature" -> "tenant/feature " + value;
      default -> type + " " + value;
    };
  }

  static String usual(Facts f) {
    ZonedDateTime at = f.periodStart().atZone(ZoneOffset.UTC);
    return switch (f.baselineMethod()) {
      case BaselinePlan.SAME_HOUR_OF_WEEK -> at.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
          + String.format(Locale.ROOT, " %02d:00 UTC", at.getHour());
      case BaselinePlan.SAME_HOUR_OF_DAY -> (BaselinePlan.isWeekend(Grain.DAY.periodOf(f.periodStart()))
          ? "weekend" : "weekday") + String.format(Locale.ROOT, " %02d:00 UTC", at.getHour());
      case BaselinePlan.TRAILING_HOURS -> "of the last " + f.baselinePeriods() + " hours";
      case BaselinePlan.SAME_DAY_TYPE -> BaselinePlan.isWeekend(f.periodStart()) ? "weekend day" : "weekday";
      default -> f.baselineMethod();
    };
  }

  static String lookedBack(Facts f) {
    return switch (f.baselineMethod()) {
      case BaselinePlan.SAME_HOUR_OF_WEEK -> "trailing hours and the same hour of previous weeks";
      case BaselinePlan.SAME_HOUR_OF_DAY -> "trailing hours and the same hour of previous days";
      case BaselinePlan.TRAILING_HOURS -> "trailing hours";
      default -> "trailing days";
    };
  }

  static String factor(Facts f) {
    CostChange.Decomposition d = f.decomposition();
    CostChange.Factor top = d.topFactor();
    return switch (top) {
      case VOLUME -> Double.isNaN(d.requestsRatio()) ? null
          : d.requestsRatio() >= 1 ? "requests " + times(d.requestsRatio())
          : "requests " + signedPct((d.requestsRatio() - 1) * 100);
      case MIX -> f.contributors().stream().filter(c -> c.dimension().equals("model") && c.changeUsd().signum()
              == f.impactUsd().signum()).findFirst()
          .map(c -> "model mix moved to " + c.value()).orElse("model mix changed");
      case TOKENS_PER_REQUEST -> "tokens per request " + times(d.tokensPerRequestRatio());
      case CACHE_HIT_RATE -> String.format(Locale.ROOT, "prompt-cache hit rate %.0f%% -> %.0f%%",
          d.baselineCacheHitRate() * 100, d.actualCacheHitRate() * 100);
      case PRICE -> "cost per token " + times(d.costPerTokenRatio());
    };
  }

  static String times(double ratio) {
    return Double.isNaN(ratio) ? "changed" : String.format(Locale.ROOT, ratio >= 10 ? "x%.0f" : "x%.1f", ratio);
  }

  static String signedPct(double pct) {
    return String.format(Locale.ROOT, "%+.0f%%", pct);
  }

  /** +$412.00, -$0.0042: cents, or four decimals below a dollar. */
  static String money(BigDecimal usd, boolean signed) {
    BigDecimal abs = usd.abs();
    BigDecimal shown = abs.setScale(abs.compareTo(BigDecimal.ONE) < 0 ? 4 : 2, RoundingMode.HALF_UP);
    String sign = signed ? (usd.signum() < 0 ? "-" : "+") : (usd.signum() < 0 ? "-" : "");
    return sign + "$" + String.format(Locale.ROOT, "%,." + shown.scale() + "f", shown);
  }
}
