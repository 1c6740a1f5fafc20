package dev.costlake.forecast;

import java.time.LocalDate;

/**
 * What a forecast run wrote: its run date and month, how many scopes and daily rows, the total's
 * forecast (null when nothing was spent in the history window) and the last day with any spend
 * (null likewise): days after it up to the run date count as zero spend.
 */
public record ForecastSummary(LocalDate asOfDate, LocalDate month, String timeZone, int scopes, int dailyRows,
    ScopeForecast total, LocalDate lastSpendDate) {}
