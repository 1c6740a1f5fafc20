package dev.costlake.pricing;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The price catalog as the temp view {@value #VIEW} for ad-hoc SQL and notebooks: one row per
 * catalog row, with the catalog file's columns (USD per 1M tokens), so that on Databricks the same
 * view can be made straight from the CSV file.
 */
public final class PriceList {
  public static final String VIEW = "price_list";
  private static final DataType USD = DataTypes.createDecimalType(20, 9);
  static final StructType SCHEMA = new StructType()
      .add("provider", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("operation", DataTypes.StringType, false)
      .add("service_tier", DataTypes.StringType, false)
      .add("valid_from", DataTypes.TimestampType, false)
      .add("valid_to", DataTypes.TimestampType)
      .add("input_usd_per_1m", USD)
      .add("cached_input_usd_per_1m", USD)
      .add("cache_write_usd_per_1m", USD)
      .add("output_usd_per_1m", USD)
      .add("reasoning_usd_per_1m", USD)
      .add("long_context_threshold_tokens", DataTypes.LongType)
      .add("long_context_input_usd_per_1m", USD)
      .add("long_context_cached_input_usd_per_1m", USD)
      .add("long_context_output_usd_per_1m", USD)
      .add("request_fee_usd", USD)
      .add("note", DataTypes.StringType);

  private PriceList() {}

  /** Registers (or replaces) the view with the catalog's rows: the built-in ones overlaid by prices.catalog. */
  public static void register(SparkSession spark, PriceCatalog catalog) {
    List<Row> rows = new ArrayList<>();
    for (PriceRow r : catalog.rows()) {
      rows.add(RowFactory.create(r.provider(), r.model(), r.operation(), r.serviceTier(),
          Timestamp.from(r.validFrom()), r.validTo() == null ? null : Timestamp.from(r.validTo()),
          usd(r.inputUsdPer1m()), usd(r.cachedInputUsdPer1m()), usd(r.cacheWriteUsdPer1m()),
          usd(r.outputUsdPer1m()), usd(r.reasoningUsdPer1m()), r.longContextThresholdTokens(),
          usd(r.longContextInputUsdPer1m()), usd(r.longContextCachedInputUsdPer1m()),
          usd(r.longContextOutputUsdPer1m()), usd(r.requestFeeUsd()), r.note()));
    }
    spark.createDataFrame(rows, SCHEMA).createOrReplaceTempView(VIEW);
  }

  private static BigDecimal usd(BigDecimal price) {
    return price == null ? null : price.setScale(9, java.math.RoundingMode.UNNECESSARY);
  }
}
