package dev.costlake.generate;

/**
 * What one {@link EventGenerator} run wrote: distinct valid events plus the injected fault lines.
 *
 * @param eventsWritten  distinct valid events, each with its own event_id
 * @param malformedLines lines that ingest must reject, on top of the valid events
 * @param duplicateLines byte-identical re-sends of earlier valid lines, on top of the valid events
 * @param filesWritten   gzip hour-files written
 * @param bytesWritten   total size of those files on disk, compressed
 */
public record GeneratorResult(long eventsWritten, long malformedLines, long duplicateLines,
                              long filesWritten, long bytesWritten) {

  /** Every line in every file: valid events, malformed lines and duplicates. */
  public long linesWritten() {
    return eventsWritten + malformedLines + duplicateLines;
  }
}
