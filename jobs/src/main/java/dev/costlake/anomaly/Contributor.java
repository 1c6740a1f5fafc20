package dev.costlake.anomaly;

import java.math.BigDecimal;

/** A child value inside an anomalous scope (a user of a feature, a model of a tenant) and how it moved. */
public record Contributor(String dimension, String value, BigDecimal actualCostUsd, BigDecimal expectedCostUsd,
    BigDecimal changeUsd, double shareOfChangePct, double usualSharePct) {

  /** As in gold.cost_anomalies.top_driver: dimension:value. */
  public String key() {
    return dimension + ":" + value;
  }

  /** How much more of the change it made than of the usual cost, in points: what makes it a cause. */
  public double excessSharePct() {
    return shareOfChangePct - usualSharePct;
  }
}
