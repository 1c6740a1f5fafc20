package dev.costlake.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * The late events of a run: accepted events ingested more than rollups.lateness after their
 * event_time. Each landed in its own hour and day; these say how many, and how far back.
 *
 * @param events              how many
 * @param maxLatenessSeconds  ingest time minus event_time of the latest of them, in seconds (0 if none)
 * @param earliestEventTime   the oldest event_time among them; null if none
 */
public record Lateness(long events, long maxLatenessSeconds, Instant earliestEventTime) {
  public static final Lateness NONE = new Lateness(0, 0, null);

  /** The late events of one batch ingested at ingestedAt, the earliest of them stamped earliest. */
  public static Lateness of(long events, Instant earliest, Instant ingestedAt) {
    if (events == 0 || earliest == null) {
      return NONE;
    }
    return new Lateness(events, Duration.between(earliest, ingestedAt).toSeconds(), earliest);
  }

  public Lateness plus(Lateness other) {
    Instant earliest = earliestEventTime == null ? other.earliestEventTime
        : other.earliestEventTime == null || earliestEventTime.isBefore(other.earliestEventTime) ? earliestEventTime
        : other.earliestEventTime;
    return new Lateness(events + other.events, Math.max(maxLatenessSeconds, other.maxLatenessSeconds), earliest);
  }
}
