package dev.costlake.anomaly;

import static org.apache.spark.sql.functions.col;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.lake.SqlFile;
import dev.costlake.pricing.ModelMatcher;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.PriceRow;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Judges periods (hours or days) for anomalies in every scope and replaces their rows of
 * gold.cost_anomalies: the SQL flags them (int_cost_anomalies_detected.sql) and finds the children
 * that moved (int_cost_anomalies_drivers.sql); this class decomposes the change and says it in a sentence.
 */
public final class AnomalyJob {
  /** Children kept per anomaly (models are all kept: the decomposition needs them). */
  static final int TOP_CHILDREN = 5;
  /** gold.cost_anomalies.metric: the series a row was flagged on. */
  public static final String METRIC_COST_USD = "cost_usd";
  public static final String METRIC_REQUESTS = "requests";
  public static final String METRIC_CACHED_INPUT_SHARE = "cached_input_share";
  /** Hours judged per Delta commit by a range run: bounds the size of each run's SQL and shuffle. */
  static final int PERIODS_PER_BATCH = 24 * 7;

  private final Lakehouse lake;
  private final SparkSession spark;
  private final AnomalySettings settings;
  private final PriceCatalog catalog;
  private final ModelMatcher matcher;
  private final Clock clock;

  public AnomalyJob(Lakehouse lake, CostlakeConfig config, PriceCatalog catalog, Clock clock) {
    this.lake = lake;
    this.spark = lake.spark();
    this.settings = AnomalySettings.from(config);
    this.catalog = catalog;
    this.matcher = new ModelMatcher(catalog.models(), config.priceAliases());
    this.clock = clock;
  }

  /** One flagged row, as printed by the jobs. */
  public record Flagged(Grain grain, Instant periodStart, String scopeType, String scopeValue, String metric,
      String direction,
      String severity, BigDecimal impactUsd, Double zScore, String topDriver, String topFactor, String explanation) {}

  /** What a run judged and flagged. */
  public record Result(Grain grain, int periodsJudged, List<Flagged> flagged) {
    static Result none(Grain grain) {
      return new Result(grain, 0, List.of());
    }
  }

  /** Judges every period of a grain in [from, to] (dates, UTC, inclusive), a week of hours per commit. */
  public Result detectRange(Grain grain, LocalDate from, LocalDate to) {
    List<Instant> periods = new ArrayList<>();
    Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    for (Instant p = from.atStartOfDay(ZoneOffset.UTC).toInstant(); p.isBefore(end); p = p.plus(grain.length())) {
      periods.add(p);
    }
    return detectAll(grain, periods);
  }

  /** Judges any number of periods (starts of UTC hours or days), a week of hours per commit. */
  public Result detectAll(Grain grain, Collection<Instant> judge) {
    List<Instant> periods = new ArrayList<>(new TreeSet<>(judge));
    List<Flagged> flagged = new ArrayList<>();
    int judged = 0;
    for (int i = 0; i < periods.size(); i += PERIODS_PER_BATCH) {
      Result part = detect(grain, periods.subList(i, Math.min(periods.size(), i + PERIODS_PER_BATCH)));
      judged += part.periodsJudged();
      flagged.addAll(part.flagged());
    }
    return new Result(grain, judged, flagged);
  }

