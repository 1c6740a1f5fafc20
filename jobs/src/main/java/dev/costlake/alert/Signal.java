package dev.costlake.alert;

import java.math.BigDecimal;

/**
 * A rule's finding in one run: a condition that holds now for one scope. The alert book turns
 * signals into alerts (gold.alerts), one per dedupe key, however many runs see the same condition.
 *
 * @param period what was judged, e.g. 2026-03-09 or 2026-03-10T13:00Z
 * @param measured the number that crossed the threshold, in unit
 * @param unit usd, requests, pct or count
 */
public record Signal(String rule, String scopeType, String scopeValue, Severity severity, String title,
    String message, String period, BigDecimal measured, BigDecimal threshold, String unit) {

  /** Stable across runs: the same rule on the same scope is the same alert. */
  public String dedupeKey() {
    return dedupeKey(rule, scopeType, scopeValue);
  }

  public static String dedupeKey(String rule, String scopeType, String scopeValue) {
    return rule + ":" + scopeType + ":" + scopeValue;
  }
}
