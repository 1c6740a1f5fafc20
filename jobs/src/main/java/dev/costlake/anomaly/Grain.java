package dev.costlake.anomaly;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The period an anomaly is judged over: a UTC hour (hourly job) or a UTC day (nightly job). */
public enum Grain {
  HOUR(Duration.ofHours(1)),
  DAY(Duration.ofDays(1));

  private final Duration length;

  Grain(Duration length) {
    this.length = length;
  }

  /** As written in gold.cost_anomalies.grain. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public Duration length() {
    return length;
  }

  /** The start of the period holding an instant. */
  public Instant periodOf(Instant at) {
    return at.truncatedTo(this == HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS);
  }

  public static Grain parse(String text) {
    try {
      return valueOf(text.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("grain must be hour or day, not '" + text + "'", e);
    }
  }
}