  /** Judges the periods (starts of UTC hours or days) and replaces their rows in one commit. */
  public Result detect(Grain grain, Collection<Instant> periods) {
    Optional<Instant> historyStart = historyStart(grain);
    if (historyStart.isEmpty()) {
      return Result.none(grain);
    }
    List<BaselinePlan.Target> targets = new ArrayList<>();
    for (Instant period : new TreeSet<>(periods)) {
      if (!period.isBefore(historyStart.get())) {
        targets.add(BaselinePlan.plan(grain, period, historyStart.get(), settings));
      }
    }
    if (targets.isEmpty()) {
      return Result.none(grain);
    }
    describe(grain, "judging " + targets.size() + " " + grain.label() + "s from " + targets.get(0).periodStart());
    registerPlan(targets);
    TreeSet<Instant> looked = new TreeSet<>();
    for (BaselinePlan.Target t : targets) {
      looked.add(t.periodStart());
      looked.addAll(t.comparable());
      looked.addAll(t.recent());
    }
    Dataset<Row> scopeCosts = spark.sql(SqlFile.load("intermediate/int_scope_costs.sql")
        .bind(periodBindings(grain, looked))).persist();
    List<Row> detected = new ArrayList<>();
    try {
      scopeCosts.createOrReplaceTempView("anomaly_scope_costs");
      detected.addAll(spark.sql(SqlFile.load("intermediate/int_cost_anomalies_detected.sql").bind(Map.of(
          "z_threshold", String.valueOf(settings.zThreshold()),
          "min_baseline_periods", String.valueOf(settings.minBaselinePeriods()),
          "min_impact_usd", settings.minImpactUsd().toPlainString(),
          "min_stddev_fraction", String.valueOf(settings.minStddevFraction()),
          "min_stddev_usd", AnomalySettings.MIN_STDDEV_USD.toPlainString(),
          "robust", String.valueOf(settings.robust())))).collectAsList());
      // Requests and the cached share of input, judged as series of their own: a broken feature or
      // prompt cache can move too few dollars for the cost series to notice.
      detected.addAll(spark.sql(SqlFile.load("intermediate/int_usage_anomalies_detected.sql").bind(Map.of(
          "z_threshold", String.valueOf(settings.zThreshold()),
          "min_baseline_periods", String.valueOf(settings.minBaselinePeriods()),
          "min_stddev_fraction", String.valueOf(settings.minStddevFraction()),
          "min_fall_fraction", String.valueOf(AnomalySettings.MIN_FALL_FRACTION),
          "min_cached_input_share", String.valueOf(AnomalySettings.MIN_CACHED_INPUT_SHARE),
          "robust", String.valueOf(settings.robust())))).collectAsList());
    } finally {
      scopeCosts.unpersist();
    }
    Map<String, List<Row>> drivers = drivers(grain, detected);
    Map<String, Timestamp> firstDetected = firstDetected(grain, targets);
    Timestamp now = Timestamp.from(clock.instant());
    StructType schema = lake.table(Lakehouse.COST_ANOMALIES).schema();
    List<Row> rows = new ArrayList<>();
    List<Flagged> flagged = new ArrayList<>();
    for (Row d : detected) {
      String key = key(d.getTimestamp(d.fieldIndex("period_start")), d.getAs("scope_type"), d.getAs("scope_value"));
      Row row = explain(grain, d, drivers.getOrDefault(key, List.of()),
          firstDetected.getOrDefault(key + "|" + d.getAs("metric"), now));
      rows.add(row);
      flagged.add(new Flagged(grain, row.getTimestamp(1).toInstant(), row.getString(2), row.getString(3),
          row.getString(27), row.getString(4), row.getString(5), row.getDecimal(9),
          row.isNullAt(11) ? null : row.getDouble(11), row.getString(18), row.getString(19), row.getString(6)));
    }
    describe(grain, "writing " + rows.size() + " anomalies of " + targets.size() + " " + grain.label() + "s");
    List<Instant> judged = targets.stream().map(BaselinePlan.Target::periodStart).toList();
    spark.createDataFrame(rows, schema).write().format("delta").mode("overwrite")
        .option("replaceWhere", "grain = '" + grain.label() + "' and period_start in ("
            + SqlFile.timestampList(judged) + ")")
        .save(lake.path(Lakehouse.COST_ANOMALIES));
    describe(grain, null);
    flagged.sort(java.util.Comparator.comparing(Flagged::periodStart)
        .thenComparing(f -> f.impactUsd().abs(), java.util.Comparator.reverseOrder()));
    return new Result(grain, targets.size(), flagged);
  }

