package dev.costlake.anomaly;

import dev.costlake.generate.AnomalyLabel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores gold.cost_anomalies against the anomalies `costlake generate --anomalies N` injected:
 * recall, overall and by kind (a labelled anomaly is found when its own scope is flagged, on a series
 * and in a direction that fit its kind, in a period overlapping its window), precision (a flagged spike or drop is right when it overlaps a
 * label's window in a scope the injection touched) and how often the labelled driver is the top one.
 */
public final class AnomalyEvaluation {
  /** Recall is promised for spikes of at least this multiple of the baseline. */
  public static final double SPIKE_FACTOR = 3.0;

  private AnomalyEvaluation() {}

  /** The columns of a gold.cost_anomalies row the score needs. */
  public record Found(Grain grain, Instant periodStart, String scopeType, String scopeValue, String metric,
      String direction, double impactUsd, String topDriver, String topFactor) {
    Instant periodEnd() {
      return periodStart.plus(grain.length());
    }

    boolean overlaps(AnomalyLabel label) {
      return periodStart.isBefore(label.end()) && label.start().isBefore(periodEnd());
    }
  }

  /** One label and what the detector made of it. */
  public record LabelOutcome(AnomalyLabel label, Optional<Found> match, boolean driverFirst) {
    public boolean found() {
      return match.isPresent();
    }

    /** A spike (any kind but a drop) of at least 3x: what the recall target is about. */
    public boolean isLargeSpike() {
      return !label.kind().equals("drop") && label.factor() >= SPIKE_FACTOR;
    }
  }

  public record Score(List<LabelOutcome> labels, int flagged, int flaggedRight, int newSpend) {
    public long largeSpikes() {
      return labels.stream().filter(LabelOutcome::isLargeSpike).count();
    }

    public double recallLargeSpikes() {
      long found = labels.stream().filter(l -> l.isLargeSpike() && l.found()).count();
      return largeSpikes() == 0 ? Double.NaN : (double) found / largeSpikes();
    }

    /** Per label kind, in the order first seen: {found, labels}. */
    public Map<String, int[]> recallByKind() {
      Map<String, int[]> byKind = new LinkedHashMap<>();
      for (LabelOutcome l : labels) {
        int[] counts = byKind.computeIfAbsent(l.label().kind(), k -> new int[2]);
        counts[0] += l.found() ? 1 : 0;
        counts[1]++;
      }
      return byKind;
    }

    public double recallAll() {
      return labels.isEmpty() ? Double.NaN : (double) labels.stream().filter(LabelOutcome::found).count() / labels.size();
    }

    public double precision() {
      return flagged == 0 ? Double.NaN : (double) flaggedRight / flagged;
    }

    public double driverFirst() {
      long found = labels.stream().filter(LabelOutcome::found).count();
      long first = labels.stream().filter(l -> l.found() && l.driverFirst()).count();
      return found == 0 ? Double.NaN : (double) first / found;
    }
  }

  public static Score score(List<AnomalyLabel> labels, List<Found> anomalies) {
    List<LabelOutcome> outcomes = new ArrayList<>();
    for (AnomalyLabel label : labels) {
      // The strongest finding in the label's own scope: hours before days, as the hourly job reports first.
      Optional<Found> match = anomalies.stream()
          .filter(a -> a.scopeType().equals(label.scopeType()) && a.scopeValue().equals(label.scopeValue()))
          .filter(a -> a.overlaps(label))
          .filter(a -> fits(label, a))
          .max(Comparator.comparing((Found a) -> a.grain() == Grain.HOUR)
              .thenComparingDouble(a -> Math.abs(a.impactUsd())));
      outcomes.add(new LabelOutcome(label, match, match.map(a -> driverFirst(label, a)).orElse(false)));
    }
    int flagged = 0;
    int right = 0;
    int newSpend = 0;
    for (Found a : anomalies) {
      if (a.direction().equals("new_spend")) {
        newSpend++;
        continue;
      }
      flagged++;
      AnomalyLabel.Scope scope = new AnomalyLabel.Scope(a.scopeType(), a.scopeValue());
      if (labels.stream().anyMatch(l -> a.overlaps(l) && (l.affectedScopes().contains(scope)
          || (l.scopeType().equals(a.scopeType()) && l.scopeValue().equals(a.scopeValue()))))) {
        right++;
      }
    }
    return new Score(outcomes, flagged, right, newSpend);
  }

  /**
   * Whether a finding is of the label's kind: a drop is a fall in cost or in requests; a cache collapse a
   * fall in the cached share of input or a rise in cost; every other kind a rise in cost (or new spend).
   */
  static boolean fits(AnomalyLabel label, Found a) {
    boolean cacheFall = a.metric().equals(AnomalyJob.METRIC_CACHED_INPUT_SHARE);
    boolean drop = a.direction().equals("drop");
    return switch (label.kind()) {
      case "drop" -> drop && !cacheFall;
      case "cache_collapse" -> cacheFall || !drop;
      default -> !drop;
    };
  }

  /** Whether the anomaly names the label's driver first: a factor as its top factor, a child as its top driver. */
  static boolean driverFirst(AnomalyLabel label, Found anomaly) {
    String driver = label.driver();
    if (driver.startsWith("factor:")) {
      return driver.substring("factor:".length()).equals(anomaly.topFactor());
    }
    return driver.equals(anomaly.topDriver());
  }
}
