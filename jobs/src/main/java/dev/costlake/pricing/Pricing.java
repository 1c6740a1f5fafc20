package dev.costlake.pricing;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.SqlFile;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Prices events with a checked catalog: resolves each distinct reported model name once (on the
 * driver; there are dozens, not millions), then lets int_cost_events_priced.sql join and compute.
 */
public final class Pricing {
  /** Prices travel as BIGINT USD nanos per 1M tokens: exact (at most 9 decimals) and fast to multiply. */
  private static final org.apache.spark.sql.types.DataType PRICE = DataTypes.LongType;
  static final StructType CATALOG_SCHEMA = new StructType()
      .add("price_id", DataTypes.StringType, false)
      .add("provider", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("operation", DataTypes.StringType, false)
      .add("service_tier", DataTypes.StringType, false)
      .add("valid_from", DataTypes.TimestampType, false)
      .add("valid_to", DataTypes.TimestampType, true)
      .add("input_usd_nanos_per_1m", PRICE)
      .add("cached_input_usd_nanos_per_1m", PRICE)
      .add("cache_write_usd_nanos_per_1m", PRICE)
      .add("output_usd_nanos_per_1m", PRICE)
      .add("reasoning_usd_nanos_per_1m", PRICE)
      .add("long_context_threshold_tokens", DataTypes.LongType)
      .add("long_context_input_usd_nanos_per_1m", PRICE)
      .add("long_context_cached_input_usd_nanos_per_1m", PRICE)
      .add("long_context_output_usd_nanos_per_1m", PRICE)
      .add("request_fee_usd_nanos", PRICE);

  private final SparkSession spark;
  private final PriceCatalog catalog;
  private final ModelMatcher matcher;

  public Pricing(SparkSession spark, PriceCatalog catalog, Map<String, String> aliases) {
    this.spark = spark;
    this.catalog = catalog;
    this.matcher = new ModelMatcher(catalog.models(), aliases);
  }

  /**
   * The catalog named by the config (built-in, overlaid by prices.catalog), refused when `prices
   * check` finds errors in it: a job must not price history with a broken catalog.
   */
  public static PriceCatalog checkedCatalog(CostlakeConfig config) {
    PriceCatalog catalog = PriceCatalog.load(config.pricesCatalog());
    List<CatalogProblem> problems = CatalogCheck.check(catalog);
    if (CatalogCheck.hasErrors(problems)) {
      StringBuilder message = new StringBuilder("the price catalog (" + String.join(" + ", catalog.sources())
          + ") has errors; fix them (`costlake prices check` lists them all) before pricing events:");
      problems.stream().filter(p -> p.severity() == CatalogProblem.Severity.ERROR).limit(10)
          .forEach(p -> message.append("\n  ").append(p));
      throw new IllegalArgumentException(message.toString());
    }
    return catalog;
  }

  public PriceCatalog catalog() {
    return catalog;
  }

  public ModelMatcher matcher() {
    return matcher;
  }

  /** The events of a view and their distinct reported models, in one pass over the view. */
  public record EventsAndModels(long events, List<String> models) {}

  /**
   * Counts a view's events and collects their distinct model names in one Spark job, so a caller
   * that needs the count anyway (the books, a run's records read) does not scan the events twice.
   */
  public EventsAndModels countWithModels(String eventsView) {
    Row row = spark.table(eventsView)
        .agg(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
            org.apache.spark.sql.functions.collect_set("model"))
        .first();
    return new EventsAndModels(row.getLong(0), row.getList(1));
  }

  /**
   * Prices the events of a temp view (silver.cost_events columns, pricing ones aside): the rows of
   * int_cost_events_priced.sql. Registers the views price_catalog and model_resolution.
   *
   * @param models every distinct model name in the view (from {@link #countWithModels})
   */
  public Dataset<Row> price(String eventsView, List<String> models) {
    spark.createDataFrame(catalogRows(), CATALOG_SCHEMA).createOrReplaceTempView("price_catalog");
    List<Row> resolutions = new ArrayList<>();
    for (String model : models) {
      Optional<ModelMatcher.Match> match = matcher.match(model);
      resolutions.add(RowFactory.create(model, match.map(ModelMatcher.Match::catalogModel).orElse(null),
          match.map(ModelMatcher.Match::rule).orElse(null)));
    }
    spark.createDataFrame(resolutions, new StructType()
            .add("model", DataTypes.StringType).add("catalog_model", DataTypes.StringType)
            .add("price_match", DataTypes.StringType))
        .createOrReplaceTempView("model_resolution");
    return spark.sql(SqlFile.load("intermediate/int_cost_events_priced.sql").bind(Map.of(
        "events", eventsView,
        "catalog_version", SqlFile.literal(catalog.version()))));
  }

  /** Prices the events of a temp view, finding its distinct models first. */
  public Dataset<Row> price(String eventsView) {
    return price(eventsView, countWithModels(eventsView).models());
  }

  /** USD (per 1M tokens, or per request) as integer USD nanos; exact, as prices have at most 9 decimals. */
  private static Long nanos(java.math.BigDecimal usd) {
    return usd == null ? null : usd.movePointRight(9).setScale(0, java.math.RoundingMode.UNNECESSARY).longValueExact();
  }

  private List<Row> catalogRows() {
    List<Row> rows = new ArrayList<>();
    for (PriceRow r : catalog.rows()) {
      rows.add(RowFactory.create(r.priceId(), r.provider(), r.model(), r.operation(), r.serviceTier(),
          Timestamp.from(r.validFrom()), r.validTo() == null ? null : Timestamp.from(r.validTo()),
          nanos(r.inputUsdPer1m()), nanos(r.cachedInputUsdPer1m()), nanos(r.cacheWriteUsdPer1m()),
          nanos(r.outputUsdPer1m()), nanos(r.reasoningUsdPer1m()), r.longContextThresholdTokens(),
          nanos(r.longContextInputUsdPer1m()), nanos(r.longContextCachedInputUsdPer1m()),
          nanos(r.longContextOutputUsdPer1m()), nanos(r.requestFeeUsd())));
    }
    return rows;
  }
}