  /** The first period the lakehouse has data for (an hour, or a day at 00:00 UTC). */
  Optional<Instant> historyStart(Grain grain) {
    Row first = lake.table(Lakehouse.COST_DAILY_TOTAL).agg(org.apache.spark.sql.functions.min("event_date")).first();
    if (first.isNullAt(0)) {
      return Optional.empty();
    }
    LocalDate day = first.getDate(0).toLocalDate();
    if (grain == Grain.DAY) {
      return Optional.of(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
    Row hour = lake.table(Lakehouse.COST_HOURLY).where(col("event_date").equalTo(java.sql.Date.valueOf(day)))
        .agg(org.apache.spark.sql.functions.min("event_hour")).first();
    return hour.isNullAt(0) ? Optional.empty() : Optional.of(hour.getTimestamp(0).toInstant());
  }

  private void registerPlan(List<BaselinePlan.Target> targets) {
    List<Row> targetRows = new ArrayList<>();
    List<Row> baselineRows = new ArrayList<>();
    for (BaselinePlan.Target t : targets) {
      Timestamp period = Timestamp.from(t.periodStart());
      targetRows.add(RowFactory.create(period, t.method(), t.comparable().size()));
      for (Instant c : t.comparable()) {
        baselineRows.add(RowFactory.create(period, Timestamp.from(c), true));
      }
      for (Instant r : t.recent()) {
        baselineRows.add(RowFactory.create(period, Timestamp.from(r), false));
      }
    }
    spark.createDataFrame(targetRows, new StructType()
            .add("period_start", DataTypes.TimestampType, false)
            .add("baseline_method", DataTypes.StringType, false)
            .add("comparable_periods", DataTypes.IntegerType, false))
        .createOrReplaceTempView("anomaly_targets");
    spark.createDataFrame(baselineRows, new StructType()
            .add("period_start", DataTypes.TimestampType, false)
            .add("baseline_start", DataTypes.TimestampType, false)
            .add("comparable", DataTypes.BooleanType, false))
        .createOrReplaceTempView("anomaly_baselines");
  }

  private static Map<String, String> periodBindings(Grain grain, Collection<Instant> periods) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (Instant p : periods) {
      dates.add(LocalDate.ofInstant(p, ZoneOffset.UTC));
    }
    Map<String, String> bindings = new LinkedHashMap<>();
    bindings.put("grain", SqlFile.literal(grain.label()));
    bindings.put("period_dates", SqlFile.dateList(dates));
    bindings.put("period_hours", SqlFile.timestampList(periods));
    return bindings;
  }

  /** The children of every flagged row, keyed by period, scope type and value. */
  private Map<String, List<Row>> drivers(Grain grain, List<Row> detected) {
    Map<String, List<Row>> byAnomaly = new HashMap<>();
    if (detected.isEmpty()) {
      return byAnomaly;
    }
    List<Row> flagged = new ArrayList<>();
    TreeSet<Instant> periods = new TreeSet<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Row d : detected) {
      // A scope flagged on two series (its cost and its requests) has one set of children.
      if (!seen.add(key(d.getTimestamp(d.fieldIndex("period_start")), d.getAs("scope_type"), d.getAs("scope_value")))) {
        continue;
      }
      List<Timestamp> baseline = d.isNullAt(d.fieldIndex("baseline_period_starts")) ? List.of()
          : d.getList(d.fieldIndex("baseline_period_starts"));
      flagged.add(RowFactory.create(d.getTimestamp(d.fieldIndex("period_start")), d.getAs("scope_type"),
          d.getAs("scope_value"), d.getInt(d.fieldIndex("baseline_periods")),
          scala.jdk.javaapi.CollectionConverters.asScala(baseline).toSeq(), d.getAs("direction")));
      periods.add(d.getTimestamp(d.fieldIndex("period_start")).toInstant());
      baseline.forEach(b -> periods.add(b.toInstant()));
    }
    spark.createDataFrame(flagged, new StructType()
            .add("period_start", DataTypes.TimestampType)
            .add("scope_type", DataTypes.StringType)
            .add("scope_value", DataTypes.StringType)
            .add("baseline_periods", DataTypes.IntegerType)
            .add("baseline_period_starts", DataTypes.createArrayType(DataTypes.TimestampType))
            .add("direction", DataTypes.StringType))
        .createOrReplaceTempView("anomalies_flagged");
    Map<String, String> bindings = periodBindings(grain, periods);
    bindings.put("top_children", String.valueOf(TOP_CHILDREN));
    for (Row r : spark.sql(SqlFile.load("intermediate/int_cost_anomalies_drivers.sql").bind(bindings)).collectAsList()) {
      byAnomaly.computeIfAbsent(key(r.getTimestamp(r.fieldIndex("period_start")), r.getAs("scope_type"),
          r.getAs("scope_value")), k -> new ArrayList<>()).add(r);
    }
    return byAnomaly;
  }

