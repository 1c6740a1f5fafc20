package dev.costlake.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * The late events of a run, and the history it backfilled. An accepted event older than
 * rollups.lateness at ingest is late when its hour had already been rolled up (it lies within the
 * hours of gold.cost_hourly before the run): it restates an hour a reader may already have seen.
 * One for an hour no rollup had covered (a first ingest of history, or history older than any
 * rolled-up hour) is backfilled history, not lateness. Either way it lands in its own hour and day.
 *
 * @param events              late events: how many
 * @param maxLatenessSeconds  ingest time minus event_time of the oldest late event, in seconds (0 if none)
 * @param earliestEventTime   the oldest event_time among the late events; null if none
 * @param backfilledEvents    events older than rollups.lateness for hours not rolled up before the run
 */
public record Lateness(long events, long maxLatenessSeconds, Instant earliestEventTime, long backfilledEvents) {
  public static final Lateness NONE = new Lateness(0, 0, null, 0);

  /** The late and backfilled events of one batch ingested at ingestedAt, the earliest late one stamped earliest. */
  public static Lateness of(long events, Instant earliest, long backfilledEvents, Instant ingestedAt) {
    if (events == 0 || earliest == null) {
      return new Lateness(0, 0, null, backfilledEvents);
    }
    return new Lateness(events, Duration.between(earliest, ingestedAt).toSeconds(), earliest, backfilledEvents);
  }

  public Lateness plus(Lateness other) {
    Instant earliest = earliestEventTime == null ? other.earliestEventTime
        : other.earliestEventTime == null || earliestEventTime.isBefore(other.earliestEventTime) ? earliestEventTime
        : other.earliestEventTime;
    return new Lateness(events + other.events, Math.max(maxLatenessSeconds, other.maxLatenessSeconds), earliest,
        backfilledEvents + other.backfilledEvents);
  }
}
