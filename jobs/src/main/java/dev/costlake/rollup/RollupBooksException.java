package dev.costlake.rollup;

/** The rollups a run wrote do not add up to silver.cost_events for the window: the run fails. */
public final class RollupBooksException extends RuntimeException {
  public RollupBooksException(String message) {
    super(message);
  }
}
