package dev.costlake.alert;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import dev.costlake.lake.Lakehouse;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Measures what the rules judge, from the gold and ops tables (small reads, pruned by date), and
 * hands each measure to its rule in AlertRules. One method per rule; each returns its signals.
 */
final class AlertInputs {
  private static final BigDecimal NANOS_PER_USD = new BigDecimal(1_000_000_000L);

  private final Lakehouse lake;
  private final AlertSettings settings;

  AlertInputs(Lakehouse lake, AlertSettings settings) {
    this.lake = lake;
    this.settings = settings;
  }

  static String hourText(Instant hour) {
    return hour.toString().substring(0, 16) + "Z";
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.from(i);
  }

  private static java.sql.Date date(LocalDate d) {
    return java.sql.Date.valueOf(d);
  }

  List<Signal> hourlySpend(Instant hour) {
    Row r = lake.table(Lakehouse.COST_HOURLY)
        .where(col("event_date").equalTo(lit(date(LocalDate.ofInstant(hour, ZoneOffset.UTC))))
            .and(col("event_hour").equalTo(lit(ts(hour)))))
        .agg(sum("cost_usd")).first();
    return AlertRules.spendAbove(AlertRules.HOURLY_SPEND, "Hour", hourText(hour), r.getDecimal(0),
        settings.usd("hourly-spend")).stream().toList();
  }

  List<Signal> dailySpend(LocalDate day) {
    Row r = lake.table(Lakehouse.COST_DAILY_TOTAL).where(col("event_date").equalTo(lit(date(day))))
        .agg(sum("cost_usd")).first();
    return AlertRules.spendAbove(AlertRules.DAILY_SPEND, "Day", day.toString(), r.getDecimal(0),
        settings.usd("daily-spend")).stream().toList();
  }

  List<Signal> requestCost(Instant hour) {
    BigDecimal threshold = settings.usd("request-cost");
    long thresholdNanos = threshold.multiply(NANOS_PER_USD).setScale(0, RoundingMode.FLOOR).longValueExact();
    List<Signal> out = new ArrayList<>();
    for (Row r : lake.table(Lakehouse.COST_EVENTS)
        .where(col("event_date").equalTo(lit(date(LocalDate.ofInstant(hour, ZoneOffset.UTC))))
            .and(col("event_hour").equalTo(lit(ts(hour)))).and(col("cost_usd_nanos").isNotNull()))
        .groupBy("feature")
        .agg(max("cost_usd_nanos"), count_if(col("cost_usd_nanos").gt(thresholdNanos)),
            max_by(col("event_id"), col("cost_usd_nanos")))
        .orderBy("feature").collectAsList()) {
      BigDecimal maxUsd = new BigDecimal(r.getLong(1)).divide(NANOS_PER_USD);
      AlertRules.requestCost(r.getString(0), hourText(hour), maxUsd, r.getLong(2), r.getString(3), threshold)
          .ifPresent(out::add);
    }
    return out;
  }

  List<Signal> requestRate(Instant hour) {
    int baselineDays = settings.positiveInt("request-rate", "baseline-days");
    // Normal is the same hour of the day before, and of the days before it: traffic has a daily shape,
    // so an afternoon compared with the mean of a whole week would always look busy.
    List<Instant> hours = new ArrayList<>();
    for (int d = baselineDays; d >= 0; d--) {
      hours.add(hour.minus(Duration.ofDays(d)));
    }
    Dataset<Row> hourly = lake.table(Lakehouse.COST_HOURLY)
        .where(col("event_date").between(lit(date(LocalDate.ofInstant(hours.get(0), ZoneOffset.UTC))),
            lit(date(LocalDate.ofInstant(hour, ZoneOffset.UTC)))))
        .where(col("event_hour").isin(hours.stream().map(AlertInputs::ts).toArray()))
        .groupBy("event_hour").agg(sum("requests").as("requests"));
    long now = 0;
    long before = 0;
    Instant first = null;
    for (Row r : hourly.collectAsList()) {
      Instant h = r.getTimestamp(0).toInstant();
      if (h.equals(hour)) {
        now = r.getLong(1);
      } else {
        before += r.getLong(1);
        first = first == null || h.isBefore(first) ? h : first;
      }
    }
    if (first == null) {
      return List.of();
    }
    // The baseline is that hour on the days from the first one with requests to the day before: a
    // quiet one counts as 0, days before the service existed do not count.
    long days = Duration.between(first, hour).toDays();
    BigDecimal mean = BigDecimal.valueOf(before).divide(BigDecimal.valueOf(days), 9, RoundingMode.HALF_UP);
    return AlertRules.requestRate(hourText(hour), now, mean, settings.number("request-rate", "multiple"),
        settings.number("request-rate", "min-requests")).stream().toList();
  }

