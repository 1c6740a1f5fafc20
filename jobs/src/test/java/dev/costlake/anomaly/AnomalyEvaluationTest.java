package dev.costlake.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.generate.AnomalyLabel;
import dev.costlake.generate.AnomalyLabel.Scope;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How findings are scored against injected labels, on hand-made cases. */
class AnomalyEvaluationTest {
  static final AnomalyLabel SPIKE = new AnomalyLabel("a01", "spike", "feature", "search",
      Instant.parse("2026-10-05T14:00:00Z"), Instant.parse("2026-10-05T17:00:00Z"), 5.0, "factor:volume",
      List.of(new Scope("total", "all"), new Scope("feature", "search"), new Scope("user", "u1")));
  static final AnomalyLabel LOOP = new AnomalyLabel("a02", "runaway_loop", "feature", "chat",
      Instant.parse("2026-10-08T02:00:00Z"), Instant.parse("2026-10-08T04:00:00Z"), 6.0, "user:u9",
      List.of(new Scope("total", "all"), new Scope("feature", "chat"), new Scope("user", "u9")));
  static final AnomalyLabel DROP = new AnomalyLabel("a03", "drop", "feature", "chat",
      Instant.parse("2026-10-10T10:00:00Z"), Instant.parse("2026-10-10T12:00:00Z"), 0.0, "factor:volume",
      List.of(new Scope("total", "all"), new Scope("feature", "chat")));

  static final AnomalyLabel CACHE = new AnomalyLabel("a04", "cache_collapse", "feature", "chat",
      Instant.parse("2026-10-12T11:00:00Z"), Instant.parse("2026-10-12T15:00:00Z"), 1.06, "factor:cache_hit_rate",
      List.of(new Scope("total", "all"), new Scope("feature", "chat")));

  private static AnomalyEvaluation.Found hour(String at, String type, String value, String direction, double impact,
      String driver, String factor) {
    return usage(at, type, value, "cost_usd", direction, impact, driver, factor);
  }

  private static AnomalyEvaluation.Found usage(String at, String type, String value, String metric, String direction,
      double impact, String driver, String factor) {
    return new AnomalyEvaluation.Found(Grain.HOUR, Instant.parse(at), type, value, metric, direction, impact, driver,
        factor);
  }

  @Test
  void scoresRecallPrecisionAndDrivers() {
    List<AnomalyEvaluation.Found> found = List.of(
        // the spike, found twice in its scope (the larger one is the match) and once in the total: all right
        hour("2026-10-05T14:00:00Z", "feature", "search", "spike", 40, "user:u1", "volume"),
        hour("2026-10-05T15:00:00Z", "feature", "search", "spike", 55, "user:u1", "volume"),
        hour("2026-10-05T15:00:00Z", "total", "all", "spike", 55, "feature:search", "volume"),
        // the loop, found, but the detector names another user first
        hour("2026-10-08T03:00:00Z", "feature", "chat", "spike", 30, "user:u2", "volume"),
        // in the drop's window a spike is flagged: no match for the drop, but right (a scope the drop touched)
        hour("2026-10-10T10:00:00Z", "feature", "chat", "spike", 9, null, "price"),
        // a false alarm: no label overlaps it
        hour("2026-10-20T10:00:00Z", "feature", "chat", "spike", 12, null, "volume"),
        // a day of the spike, in a scope the injection did not touch: wrong
        new AnomalyEvaluation.Found(Grain.DAY, Instant.parse("2026-10-05T00:00:00Z"), "tenant", "acme", "cost_usd",
            "spike", 70,
            "feature:search", "volume"),
        hour("2026-10-06T01:00:00Z", "user", "u7", "new_spend", 8, "feature:chat", "volume"));

    AnomalyEvaluation.Score score = AnomalyEvaluation.score(List.of(SPIKE, LOOP, DROP), found);

    assertEquals(2, score.largeSpikes());
    assertEquals(1.0, score.recallLargeSpikes());
    assertEquals(2.0 / 3, score.recallAll(), 1e-12);
    // 7 spikes and drops flagged; right: the three of the spike, the loop's, the one in the drop's window.
    assertEquals(7, score.flagged());
    assertEquals(5, score.flaggedRight());
    assertEquals(5.0 / 7, score.precision(), 1e-12);
    assertEquals(1, score.newSpend());
    // Of the two found, the spike names volume first; the loop names u2, not u9.
    assertEquals(0.5, score.driverFirst(), 1e-12);
    assertEquals(Instant.parse("2026-10-05T15:00:00Z"), score.labels().get(0).match().orElseThrow().periodStart());
    assertTrue(score.labels().get(0).driverFirst());
    assertFalse(score.labels().get(1).driverFirst());
    assertFalse(score.labels().get(2).found());
    assertEquals("{spike=[1, 1], runaway_loop=[1, 1], drop=[0, 1]}", byKind(score));
  }

  @Test
  void aDropIsFoundOnRequestsAndACacheCollapseOnTheCachedShare() {
    List<AnomalyEvaluation.Found> found = List.of(
        // the drop: its requests fell (its cost fell too little to be flagged)
        usage("2026-10-10T11:00:00Z", "feature", "chat", "requests", "drop", -0.4, null, "volume"),
        // a fall of the cached share in the drop's window does not make a drop: right, but no match
        usage("2026-10-10T10:00:00Z", "total", "all", "cached_input_share", "drop", 0.1, null, "volume"),
        // the cache collapse: its cached share fell while its cost barely rose
        usage("2026-10-12T12:00:00Z", "feature", "chat", "cached_input_share", "drop", 0.3, null, "cache_hit_rate"),
        // a requests drop in the collapse's window is not the collapse either, and a false alarm elsewhere
        usage("2026-10-12T13:00:00Z", "total", "all", "requests", "drop", -0.2, null, "volume"),
        usage("2026-10-25T13:00:00Z", "feature", "search", "requests", "drop", -0.2, null, "volume"));

    AnomalyEvaluation.Score score = AnomalyEvaluation.score(List.of(DROP, CACHE), found);

    assertEquals("{drop=[1, 1], cache_collapse=[1, 1]}", byKind(score));
    assertEquals(1.0, score.recallAll());
    assertEquals("requests", score.labels().get(0).match().orElseThrow().metric());
    assertEquals("cached_input_share", score.labels().get(1).match().orElseThrow().metric());
    // Both labels name a factor: volume for the drop, the cache hit rate for the collapse.
    assertEquals(1.0, score.driverFirst());
    assertEquals(5, score.flagged());
    assertEquals(4, score.flaggedRight());
  }

  private static String byKind(AnomalyEvaluation.Score score) {
    java.util.Map<String, List<Integer>> shown = new java.util.LinkedHashMap<>();
    score.recallByKind().forEach((kind, counts) -> shown.put(kind, List.of(counts[0], counts[1])));
    return shown.toString();
  }
}
