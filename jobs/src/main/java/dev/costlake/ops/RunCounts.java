package dev.costlake.ops;

import java.util.Map;
import java.util.TreeMap;

/**
 * A run's books: records read and what became of them, files and batches, and the accepted events
 * no price matched, by reported model (they are kept, with a null list cost, never priced at $0).
 */
public record RunCounts(
    long recordsRead,
    long recordsAccepted,
    long recordsQuarantined,
    long recordsDuplicate,
    long filesRead,
    long batches,
    Map<String, Long> unpricedByModel) {

  public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0);

  public RunCounts {
    unpricedByModel = Map.copyOf(unpricedByModel);
  }

  public RunCounts(long recordsRead, long recordsAccepted, long recordsQuarantined, long recordsDuplicate,
      long filesRead, long batches) {
    this(recordsRead, recordsAccepted, recordsQuarantined, recordsDuplicate, filesRead, batches, Map.of());
  }

  public RunCounts withUnpriced(Map<String, Long> byModel) {
    return new RunCounts(recordsRead, recordsAccepted, recordsQuarantined, recordsDuplicate, filesRead, batches, byModel);
  }

  public RunCounts plus(RunCounts other) {
    Map<String, Long> unpriced = new TreeMap<>(unpricedByModel);
    other.unpricedByModel.forEach((model, n) -> unpriced.merge(model, n, Long::sum));
    return new RunCounts(
        recordsRead + other.recordsRead,
        recordsAccepted + other.recordsAccepted,
        recordsQuarantined + other.recordsQuarantined,
        recordsDuplicate + other.recordsDuplicate,
        filesRead + other.filesRead,
        batches + other.batches,
        unpriced);
  }

  public long recordsUnpriced() {
    return unpricedByModel.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Every record read is accepted, quarantined or counted as a duplicate. */
  public boolean balanced() {
    return recordsRead == recordsAccepted + recordsQuarantined + recordsDuplicate;
  }
}
