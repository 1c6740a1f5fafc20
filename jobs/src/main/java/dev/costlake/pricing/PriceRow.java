package dev.costlake.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * One row of the price catalog: the prices of one model, operation and service tier over one
 * period [validFrom, validTo). Prices are USD per 1M tokens; null means "not set" (see the
 * fallbacks in sql/intermediate/int_cost_events_priced.sql), never zero.
 *
 * @param origin where the row came from (file:line), for messages
 */
public record PriceRow(
    String provider,
    String model,
    String operation,
    String serviceTier,
    Instant validFrom,
    Instant validTo,
    BigDecimal inputUsdPer1m,
    BigDecimal cachedInputUsdPer1m,
    BigDecimal cacheWriteUsdPer1m,
    BigDecimal outputUsdPer1m,
    BigDecimal reasoningUsdPer1m,
    Long longContextThresholdTokens,
    BigDecimal longContextInputUsdPer1m,
    BigDecimal longContextCachedInputUsdPer1m,
    BigDecimal longContextOutputUsdPer1m,
    BigDecimal requestFeeUsd,
    String note,
    String origin) {

  /** The key whose periods must tile time without overlaps or gaps. */
  public String key() {
    return model + "/" + operation + "/" + serviceTier;
  }

  /** Stable id recorded on every priced event: provider/model/operation/tier@valid_from. */
  public String priceId() {
    return provider + "/" + key() + "@" + render(validFrom);
  }

  /** This period cut short at `end` (a later row of the same key takes over there). */
  public PriceRow endingAt(Instant end) {
    return new PriceRow(provider, model, operation, serviceTier, validFrom, end, inputUsdPer1m, cachedInputUsdPer1m,
        cacheWriteUsdPer1m, outputUsdPer1m, reasoningUsdPer1m, longContextThresholdTokens, longContextInputUsdPer1m,
        longContextCachedInputUsdPer1m, longContextOutputUsdPer1m, requestFeeUsd, note, origin);
  }

  /** The same prices under another provider and model name, from another origin. */
  public PriceRow as(String newProvider, String newModel, String newNote, String newOrigin) {
    return new PriceRow(newProvider, newModel, operation, serviceTier, validFrom, validTo, inputUsdPer1m,
        cachedInputUsdPer1m, cacheWriteUsdPer1m, outputUsdPer1m, reasoningUsdPer1m, longContextThresholdTokens,
        longContextInputUsdPer1m, longContextCachedInputUsdPer1m, longContextOutputUsdPer1m, requestFeeUsd, newNote,
        newOrigin);
  }

  public boolean coversInstant(Instant at) {
    return !at.isBefore(validFrom) && (validTo == null || at.isBefore(validTo));
  }

  /** A date when the instant is UTC midnight (the usual case), else the full instant. */
  static String render(Instant instant) {
    if (instant == null) {
      return "";
    }
    if (instant.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT)) {
      return instant.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
    return instant.toString();
  }
}