  /** When each row already in the table for these periods was first flagged: a re-run keeps it. */
  private Map<String, Timestamp> firstDetected(Grain grain, List<BaselinePlan.Target> targets) {
    Map<String, Timestamp> first = new HashMap<>();
    String where = "grain = '" + grain.label() + "' and period_start in ("
        + SqlFile.timestampList(targets.stream().map(BaselinePlan.Target::periodStart).toList()) + ")";
    for (Row r : lake.table(Lakehouse.COST_ANOMALIES).where(where)
        .select("period_start", "scope_type", "scope_value", "detected_at", "metric").collectAsList()) {
      first.put(key(r.getTimestamp(0), r.getString(1), r.getString(2)) + "|"
          + (r.isNullAt(4) ? METRIC_COST_USD : r.getString(4)), r.getTimestamp(3));
    }
    return first;
  }

  private static String key(Timestamp period, String scopeType, String scopeValue) {
    return period.toInstant() + "|" + scopeType + "|" + scopeValue;
  }

  /** A gold.cost_anomalies row: the detected statistics plus contributors, decomposition and sentence. */
  private Row explain(Grain grain, Row d, List<Row> children, Timestamp detectedAt) {
    Instant period = d.getTimestamp(d.fieldIndex("period_start")).toInstant();
    String scopeType = d.getAs("scope_type");
    String direction = d.getAs("direction");
    BigDecimal actual = d.getDecimal(d.fieldIndex("actual_cost_usd"));
    BigDecimal expected = d.getDecimal(d.fieldIndex("expected_cost_usd"));
    BigDecimal impact = d.getDecimal(d.fieldIndex("impact_usd"));
    Double z = "new_spend".equals(direction) || d.isNullAt(d.fieldIndex("z_score")) ? null
        : d.getDouble(d.fieldIndex("z_score"));
    Double pct = d.isNullAt(d.fieldIndex("pct_change")) ? null : d.getDouble(d.fieldIndex("pct_change"));

    List<Row> ranked = new ArrayList<>(children);
    ranked.sort(java.util.Comparator.comparingInt(r -> r.getInt(r.fieldIndex("explain_rank"))));
    List<Contributor> contributors = new ArrayList<>();
    List<CostChange.ModelUsage> baselineModels = new ArrayList<>();
    List<CostChange.ModelUsage> actualModels = new ArrayList<>();
    Map<String, String> providers = new HashMap<>();
    for (Row r : ranked) {
      String dimension = r.getAs("child_dimension");
      String value = r.getAs("child_value");
      if (r.getInt(r.fieldIndex("explain_rank")) <= TOP_CHILDREN && !dimension.equals(scopeType)) {
        contributors.add(new Contributor(dimension, value, r.getDecimal(r.fieldIndex("actual_cost_usd")),
            r.getDecimal(r.fieldIndex("baseline_cost_usd")), r.getDecimal(r.fieldIndex("change_usd")),
            pct(r, "share_of_change"), pct(r, "baseline_share")));
      }
      if (dimension.equals("model")) {
        providers.put(value, r.getAs("provider"));
        baselineModels.add(new CostChange.ModelUsage(value, dbl(r, "baseline_requests"), dbl(r, "baseline_input_tokens"),
            dbl(r, "baseline_cached_input_tokens"), dbl(r, "baseline_output_tokens"),
            r.getDecimal(r.fieldIndex("baseline_cost_usd"))));
        actualModels.add(new CostChange.ModelUsage(value, dbl(r, "actual_requests"), dbl(r, "actual_input_tokens"),
            dbl(r, "actual_cached_input_tokens"), dbl(r, "actual_output_tokens"),
            r.getDecimal(r.fieldIndex("actual_cost_usd"))));
      }
    }
    baselineModels.removeIf(u -> u.requests() <= 0);
    actualModels.removeIf(u -> u.requests() <= 0);
    BigDecimal decomposedFrom = "new_spend".equals(direction) ? BigDecimal.ZERO : expected;
    CostChange.Decomposition decomposition = CostChange.decompose(baselineModels, actualModels, decomposedFrom, actual,
        model -> cachePrices(model, period));
    String severity = severity(direction, z, impact);
    String metric = d.getAs("metric");
    Double actualValue = d.isNullAt(d.fieldIndex("actual_value")) ? null : d.getDouble(d.fieldIndex("actual_value"));
    Double expectedValue = d.isNullAt(d.fieldIndex("expected_value")) ? null
        : d.getDouble(d.fieldIndex("expected_value"));
    Explanations.Facts facts = new Explanations.Facts(grain, period, scopeType, d.getAs("scope_value"),
        direction, actual, impact, pct, d.getAs("baseline_method"), d.getInt(d.fieldIndex("baseline_periods")),
        contributors, decomposition);
    String explanation = METRIC_COST_USD.equals(metric) ? Explanations.explain(facts)
        : Explanations.explainUsage(facts, metric, actualValue, expectedValue);
    List<Row> contributorRows = contributors.stream().map(c -> RowFactory.create(c.dimension(), c.value(),
        c.actualCostUsd(), c.expectedCostUsd(), c.changeUsd(), c.shareOfChangePct(), c.usualSharePct())).toList();
    Double stddev = d.isNullAt(d.fieldIndex("baseline_stddev_usd")) ? null : d.getDouble(d.fieldIndex("baseline_stddev_usd"));
    Double expectedRequests = d.isNullAt(d.fieldIndex("expected_requests")) ? null
        : ((Number) d.get(d.fieldIndex("expected_requests"))).doubleValue();
    String topDriver = Explanations.cause(new Explanations.Facts(grain, period, scopeType, d.getAs("scope_value"),
        direction, actual, impact, pct, d.getAs("baseline_method"), 0, contributors, decomposition))
        .map(Contributor::key).orElse(contributors.isEmpty() ? null : contributors.get(0).key());
    return RowFactory.create(
        grain.label(), Timestamp.from(period), scopeType, d.getAs("scope_value"),
        direction, severity, explanation,
        actual, expected, impact, pct, z, stddev,
        ((Number) d.get(d.fieldIndex("actual_requests"))).longValue(), expectedRequests,
        d.getAs("baseline_method"), d.getInt(d.fieldIndex("baseline_periods")), settings.statMethod(),
        topDriver, decomposition.topFactor().label(),
        scala.jdk.javaapi.CollectionConverters.asScala(contributorRows).toSeq(),
        decomposition.effect(CostChange.Factor.VOLUME), decomposition.effect(CostChange.Factor.MIX),
        decomposition.effect(CostChange.Factor.TOKENS_PER_REQUEST), decomposition.effect(CostChange.Factor.CACHE_HIT_RATE),
        decomposition.effect(CostChange.Factor.PRICE),
        detectedAt,
        metric, actualValue, expectedValue);
  }

