package dev.costlake.ingest;

/** Points in an ingest batch where a test can simulate a crash (the process dying there). */
enum CrashPoint {
  NONE,
  AFTER_SILVER_WRITE,
  AFTER_QUARANTINE_WRITE;

  void reached(CrashPoint point) {
    if (this == point) {
      throw new SimulatedCrash("simulated crash " + point);
    }
  }

  static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash(String message) {
      super(message);
    }
  }
}
