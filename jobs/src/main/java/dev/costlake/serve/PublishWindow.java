package dev.costlake.serve;

import java.time.LocalDate;

/**
 * The dates a publish replaces (inclusive, UTC): event dates, ISO weeks that overlap them, anomaly
 * periods and forecast run dates within them; or every row (from and to null).
 */
public record PublishWindow(LocalDate from, LocalDate to) {
  public static final PublishWindow ALL = new PublishWindow(null, null);

  public PublishWindow {
    if ((from == null) != (to == null)) {
      throw new IllegalArgumentException("A publish window needs both --from and --to, or neither");
    }
    if (from != null && to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
  }

  public static PublishWindow of(LocalDate from, LocalDate to) {
    return new PublishWindow(from, to);
  }

  public boolean isAll() {
    return from == null;
  }

  @Override
  public String toString() {
    return isAll() ? "every row" : from + " .. " + to;
  }
}
