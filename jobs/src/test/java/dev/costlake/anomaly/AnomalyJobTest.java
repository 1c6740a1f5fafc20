package dev.costlake.anomaly;

import static dev.costlake.anomaly.AnomalyFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.testing.TestSpark;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gold.cost_anomalies from hand-written rollups: Tuesday 2026-11-03 14:00 UTC against the four Tuesdays
 * 14:00 before it. support_qa (user u1) spends 10, 12, 8, 10 and search (user u3) 5 every week; in the
 * judged hour user u2, never seen before, adds 400 requests and $40 to support_qa.
 */
class AnomalyJobTest {
  static final Instant HOUR = Instant.parse("2026-11-03T14:00:00Z");
  static final Clock FIRST_RUN = Clock.fixed(Instant.parse("2026-11-03T15:05:00Z"), ZoneOffset.UTC);
  static final Clock SECOND_RUN = Clock.fixed(Instant.parse("2026-11-03T18:05:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;

  private static List<AnomalyFixtures.HourRow> fourTuesdays(String oct13SupportQaCost) {
    List<AnomalyFixtures.HourRow> rows = new ArrayList<>();
    // The lakehouse's first hour: Monday 2026-10-05 00:00, so four whole weeks precede the judged hour.
    rows.add(row("2026-10-05T00:00:00Z", "acme", "search", "u3", 10, "1"));
    String[] weeks = {"2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27"};
    String[] supportQa = {"10", oct13SupportQaCost, "8", "10"};
    long[] supportQaRequests = {100, Math.round(Double.parseDouble(oct13SupportQaCost) * 10), 80, 100};
    for (int i = 0; i < weeks.length; i++) {
      rows.add(row(weeks[i] + "T14:00:00Z", "acme", "support_qa", "u1", supportQaRequests[i], supportQa[i]));
      rows.add(row(weeks[i] + "T14:00:00Z", "acme", "search", "u3", 50, "5"));
    }
    return rows;
  }

  private static Lakehouse lake(Path tmp, String name, Map<String, String> settings) {
    CostlakeConfig config = TestSpark.config(tmp.resolve(name + "-lake"), tmp.resolve(name + "-raw"), settings);
    return TestSpark.lake(config);
  }

  private static AnomalyJob job(Lakehouse lake, Map<String, String> settings, Clock clock, Path tmp, String name) {
    CostlakeConfig config = TestSpark.config(tmp.resolve(name + "-lake"), tmp.resolve(name + "-raw"), settings);
    return new AnomalyJob(lake, config, PriceCatalog.builtIn(), clock);
  }

  private static Row anomaly(Lakehouse lake, String scopeType, String scopeValue) {
    return anomaly(lake, scopeType, scopeValue, "cost_usd");
  }

  private static Row anomaly(Lakehouse lake, String scopeType, String scopeValue, String metric) {
    List<Row> rows = lake.table(Lakehouse.COST_ANOMALIES).where("scope_type = '" + scopeType + "' and scope_value = '"
        + scopeValue + "' and metric = '" + metric + "'").collectAsList();
    assertEquals(1, rows.size(), () -> "rows for " + scopeType + " " + scopeValue + " " + metric + ": " + rows);
    return rows.get(0);
  }

  /** The flagged rows as "scope_type scope_value direction", cost rows only. */
  private static List<String> flaggedScopes(Lakehouse lake) {
    return flagged(lake, "cost_usd");
  }

  private static List<String> flagged(Lakehouse lake, String metric) {
    List<String> scopes = new ArrayList<>();
    for (Row r : lake.table(Lakehouse.COST_ANOMALIES).where("metric = '" + metric + "'")
        .orderBy("scope_type", "scope_value").select("scope_type", "scope_value", "direction").collectAsList()) {
      scopes.add(r.getString(0) + " " + r.getString(1) + " " + r.getString(2));
    }
    return scopes;
  }

  @Test
  void aRunawayNewUserIsASpikeExplainedByThatUserAndByVolume() {
    Lakehouse lake = lake(tmp, "spike", Map.of());
    List<AnomalyFixtures.HourRow> rows = fourTuesdays("12");
    rows.add(row("2026-11-03T14:00:00Z", "acme", "support_qa", "u1", 100, "10"));
    rows.add(row("2026-11-03T14:00:00Z", "acme", "support_qa", "u2", 400, "40"));
    rows.add(row("2026-11-03T14:00:00Z", "acme", "search", "u3", 50, "5"));
    AnomalyFixtures.append(lake, rows);

    AnomalyJob.Result result = job(lake, Map.of(), FIRST_RUN, tmp, "spike").detect(Grain.HOUR, List.of(HOUR));

    assertEquals(1, result.periodsJudged());
    assertEquals(List.of("feature support_qa spike", "model gpt-4o-mini spike", "tenant acme spike",
        "tenant_feature acme/support_qa spike", "total all spike", "user u2 new_spend"), flaggedScopes(lake));

    // all spend: 15 + 17 + 13 + 15 -> mean 15, sample stddev sqrt(8/3) = 1.63299; 55 now.
    Row total = anomaly(lake, "total", "all");
    assertEquals("hour", total.getAs("grain"));
    assertEquals(new BigDecimal("55.000000000"), total.getAs("actual_cost_usd"));
    assertEquals(new BigDecimal("15.000000000"), total.getAs("expected_cost_usd"));
    assertEquals(new BigDecimal("40.000000000"), total.getAs("impact_usd"));
    assertEquals(Math.sqrt(8.0 / 3), total.<Double>getAs("baseline_stddev_usd"), 1e-12);
    assertEquals(40 / Math.sqrt(8.0 / 3), total.<Double>getAs("z_score"), 1e-9);
    assertEquals(40.0 / 15 * 100, total.<Double>getAs("pct_change"), 1e-9);
    assertEquals(550L, total.<Long>getAs("actual_requests"));
    assertEquals(150.0, total.<Double>getAs("expected_requests"), 1e-12);
    assertEquals("same_hour_of_week", total.getAs("baseline_method"));
    assertEquals(4, total.<Integer>getAs("baseline_periods"));
    assertEquals("mean_stddev", total.getAs("stat_method"));
    // |z| >= 6 but the $40 impact is under 10 x anomalies.min-impact-usd ($5).
    assertEquals("warning", total.getAs("severity"));
    assertEquals("spike", total.getAs("direction"));
    // u2 made 100% of the change and 0% of the usual cost; support_qa 100% of the change, 2/3 of the usual.
    assertEquals("user:u2", total.getAs("top_driver"));
    List<String> contributors = new ArrayList<>();
    for (Row c : total.<Row>getList(total.fieldIndex("contributors"))) {
      contributors.add(c.getString(0) + ":" + c.getString(1) + " " + c.getDecimal(4).stripTrailingZeros().toPlainString()
          + " " + Math.round(c.getDouble(5)) + "% of change, usually " + Math.round(c.getDouble(6)) + "%");
    }
    assertEquals(List.of(
        "user:u2 40 100% of change, usually 0%",
        "feature:support_qa 40 100% of change, usually 67%",
        "model:gpt-4o-mini 40 100% of change, usually 100%",
        "tenant:acme 40 100% of change, usually 100%",
        "feature:search 0 0% of change, usually 33%"), contributors);
    // One model, same tokens and cost per request: it is all volume (550 requests vs 150).
    assertEquals("volume", total.getAs("top_factor"));
    assertEquals(new BigDecimal("40.000000000"), total.getAs("volume_effect_usd"));
    assertEquals(new BigDecimal("0E-9"), total.getAs("mix_effect_usd"));
    assertEquals(new BigDecimal("0E-9"), total.getAs("tokens_per_request_effect_usd"));
    assertEquals(new BigDecimal("0E-9"), total.getAs("cache_hit_effect_usd"));
    assertEquals(new BigDecimal("0E-9"), total.getAs("price_effect_usd"));
    assertEquals("all spend +$40.00 (+267%) vs usual Tuesday 14:00 UTC; 100% from user u2; requests x3.7",
        total.getAs("explanation"));

    Row feature = anomaly(lake, "feature", "support_qa");
    assertEquals(new BigDecimal("10.000000000"), feature.getAs("expected_cost_usd"));
    assertEquals(40 / Math.sqrt(8.0 / 3), feature.<Double>getAs("z_score"), 1e-9);
    assertEquals("feature support_qa +$40.00 (+400%) vs usual Tuesday 14:00 UTC; 100% from user u2; requests x5.0",
        feature.getAs("explanation"));

    Row newUser = anomaly(lake, "user", "u2");
    assertEquals("info", newUser.getAs("severity"));
    assertNull(newUser.getAs("z_score"));
    assertEquals(0, newUser.<Integer>getAs("baseline_periods"));
    assertEquals(new BigDecimal("40.000000000"), newUser.getAs("volume_effect_usd"));
    assertEquals("new spend: user u2 $40.00 this hour, none before in the trailing hours and the same hour of"
        + " previous weeks; 100% from feature support_qa", newUser.getAs("explanation"));
  }

  @Test
  void oneSpikeInTheBaselineHidesTheNextFromTheMeanButNotFromTheRobustMethod() {
    Lakehouse lake = lake(tmp, "robust", Map.of());
    List<AnomalyFixtures.HourRow> rows = fourTuesdays("60");
    rows.add(row("2026-11-03T14:00:00Z", "acme", "support_qa", "u1", 500, "50"));
    rows.add(row("2026-11-03T14:00:00Z", "acme", "search", "u3", 50, "5"));
    AnomalyFixtures.append(lake, rows);

    // Baseline 10, 60, 8, 10: mean 22 and stddev sqrt(1928/3) = 25.35, so z = 28 / 25.35 = 1.10: nothing flagged.
    job(lake, Map.of(), FIRST_RUN, tmp, "robust").detect(Grain.HOUR, List.of(HOUR));
    assertEquals(List.of(), flaggedScopes(lake));

    // Median 10, MAD = median(0, 0, 2, 50) = 1, spread 1.4826: z = 40 / 1.4826 = 27.0.
    job(lake, Map.of("anomalies.method", "robust"), FIRST_RUN, tmp, "robust").detect(Grain.HOUR, List.of(HOUR));
    Row feature = anomaly(lake, "feature", "support_qa");
    assertEquals(new BigDecimal("10.000000000"), feature.getAs("expected_cost_usd"));
    assertEquals(1.4826, feature.<Double>getAs("baseline_stddev_usd"), 1e-12);
    assertEquals(40 / 1.4826, feature.<Double>getAs("z_score"), 1e-9);
    assertEquals("median_mad", feature.getAs("stat_method"));
    // The baseline's mean shape scaled to the median: still all volume, and the parts add up to the $40.
    assertEquals(new BigDecimal("40.000000000"), feature.getAs("impact_usd"));
    assertEquals(new BigDecimal("40.000000000"), feature.getAs("volume_effect_usd"));
    assertEquals(new BigDecimal("40.000000000"), feature.<BigDecimal>getAs("volume_effect_usd")
        .add(feature.getAs("mix_effect_usd")).add(feature.getAs("tokens_per_request_effect_usd"))
        .add(feature.getAs("cache_hit_effect_usd")).add(feature.getAs("price_effect_usd")));
  }

  @Test
  void aFeatureFallingSilentIsADropAndRecomputingGivesTheSameRows() {
    Lakehouse lake = lake(tmp, "drop", Map.of());
    List<AnomalyFixtures.HourRow> rows = fourTuesdays("12");
    rows.add(row("2026-11-03T14:00:00Z", "acme", "search", "u3", 50, "5"));
    AnomalyFixtures.append(lake, rows);

    job(lake, Map.of(), FIRST_RUN, tmp, "drop").detect(Grain.HOUR, List.of(HOUR));
    assertEquals(List.of("feature support_qa drop", "model gpt-4o-mini drop", "tenant acme drop",
        "tenant_feature acme/support_qa drop", "total all drop", "user u1 drop"), flaggedScopes(lake));
    // Its requests fell too (100, 120, 80, 100 -> 0: z = -100 / sqrt(800 / 3) = -6.1):
    // the same scopes, on the requests series; the total and the tenant fell by two thirds (150 -> 50).
    assertEquals(List.of("feature support_qa drop", "model gpt-4o-mini drop", "tenant acme drop",
        "tenant_feature acme/support_qa drop", "total all drop", "user u1 drop"), flagged(lake, "requests"));
    Row feature = anomaly(lake, "feature", "support_qa");
    assertEquals(new BigDecimal("-10.000000000"), feature.getAs("impact_usd"));
    assertEquals(-10 / Math.sqrt(8.0 / 3), feature.<Double>getAs("z_score"), 1e-9);
    assertEquals(new BigDecimal("-10.000000000"), feature.getAs("volume_effect_usd"));
    assertEquals("feature support_qa -$10.00 (-100%) vs usual Tuesday 14:00 UTC; requests -100%",
        feature.getAs("explanation"));

    List<Row> first = lake.table(Lakehouse.COST_ANOMALIES).orderBy("scope_type", "scope_value", "metric")
        .collectAsList();
    job(lake, Map.of(), SECOND_RUN, tmp, "drop").detect(Grain.HOUR, List.of(HOUR));
    List<Row> second = lake.table(Lakehouse.COST_ANOMALIES).orderBy("scope_type", "scope_value", "metric")
        .collectAsList();
    assertEquals(first, second);
    assertEquals(java.sql.Timestamp.from(FIRST_RUN.instant()), second.get(0).getAs("detected_at"));
  }

  @Test
  void requestsFallingByFourFifthsAreADropEvenWhenTheDollarsAreTooFewForTheCostSeries() {
    Lakehouse lake = lake(tmp, "requests", Map.of());
    List<AnomalyFixtures.HourRow> rows = fourTuesdays("12");
    // autocomplete: 200 cheap requests ($0.20) every Tuesday 14:00, 40 in the judged hour.
    for (String week : new String[] {"2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27"}) {
      rows.add(row(week + "T14:00:00Z", "acme", "autocomplete", "u4", 200, "0.20"));
    }
    rows.add(row("2026-11-03T14:00:00Z", "acme", "support_qa", "u1", 100, "10"));
    rows.add(row("2026-11-03T14:00:00Z", "acme", "search", "u3", 50, "5"));
    rows.add(row("2026-11-03T14:00:00Z", "acme", "autocomplete", "u4", 40, "0.04"));
    AnomalyFixtures.append(lake, rows);

    job(lake, Map.of(), FIRST_RUN, tmp, "requests").detect(Grain.HOUR, List.of(HOUR));

    // -$0.16 is under the $5 minimum impact: no cost row. The model, tenant and total fell from 350
    // to 190 requests (z = -160 / 35 = -4.6), but by less than half: not a drop.
    assertEquals(List.of(), flaggedScopes(lake));
    assertEquals(List.of("feature autocomplete drop", "tenant_feature acme/autocomplete drop", "user u4 drop"),
        flagged(lake, "requests"));
    Row feature = anomaly(lake, "feature", "autocomplete", "requests");
    assertEquals(40.0, feature.<Double>getAs("actual_value"));
    assertEquals(200.0, feature.<Double>getAs("expected_value"));
    // A constant baseline: the spread is floored at 10% of 200 (above sqrt(200) = 14.1), so z = -160 / 20.
    assertEquals(-8.0, feature.<Double>getAs("z_score"), 1e-12);
    assertNull(feature.getAs("baseline_stddev_usd"));
    assertEquals(new BigDecimal("0.040000000"), feature.getAs("actual_cost_usd"));
    assertEquals(new BigDecimal("0.200000000"), feature.getAs("expected_cost_usd"));
    assertEquals(new BigDecimal("-0.160000000"), feature.getAs("impact_usd"));
    assertEquals(40L, feature.<Long>getAs("actual_requests"));
    assertEquals("warning", feature.getAs("severity"));
    assertEquals("feature autocomplete requests 40 (-80%) vs usual 200.0 Tuesday 14:00 UTC; spend -$0.1600 (-80%)",
        feature.getAs("explanation"));
  }

  @Test
  void aPromptCacheThatStopsHittingIsACacheCollapseWhileTheCostBarelyMoves() {
    Lakehouse lake = lake(tmp, "cache", Map.of());
    List<AnomalyFixtures.HourRow> rows = new ArrayList<>();
    rows.add(row("2026-10-05T00:00:00Z", "acme", "search", "u3", 10, "1"));
    // support_qa reads 30% of its input from the prompt cache every Tuesday; in the judged hour, none.
    String[] weeks = {"2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27"};
    long[] requests = {100, 120, 80, 100};
    for (int i = 0; i < weeks.length; i++) {
      rows.add(AnomalyFixtures.cachedRow(weeks[i] + "T14:00:00Z", "acme", "support_qa", "u1", requests[i],
          String.valueOf(requests[i] / 10), requests[i] * 300));
      rows.add(row(weeks[i] + "T14:00:00Z", "acme", "search", "u3", 50, "5"));
    }
    rows.add(AnomalyFixtures.cachedRow("2026-11-03T14:00:00Z", "acme", "support_qa", "u1", 100, "11", 0));
    rows.add(row("2026-11-03T14:00:00Z", "acme", "search", "u3", 50, "5"));
    AnomalyFixtures.append(lake, rows);

    job(lake, Map.of(), FIRST_RUN, tmp, "cache").detect(Grain.HOUR, List.of(HOUR));

    // +$1 is no cost anomaly, and the requests did not move; the cached share fell to 0 everywhere
    // support_qa is (search never caches: it has no cache to lose, but dilutes the total's share).
    assertEquals(List.of(), flaggedScopes(lake));
    assertEquals(List.of(), flagged(lake, "requests"));
    assertEquals(List.of("feature support_qa drop", "model gpt-4o-mini drop", "tenant acme drop",
        "tenant_feature acme/support_qa drop", "total all drop", "user u1 drop"), flagged(lake, "cached_input_share"));
    Row feature = anomaly(lake, "feature", "support_qa", "cached_input_share");
    assertEquals(0.0, feature.<Double>getAs("actual_value"));
    assertEquals(0.3, feature.<Double>getAs("expected_value"), 1e-12);
    // A constant 30%: the floor is the standard error of a share over 100 requests, sqrt(0.3 x 0.7 / 100).
    assertEquals(-0.3 / Math.sqrt(0.3 * 0.7 / 100), feature.<Double>getAs("z_score"), 1e-9);
    assertEquals(new BigDecimal("1.000000000"), feature.getAs("impact_usd"));
    assertEquals("feature support_qa prompt-cache share of input 0% vs usual 30% Tuesday 14:00 UTC;"
        + " spend +$1.00 (+10%)", feature.getAs("explanation"));
  }
}
