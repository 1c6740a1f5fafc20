package dev.costlake.forecast;

import java.time.LocalDate;
import java.util.List;

/**
 * What a backtest replayed (run dates fromDate .. toDate, all in months the data covers whole) and
 * the rows it wrote to gold.forecast_accuracy.
 */
public record BacktestSummary(LocalDate fromDate, LocalDate toDate, int runDates, int scopes,
    List<BacktestScores.Accuracy> accuracy) {

  public BacktestSummary {
    accuracy = List.copyOf(accuracy);
  }

  /** The row of a scope type (or 'all'), day of month and method; null if nothing was scored there. */
  public BacktestScores.Accuracy row(String scopeType, int dayOfMonth, String method) {
    for (BacktestScores.Accuracy row : accuracy) {
      if (row.scopeType().equals(scopeType) && row.dayOfMonth() == dayOfMonth && row.method().equals(method)) {
        return row;
      }
    }
    return null;
  }

  /** Forecasts scored for a scope type (or 'all'), over every day of the month. */
  public long forecasts(String scopeType) {
    return accuracy.stream()
        .filter(row -> row.scopeType().equals(scopeType) && row.method().equals(BacktestScores.OURS))
        .mapToLong(BacktestScores.Accuracy::nForecasts).sum();
  }

  /** The share of a scope type's (or 'all') actual month totals within P10 .. P90, over every day, in %. */
  public double coveragePct(String scopeType) {
    double covered = 0;
    long n = 0;
    for (BacktestScores.Accuracy row : accuracy) {
      if (row.scopeType().equals(scopeType) && row.method().equals(BacktestScores.OURS)) {
        covered += row.coveragePct().doubleValue() * row.nForecasts();
        n += row.nForecasts();
      }
    }
    return n == 0 ? Double.NaN : covered / n;
  }
}
