package dev.costlake.generate;

import java.nio.file.Path;
import java.util.List;

/**
 * What one {@link EventGenerator} run wrote: distinct valid events plus the injected fault lines,
 * and the anomalies injected with their labels.
 *
 * @param eventsWritten  distinct valid events, each with its own event_id: the events drawn,
 *                       minus {@code droppedEvents}, plus {@code injectedEvents}
 * @param malformedLines lines that ingest must reject, on top of the valid events
 * @param duplicateLines byte-identical re-sends of earlier valid lines, on top of the valid events
 * @param filesWritten   gzip hour-files written
 * @param bytesWritten   total size of those files on disk, compressed
 * @param injectedEvents valid events that anomalies added (spikes, ramps, runaway loops)
 * @param droppedEvents  valid events drawn but not written because a drop anomaly removed them
 * @param anomalyLabels  the injected anomalies, in label order; empty without anomalies
 * @param labelsFile     where {@code anomalyLabels} were written, or null when there are none
 */
public record GeneratorResult(long eventsWritten, long malformedLines, long duplicateLines,
                              long filesWritten, long bytesWritten, long injectedEvents,
                              long droppedEvents, List<AnomalyLabel> anomalyLabels,
                              Path labelsFile) {

  public GeneratorResult {
    anomalyLabels = List.copyOf(anomalyLabels);
  }

  /** Every line in every file: valid events, malformed lines and duplicates. */
  public long linesWritten() {
    return eventsWritten + malformedLines + duplicateLines;
  }
}