  private String severity(String direction, Double z, BigDecimal impact) {
    if ("new_spend".equals(direction)) {
      return "info";
    }
    boolean large = z != null && Math.abs(z) >= 2 * settings.zThreshold()
        && impact.abs().compareTo(settings.minImpactUsd().multiply(BigDecimal.TEN)) >= 0;
    return large ? "critical" : "warning";
  }

  /** The model's standard-tier chat prices in force at the period, when the catalog has them. */
  private Optional<CostChange.CachePrices> cachePrices(String model, Instant at) {
    Optional<ModelMatcher.Match> match = matcher.match(model);
    if (match.isEmpty()) {
      return Optional.empty();
    }
    for (PriceRow row : catalog.rows()) {
      if (row.model().equals(match.get().catalogModel()) && row.operation().equals("chat")
          && row.serviceTier().equals("standard") && row.coversInstant(at) && row.inputUsdPer1m() != null) {
        double input = row.inputUsdPer1m().doubleValue() / 1e6;
        double cached = row.cachedInputUsdPer1m() != null ? row.cachedInputUsdPer1m().doubleValue() / 1e6 : input;
        double output = row.outputUsdPer1m() != null ? row.outputUsdPer1m().doubleValue() / 1e6 : 0;
        return Optional.of(new CostChange.CachePrices(input, cached, output));
      }
    }
    return Optional.empty();
  }

  private static double pct(Row r, String field) {
    int i = r.fieldIndex(field);
    return r.isNullAt(i) ? 0 : r.getDouble(i) * 100;
  }

  private static double dbl(Row r, String field) {
    int i = r.fieldIndex(field);
    return r.isNullAt(i) ? 0 : ((Number) r.get(i)).doubleValue();
  }

  private void describe(Grain grain, String what) {
    spark.sparkContext().setJobDescription(what == null ? null : "costlake anomalies (" + grain.label() + "): " + what);
  }
}