  List<Signal> anomalies(String grain, Instant periodStart) {
    Severity min = settings.anomalyMinSeverity();
    List<Signal> out = new ArrayList<>();
    String period = grain.equals("hour") ? hourText(periodStart) : periodStart.toString().substring(0, 10);
    java.util.Set<String> scopes = new java.util.HashSet<>();
    for (Row r : lake.table(Lakehouse.COST_ANOMALIES)
        .where(col("grain").equalTo(grain).and(col("period_start").equalTo(lit(ts(periodStart)))))
        .select("scope_type", "scope_value", "severity", "direction", "actual_cost_usd", "expected_cost_usd",
            "explanation", "metric")
        // One alert per scope (its dedupe key): the cost row first, else the requests or cache row.
        .orderBy(col("scope_type"), col("scope_value"), expr("coalesce(metric, 'cost_usd') = 'cost_usd'").desc(),
            col("metric"))
        .collectAsList()) {
      if (!scopes.add(r.getString(0) + ":" + r.getString(1))) {
        continue;
      }
      AlertRules.anomaly(grain, period, r.getString(0), r.getString(1), r.getString(2), r.getString(3),
          r.getDecimal(4), r.getDecimal(5), r.getString(6), min).ifPresent(out::add);
    }
    return out;
  }

  List<Signal> featureDailySpike(LocalDate day) {
    int baselineDays = settings.positiveInt("feature-daily-spike", "baseline-days");
    BigDecimal pct = settings.number("feature-daily-spike", "pct");
    BigDecimal minUsd = settings.usd("feature-daily-spike", "min-usd");
    List<Signal> out = new ArrayList<>();
    Dataset<Row> rows = lake.table(Lakehouse.COST_DAILY_BY_FEATURE)
        .where(col("event_date").between(lit(date(day.minusDays(baselineDays))), lit(date(day)))
            .and(col("cost_usd").isNotNull()));
    // Per feature: the day's cost, and the baseline days' (those with spend) cost and count.
    java.util.Map<String, BigDecimal[]> byFeature = new java.util.TreeMap<>();
    for (Row r : rows.select("feature", "event_date", "cost_usd").collectAsList()) {
      BigDecimal[] acc = byFeature.computeIfAbsent(r.getString(0),
          f -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
      if (r.getDate(1).toLocalDate().equals(day)) {
        acc[0] = acc[0].add(r.getDecimal(2));
      } else {
        acc[1] = acc[1].add(r.getDecimal(2));
        acc[2] = acc[2].add(BigDecimal.ONE);
      }
    }
    for (var e : byFeature.entrySet()) {
      BigDecimal[] acc = e.getValue();
      int days = acc[2].intValue();
      BigDecimal mean = days == 0 ? null : acc[1].divide(acc[2], 9, RoundingMode.HALF_UP);
      AlertRules.featureDailySpike(e.getKey(), day.toString(), acc[0], mean, days, pct, minUsd).ifPresent(out::add);
    }
    return out;
  }

  List<Signal> unpricedModels(Instant now) {
    Instant from = now.minus(Duration.ofHours(24));
    List<Signal> out = new ArrayList<>();
    for (Row r : lake.table(Lakehouse.COST_EVENTS)
        .where(col("event_date").between(lit(date(LocalDate.ofInstant(from, ZoneOffset.UTC))),
            lit(date(LocalDate.ofInstant(now, ZoneOffset.UTC)))))
        .where(col("event_time").geq(lit(ts(from))).and(col("event_time").lt(lit(ts(now))))
            .and(col("pricing_status").equalTo("unpriced")))
        .groupBy("model").count().orderBy("model").collectAsList()) {
      AlertRules.unpricedModel(r.getString(0), r.getLong(1), "the 24 hours before " + hourText(now))
          .ifPresent(out::add);
    }
    return out;
  }

  List<Signal> pipelineRuns() {
    List<Signal> out = new ArrayList<>();
    for (Row r : lake.table(Lakehouse.PIPELINE_RUNS).where(col("ended_at").isNotNull())
        .groupBy("job").agg(max_by(struct(col("status"), col("run_id"), col("error")), col("started_at")).as("latest"))
        .select(col("job"), col("latest.status"), col("latest.run_id"), col("latest.error"))
        .orderBy("job").collectAsList()) {
      AlertRules.pipelineRunFailed(r.getString(0), r.getString(1), r.getString(2), r.getString(3))
          .ifPresent(out::add);
    }
    // The latest run's checks, in one query: its unbalanced rows.
    Dataset<Row> checks = lake.table(Lakehouse.ROLLUP_CHECKS);
    Dataset<Row> latest = checks.agg(max_by(col("run_id"), col("checked_at")).as("latest_run_id"));
    java.util.Set<String> tables = new java.util.TreeSet<>();
    for (Row r : checks.join(latest, checks.col("run_id").equalTo(latest.col("latest_run_id")))
        .where(col("balanced").equalTo(false))
        .select("rollup_table", "measure", "run_id", "silver_value", "rollup_value").orderBy("rollup_table", "measure")
        .collectAsList()) {
      // One alert per table: its first unbalanced measure says enough.
      if (tables.add(r.getString(0))) {
        AlertRules.booksUnbalanced(r.getString(0), r.getString(1), r.getString(2), r.getDecimal(3), r.getDecimal(4))
            .ifPresent(out::add);
      }
    }
    return out;
  }

  static Instant dayStart(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
