package dev.costlake.ops;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's books: records read and what became of them, files and batches, the accepted events no
 * price matched, by reported model (kept, with a null list cost, never priced at $0), and the late ones.
 */
public record RunCounts(
    long recordsRead,
    long recordsAccepted,
    long recordsQuarantined,
    long recordsDuplicate,
    long filesRead,
    long batches,
    Map<String, Long> unpricedByModel,
    Lateness late,
    RollupRecord rollup,
    List<dev.costlake.anomaly.AnomalyJob.Result> anomalies) {

  public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0);

  public RunCounts {
    unpricedByModel = Map.copyOf(unpricedByModel);
    late = late == null ? Lateness.NONE : late;
    anomalies = anomalies == null ? List.of() : List.copyOf(anomalies);
  }

  public RunCounts(long recordsRead, long recordsAccepted, long recordsQuarantined, long recordsDuplicate,
      long filesRead, long batches, Map<String, Long> unpricedByModel) {
    this(recordsRead, recordsAccepted, recordsQuarantined, recordsDuplicate, filesRead, batches, unpricedByModel,
        Lateness.NONE, null, List.of());
  }

  public RunCounts(long recordsRead, long recordsAccepted, long recordsQuarantined, long recordsDuplicate,
      long filesRead, long batches) {
    this(recordsRead, recordsAccepted, recordsQuarantined, recordsDuplicate, filesRead, batches, Map.of());
  }

  public RunCounts withUnpriced(Map<String, Long> byModel) {
    return new RunCounts(recordsRead, recordsAccepted, recordsQuarantined, recordsDuplicate, filesRead, batches, byModel,
        late, rollup, anomalies);
  }

  public RunCounts withLate(Lateness lateness) {
    return new RunCounts(recordsRead, recordsAccepted, recordsQuarantined, recordsDuplicate, filesRead, batches,
        unpricedByModel, lateness, rollup, anomalies);
  }

  /** These books, with what the run rebuilt in the gold tables. */
  public RunCounts withRollup(RollupRecord record) {
    return new RunCounts(recordsRead, recordsAccepted, recordsQuarantined, recordsDuplicate, filesRead, batches,
        unpricedByModel, late, record, anomalies);
  }

  /** These books, with the anomalies the run judged (one result per grain). */
  public RunCounts withAnomalies(dev.costlake.anomaly.AnomalyJob.Result result) {
    List<dev.costlake.anomaly.AnomalyJob.Result> all = new java.util.ArrayList<>(anomalies);
    all.add(result);
    return new RunCounts(recordsRead, recordsAccepted, recordsQuarantined, recordsDuplicate, filesRead, batches,
        unpricedByModel, late, rollup, all);
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
        unpriced,
        late.plus(other.late),
        other.rollup != null ? other.rollup : rollup,
        other.anomalies.isEmpty() ? anomalies : other.anomalies);
  }

  public long recordsUnpriced() {
    return unpricedByModel.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Every record read is accepted, quarantined or counted as a duplicate. */
  public boolean balanced() {
    return recordsRead == recordsAccepted + recordsQuarantined + recordsDuplicate;
  }
}
