package dev.costlake.ops;

/** A run's books: records read and what became of them, files and batches. */
public record RunCounts(
    long recordsRead,
    long recordsAccepted,
    long recordsQuarantined,
    long recordsDuplicate,
    long filesRead,
    long batches) {

  public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0);

  public RunCounts plus(RunCounts other) {
    return new RunCounts(
        recordsRead + other.recordsRead,
        recordsAccepted + other.recordsAccepted,
        recordsQuarantined + other.recordsQuarantined,
        recordsDuplicate + other.recordsDuplicate,
        filesRead + other.filesRead,
        batches + other.batches);
  }

  /** Every record read is accepted, quarantined or counted as a duplicate. */
  public boolean balanced() {
    return recordsRead == recordsAccepted + recordsQuarantined + recordsDuplicate;
  }
}
