package dev.costlake.generate;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Settings for one {@link EventGenerator} run; the compact constructor rejects values it cannot honour.
 *
 * @param startDate         first UTC day to generate
 * @param days              number of consecutive days, at least 1
 * @param eventsPerDay      average valid events per day; the run writes exactly {@code days * eventsPerDay}
 * @param seed              makes the output reproducible: same options, same bytes
 * @param malformedFraction malformed lines added per valid event of a file, in [0, 0.5]
 * @param duplicateFraction re-sent (byte-identical) lines added per valid event of a file, in [0, 0.5]
 * @param threads           hour-files written in parallel, at least 1; does not change the output
 */
public record GeneratorOptions(LocalDate startDate, int days, long eventsPerDay, long seed,
                               double malformedFraction, double duplicateFraction, int threads) {

  public GeneratorOptions {
    Objects.requireNonNull(startDate, "startDate must not be null");
    if (days < 1) {
      throw new IllegalArgumentException("days must be >= 1, got " + days);
    }
    if (eventsPerDay < 1) {
      throw new IllegalArgumentException("eventsPerDay must be >= 1, got " + eventsPerDay);
    }
    requireFraction("malformedFraction", malformedFraction);
    requireFraction("duplicateFraction", duplicateFraction);
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
  }

  private static void requireFraction(String name, double value) {
    // Written as a negated range test so that NaN is rejected too.
    if (!(value >= 0.0 && value <= 0.5)) {
      throw new IllegalArgumentException(name + " must be in [0, 0.5], got " + value);
    }
  }
}
