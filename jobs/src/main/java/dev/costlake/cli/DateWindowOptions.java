package dev.costlake.cli;

import java.time.LocalDate;
import picocli.CommandLine.Option;

/** The required --from/--to (UTC dates, inclusive) of the commands that work on a window of days. */
public final class DateWindowOptions {
  @Option(names = "--from", required = true, paramLabel = "DATE", description = "First date (UTC), e.g. 2026-10-01.")
  LocalDate from;

  @Option(names = "--to", required = true, paramLabel = "DATE", description = "Last date (inclusive).")
  LocalDate to;

  /** The first date, after checking the window is not backwards. */
  LocalDate from() {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    return from;
  }

  LocalDate to() {
    return to;
  }
}
