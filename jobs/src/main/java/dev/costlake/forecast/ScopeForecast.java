package dev.costlake.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One scope's month-end forecast as of a run date: a row of gold.spend_forecast, with its next days
 * (the rows of gold.spend_forecast_daily). Forecasts are rounded half-up to the cent; spend to date
 * is exact.
 */
public record ScopeForecast(
    String scopeType,
    String scopeValue,
    LocalDate asOfDate,
    LocalDate month,
    int daysInMonth,
    int daysElapsed,
    int historyDays,
    BigDecimal spendToDateUsd,
    BigDecimal forecastP10Usd,
    BigDecimal forecastP50Usd,
    BigDecimal forecastP90Usd,
    BigDecimal dailyBurnRateUsd,
    BigDecimal baselineForecastUsd,
    String method,
    List<Day> days) {

  public ScopeForecast {
    days = List.copyOf(days);
  }

  /** One future day's spend: a row of gold.spend_forecast_daily. */
  public record Day(LocalDate forecastDate, BigDecimal forecastP10Usd, BigDecimal forecastP50Usd,
      BigDecimal forecastP90Usd) {}
}
