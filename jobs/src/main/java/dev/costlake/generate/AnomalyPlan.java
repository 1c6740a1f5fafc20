package dev.costlake.generate;

import dev.costlake.generate.AnomalyLabel.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * Where a run's labelled anomalies go, what they target and how strong they are, decided from
 * the seed alone before any event is drawn; {@link EventGenerator} only asks which one is active
 * in an hour.
 *
 * <p>Anomaly {@code i} (0-based) is of kind {@code Kind.values()[i % 6]}. Windows are whole UTC
 * hours, never in the first {@value #HISTORY_DAYS} days (a detector's baseline needs history),
 * never overlapping, and at least {@value #GAP_HOURS} h apart, so one anomaly never sits in
 * another's trailing day. Each starts between {@value #FIRST_START_HOUR_UTC}:00 and
 * {@value #LAST_START_HOUR_UTC}:00 UTC, the busy half of the sample's day: a spike at the 03:00
 * trough moves a fifth of the dollars and is, rightly, below any sensible noise floor. Their
 * chronological order is shuffled, so time does not give the kind away. Targets are scopes with a large expected cost (see {@link Ranks}), so every anomaly
 * moves a material number of dollars; a feature is used once while unused candidates remain.
 */
final class AnomalyPlan {
  static final int HISTORY_DAYS = 15;
  /** History, then a week in which a few anomalies fit. */
  static final int MIN_DAYS = 22;
  static final int GAP_HOURS = 24;
  /** Windows start in the hours of the day where traffic is at or above its mean (peak 15:00 UTC). */
  static final int FIRST_START_HOUR_UTC = 10;
  static final int LAST_START_HOUR_UTC = 15;
  static final int RAMP_RISE_HOURS = 36;
  static final double RAMP_TOP_FACTOR = 5.0;
  static final double SPIKE_MIN_FACTOR = 4.0;
  static final double SPIKE_MAX_FACTOR = 8.0;
  /**
   * A runaway loop must at least quadruple its feature's cost in every hour it runs; starting the
   * factor at 5 keeps that true despite the spread of per-request token counts.
   */
  static final double RUNAWAY_MIN_FACTOR = 5.0;
  static final double RUNAWAY_MAX_FACTOR = 8.0;
  static final double MODEL_SWITCH_MIN_COST_RATIO = 4.0;
  static final String VOLUME_DRIVER = "factor:volume";
  static final String CACHE_HIT_RATE_DRIVER = "factor:cache_hit_rate";

  /** Candidates per choice: few enough to be material, enough to vary with the seed. */
  private static final int TOP_FEATURES = 5;
  private static final int TOP_TENANTS = 3;
  private static final int TOP_CACHE_FEATURES = 3;
  /** A runaway user's tenant: the 3rd to 5th busiest, neither the giant nor a tiny one. */
  private static final int FIRST_MODERATE_TENANT_RANK = 2;
  private static final int MODERATE_TENANTS = 3;

  static final AnomalyPlan NONE = new AnomalyPlan(List.of());

  /** The kinds, in the order anomalies cycle through them, with their window lengths. */
  enum Kind {
    SPIKE("spike", 2, 4),
    DROP("drop", 3, 6),
    RAMP("ramp", RAMP_RISE_HOURS + 12, RAMP_RISE_HOURS + 12),
    RUNAWAY_LOOP("runaway_loop", 2, 4),
    MODEL_SWITCH("model_switch", 4, 8),
    CACHE_COLLAPSE("cache_collapse", 4, 8);

    private final String label;
    final int minHours;
    final int maxHours;

    Kind(String label, int minHours, int maxHours) {
      this.label = label;
      this.minHours = minHours;
      this.maxHours = maxHours;
    }

    String label() {
      return label;
    }

    /** Kinds that add events; the others remove or change the scope's own events. */
    boolean addsEvents() {
      return this == SPIKE || this == RAMP || this == RUNAWAY_LOOP;
    }
  }

  /**
   * One planned anomaly. {@code feature}, {@code tenant}, {@code user} and {@code model} index the
   * {@link SampleCatalog}, -1 where the kind does not use them: added events carry the feature,
   * tenant and user that are set; a drop, model switch or cache collapse acts on the feature's own
   * events, and a model switch writes {@code model} instead of theirs.
   *
   * @param startHour  first hour of the window, counted from the run's first hour
   * @param scopeShare the share of an hour's events the scope usually has; sizes added events
   */
  record Injection(String labelId, Kind kind, String scopeType, String scopeValue, int feature,
                   int tenant, int user, int model, int startHour, int hours, double factor,
                   String driver, double scopeShare) {

    boolean activeAt(int hourIndex) {
      return hourIndex >= startHour && hourIndex < startHour + hours;
    }

    /** How many times its usual traffic the scope gets in {@code hourIndex}, for kinds that add. */
    double volumeMultiplier(int hourIndex) {
      if (kind == Kind.RAMP) {
        // Linear in the hour's end, so the 36th hour is the first at the full 5x.
        double risen = Math.min(1.0, (hourIndex - startHour + 1) / (double) RAMP_RISE_HOURS);
        return 1.0 + (RAMP_TOP_FACTOR - 1.0) * risen;
      }
      return kind.addsEvents() ? factor : 1.0;
    }

    /** Events to add to an hour that would otherwise hold {@code hourEvents} valid events. */
    long extraEvents(int hourIndex, long hourEvents) {
      if (!kind.addsEvents() || !activeAt(hourIndex)) {
        return 0;
      }
      return Math.round((volumeMultiplier(hourIndex) - 1.0) * hourEvents * scopeShare);
    }

    AnomalyLabel toLabel(LocalDate runStart, Collection<Scope> affectedScopes) {
      Instant runStartAt = runStart.atStartOfDay(ZoneOffset.UTC).toInstant();
      return new AnomalyLabel(labelId, kind.label(), scopeType, scopeValue,
          runStartAt.plus(Duration.ofHours(startHour)),
          runStartAt.plus(Duration.ofHours(startHour + hours)),
          factor, driver, List.copyOf(affectedScopes));
    }
  }

  private final List<Injection> injections;

  private AnomalyPlan(List<Injection> injections) {
    this.injections = List.copyOf(injections);
  }

  /** Anomalies in label order ({@code a01} first). */
  List<Injection> injections() {
    return injections;
  }

  /** The anomaly whose window holds {@code hourIndex}, or null; windows never overlap. */
  Injection activeAt(int hourIndex) {
    for (Injection injection : injections) {
      if (injection.activeAt(hourIndex)) {
        return injection;
      }
    }
    return null;
  }

  /** The labels, in label order, with the scopes the run actually touched for each. */
  List<AnomalyLabel> labels(LocalDate runStart, Map<String, ? extends Collection<Scope>> affected) {
    List<AnomalyLabel> labels = new ArrayList<>(injections.size());
    for (Injection injection : injections) {
      Collection<Scope> scopes = affected.get(injection.labelId());
      labels.add(injection.toLabel(runStart, scopes != null ? scopes : List.of()));
    }
    return labels;
  }

  /**
   * Fails unless {@code anomalies} fit in a run of {@code days} days whatever window lengths the
   * seed draws, so the outcome of a command line never depends on its seed.
   */
  static void requireRoom(int days, int anomalies) {
    if (anomalies < 0) {
      throw new IllegalArgumentException("anomalies must be >= 0, got " + anomalies);
    }
    if (anomalies == 0) {
      return;
    }
    long scheduleHours = longestSchedule(anomalies);
    long neededDays = Math.max(MIN_DAYS,
        HISTORY_DAYS + ceilDiv(scheduleHours, EventGenerator.HOURS_PER_DAY));
    if (days < neededDays) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "anomalies=%d needs days >= %d (%d days of history before the first anomaly, then up to"
              + " %d h of windows at least %d h apart, each starting %02d:00-%02d:00 UTC), got days=%d",
          anomalies, neededDays, HISTORY_DAYS, scheduleHours, GAP_HOURS, FIRST_START_HOUR_UTC,
          LAST_START_HOUR_UTC, days));
    }
  }

  /**
   * Hours the windows and the gaps between them take up at the longest, counting the wait for
   * each start hour to come round: the first window's from midnight, each later one's up to a
   * day less an hour.
   */
  private static long longestSchedule(int anomalies) {
    Kind[] kinds = Kind.values();
    long hours = LAST_START_HOUR_UTC
        + (long) (GAP_HOURS + EventGenerator.HOURS_PER_DAY - 1) * (anomalies - 1);
    for (int i = 0; i < anomalies; i++) {
      hours += kinds[i % kinds.length].maxHours;
    }
    return hours;
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }

  /** The plan for a run; {@link #NONE} when {@code anomalies} is 0. */
  static AnomalyPlan plan(LocalDate startDate, int days, long seed, int anomalies) {
    requireRoom(days, anomalies);
    if (anomalies == 0) {
      return NONE;
    }
    SplittableRandom rng = new SplittableRandom(EventGenerator.fileSeed(
        seed, startDate.toEpochDay(), 0, EventGenerator.ANOMALY_PLAN_STREAM));
    Kind[] kinds = new Kind[anomalies];
    int[] hours = new int[anomalies];
    for (int i = 0; i < anomalies; i++) {
      kinds[i] = Kind.values()[i % Kind.values().length];
      hours[i] = rng.nextInt(kinds[i].minHours, kinds[i].maxHours + 1);
    }
    int[] starts = placeWindows(rng, days, hours);
    ScopePicker picker = new ScopePicker(rng);
    List<Injection> injections = new ArrayList<>(anomalies);
    for (int i = 0; i < anomalies; i++) {
      String labelId = String.format(Locale.ROOT, "a%02d", i + 1);
      injections.add(picker.pick(labelId, kinds[i], starts[i], hours[i]));
    }
    return new AnomalyPlan(injections);
  }

  /**
   * Start hours for windows of {@code hours}: a random chronological order and start hour of the
   * day; packed as tight as the gap allows, then the whole spare days spread at random before,
   * between and after the windows (moving by whole days keeps each start hour).
   */
  private static int[] placeWindows(SplittableRandom rng, int days, int[] hours) {
    int n = hours.length;
    int[] order = IntStream.range(0, n).toArray();
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int[] packedStarts = new int[n];
    int earliest = HISTORY_DAYS * EventGenerator.HOURS_PER_DAY;
    for (int slot = 0; slot < n; slot++) {
      int anomaly = order[slot];
      int hourOfDay = rng.nextInt(FIRST_START_HOUR_UTC, LAST_START_HOUR_UTC + 1);
      int start = earliest - earliest % EventGenerator.HOURS_PER_DAY + hourOfDay;
      if (start < earliest) {
        start += EventGenerator.HOURS_PER_DAY;
      }
      packedStarts[anomaly] = start;
      earliest = start + hours[anomaly] + GAP_HOURS;
    }
    int lastAnomaly = order[n - 1];
    int packedEnd = packedStarts[lastAnomaly] + hours[lastAnomaly];
    int spareDays = (days * EventGenerator.HOURS_PER_DAY - packedEnd) / EventGenerator.HOURS_PER_DAY;
    int[] spareBefore = new int[n];
    for (int i = 0; i < n; i++) {
      spareBefore[i] = rng.nextInt(spareDays + 1);
    }
    Arrays.sort(spareBefore);
    int[] starts = new int[n];
    for (int slot = 0; slot < n; slot++) {
      int anomaly = order[slot];
      starts[anomaly] = packedStarts[anomaly] + spareBefore[slot] * EventGenerator.HOURS_PER_DAY;
    }
    return starts;
  }

  /** Chooses each anomaly's scope and strength, preferring features not used yet. */
  private static final class ScopePicker {
    private final SampleCatalog catalog = SampleCatalog.INSTANCE;
    private final SplittableRandom rng;
    private final Set<Integer> usedFeatures = new HashSet<>();
    private int spikes;

    ScopePicker(SplittableRandom rng) {
      this.rng = rng;
    }

    Injection pick(String labelId, Kind kind, int startHour, int hours) {
      return switch (kind) {
        case SPIKE -> spikes++ % 2 == 0
            ? featureVolume(labelId, kind, startHour, hours, between(SPIKE_MIN_FACTOR, SPIKE_MAX_FACTOR))
            : tenantSpike(labelId, startHour, hours);
        case DROP -> featureVolume(labelId, kind, startHour, hours, 0.0);
        case RAMP -> featureVolume(labelId, kind, startHour, hours, RAMP_TOP_FACTOR);
        case RUNAWAY_LOOP -> runawayLoop(labelId, startHour, hours);
        case MODEL_SWITCH -> modelSwitch(labelId, startHour, hours);
        case CACHE_COLLAPSE -> cacheCollapse(labelId, startHour, hours);
      };
    }

    private Injection featureVolume(String labelId, Kind kind, int startHour, int hours,
                                    double factor) {
      int feature = pickFeature(Ranks.FEATURES_BY_COST, TOP_FEATURES);
      return new Injection(labelId, kind, AnomalyLabel.FEATURE, catalog.features[feature].name,
          feature, -1, -1, -1, startHour, hours, factor, VOLUME_DRIVER,
          catalog.featureShare(feature));
    }

    private Injection tenantSpike(String labelId, int startHour, int hours) {
      int tenant = Ranks.TENANTS_BY_SHARE[rng.nextInt(TOP_TENANTS)];
      return new Injection(labelId, Kind.SPIKE, AnomalyLabel.TENANT, catalog.tenants[tenant],
          -1, tenant, -1, -1, startHour, hours, between(SPIKE_MIN_FACTOR, SPIKE_MAX_FACTOR),
          VOLUME_DRIVER, catalog.tenantShare(tenant));
    }

    private Injection runawayLoop(String labelId, int startHour, int hours) {
      int feature = pickFeature(Ranks.CHAT_FEATURES_BY_COST, TOP_FEATURES);
      int tenant = Ranks.TENANTS_BY_SHARE[FIRST_MODERATE_TENANT_RANK + rng.nextInt(MODERATE_TENANTS)];
      int user = catalog.firstUserOfTenant(tenant) + rng.nextInt(catalog.userCountOfTenant(tenant));
      return new Injection(labelId, Kind.RUNAWAY_LOOP, AnomalyLabel.FEATURE,
          catalog.features[feature].name, feature, tenant, user, -1, startHour, hours,
          between(RUNAWAY_MIN_FACTOR, RUNAWAY_MAX_FACTOR), "user:" + catalog.userIds[user],
          catalog.featureShare(feature));
    }

    private Injection modelSwitch(String labelId, int startHour, int hours) {
      List<Ranks.Switch> candidates = unusedFirst(Ranks.MODEL_SWITCHES, Ranks.Switch::feature);
      Ranks.Switch chosen = candidates.get(rng.nextInt(Math.min(TOP_FEATURES, candidates.size())));
      usedFeatures.add(chosen.feature());
      String model = catalog.models[chosen.model()].name();
      return new Injection(labelId, Kind.MODEL_SWITCH, AnomalyLabel.FEATURE,
          catalog.features[chosen.feature()].name, chosen.feature(), -1, -1, chosen.model(),
          startHour, hours, round2(chosen.costRatio()), "model:" + model,
          catalog.featureShare(chosen.feature()));
    }

    private Injection cacheCollapse(String labelId, int startHour, int hours) {
      int feature = pickFeature(Ranks.CACHE_FEATURES_BY_IMPACT, TOP_CACHE_FEATURES);
      double costRatio = Ranks.expectedCostUsd(feature, -1, false)
          / Ranks.expectedCostUsd(feature, -1, true);
      return new Injection(labelId, Kind.CACHE_COLLAPSE, AnomalyLabel.FEATURE,
          catalog.features[feature].name, feature, -1, -1, -1, startHour, hours,
          round2(costRatio), CACHE_HIT_RATE_DRIVER, catalog.featureShare(feature));
    }

    /** One of the first {@code top} features of {@code ranked} not used yet (all, if none is left). */
    private int pickFeature(int[] ranked, int top) {
      List<Integer> candidates = unusedFirst(
          Arrays.stream(ranked).limit(top).boxed().toList(), f -> f);
      int feature = candidates.get(rng.nextInt(candidates.size()));
      usedFeatures.add(feature);
      return feature;
    }

    private <T> List<T> unusedFirst(List<T> ranked, ToIntFunction<T> feature) {
      List<T> unused = ranked.stream()
          .filter(candidate -> !usedFeatures.contains(feature.applyAsInt(candidate))).toList();
      return unused.isEmpty() ? ranked : unused;
    }

    /** Uniform in [min, max], to one decimal, as a person would write a factor down. */
    private double between(double min, double max) {
      return Math.round((min + (max - min) * rng.nextDouble()) * 10) / 10.0;
    }

    private static double round2(double value) {
      return Math.round(value * 100) / 100.0;
    }
  }

  /**
   * The catalog's scopes ranked by expected cost, under the generator's own pricing (standard
   * tier, cached input at {@link EventGenerator#CACHED_INPUT_PRICE_FACTOR}, cache-write surcharges
   * left out): a pure function of {@link SampleCatalog}, computed once.
   */
  static final class Ranks {
    /** A model switch a feature could suffer: its expected cost ratio and added USD per event of the run. */
    record Switch(int feature, int model, double costRatio, double addedUsdPerRunEvent) {
    }

    private static final SampleCatalog CATALOG = SampleCatalog.INSTANCE;
    static final int[] FEATURES_BY_COST = byDescending(CATALOG.features.length,
        f -> CATALOG.featureShare(f) * expectedCostUsd(f, -1, true), f -> true);
    static final int[] CHAT_FEATURES_BY_COST = byDescending(CATALOG.features.length,
        f -> CATALOG.featureShare(f) * expectedCostUsd(f, -1, true),
        f -> CATALOG.features[f].chat());
    /** Chat features by the USD per run event that losing the cache would add. */
    static final int[] CACHE_FEATURES_BY_IMPACT = byDescending(CATALOG.features.length,
        f -> CATALOG.featureShare(f)
            * (expectedCostUsd(f, -1, false) - expectedCostUsd(f, -1, true)),
        f -> CATALOG.features[f].chat());
    static final int[] TENANTS_BY_SHARE = byDescending(CATALOG.tenants.length,
        CATALOG::tenantShare, t -> true);
    static final List<Switch> MODEL_SWITCHES = modelSwitches();

    private Ranks() {
    }

    /**
     * Expected cost of one event of {@code feature} in USD, had it always called {@code model}
     * (-1: its usual mix), with or without its usual prompt-cache hits.
     */
    static double expectedCostUsd(int feature, int model, boolean cacheHits) {
      SampleCatalog.Feature f = CATALOG.features[feature];
      if (model >= 0) {
        return expectedCostUsd(f, CATALOG.models[model], cacheHits);
      }
      int[] models = f.modelIndexes();
      double[] weights = f.modelWeights();
      double usd = 0;
      double weightSum = 0;
      for (int i = 0; i < models.length; i++) {
        usd += weights[i] * expectedCostUsd(f, CATALOG.models[models[i]], cacheHits);
        weightSum += weights[i];
      }
      return usd / weightSum;
    }

    private static double expectedCostUsd(SampleCatalog.Feature f, SampleCatalog.Model model,
                                          boolean cacheHits) {
      // The mean of a log-normal with median 1 is exp(sigma^2 / 2).
      double inputTokens = f.inputMedianTokens * StrictMath.exp(
          EventGenerator.INPUT_TOKENS_LOG_SIGMA * EventGenerator.INPUT_TOKENS_LOG_SIGMA / 2);
      double outputTokens = f.embedding() ? 0 : f.outputMedianTokens
          * (model.reasons() ? EventGenerator.REASONING_OUTPUT_FACTOR : 1.0)
          * StrictMath.exp(EventGenerator.OUTPUT_TOKENS_LOG_SIGMA
              * EventGenerator.OUTPUT_TOKENS_LOG_SIGMA / 2);
      double cachedShare = cacheHits && f.chat()
          ? EventGenerator.CACHE_HIT_PROBABILITY
              * (EventGenerator.CACHED_SHARE_MIN + EventGenerator.CACHED_SHARE_SPAN / 2)
          : 0.0;
      double inputUnits = inputTokens
          * (1 - cachedShare * (1 - EventGenerator.CACHED_INPUT_PRICE_FACTOR));
      return (inputUnits * model.inputUsdPerMillionTokens()
          + outputTokens * model.outputUsdPerMillionTokens()) / 1_000_000.0;
    }

    /**
     * Switches to a model at least {@link #MODEL_SWITCH_MIN_COST_RATIO} times as expensive, most
     * added dollars first. Only features without a reasoning model qualify, and a feature whose
     * mix writes prompt caches only switches to a model that does too, so that the switched
     * events keep every token count they were drawn with and stay valid.
     */
    private static List<Switch> modelSwitches() {
      List<Switch> switches = new ArrayList<>();
      for (int f = 0; f < CATALOG.features.length; f++) {
        SampleCatalog.Feature feature = CATALOG.features[f];
        int[] mix = feature.modelIndexes();
        if (!feature.chat() || Arrays.stream(mix).anyMatch(m -> CATALOG.models[m].reasons())) {
          continue;
        }
        boolean writesCache = Arrays.stream(mix).anyMatch(m -> CATALOG.models[m].writesPromptCache());
        double usualUsd = expectedCostUsd(f, -1, true);
        for (int m = 0; m < CATALOG.models.length; m++) {
          SampleCatalog.Model model = CATALOG.models[m];
          if (model.embedding() || model.reasons()
              || model.name().equals(SampleCatalog.FINE_TUNED_MODEL)
              || (writesCache && !model.writesPromptCache())) {
            continue;
          }
          double switchedUsd = expectedCostUsd(f, m, true);
          if (switchedUsd >= MODEL_SWITCH_MIN_COST_RATIO * usualUsd) {
            switches.add(new Switch(f, m, switchedUsd / usualUsd,
                CATALOG.featureShare(f) * (switchedUsd - usualUsd)));
          }
        }
      }
      switches.sort(Comparator.comparingDouble(Switch::addedUsdPerRunEvent).reversed()
          .thenComparingInt(Switch::feature).thenComparingInt(Switch::model));
      return List.copyOf(switches);
    }

    private static int[] byDescending(int count, IntToDoubleFunction key,
                                      IntPredicate keep) {
      return IntStream.range(0, count).filter(keep).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> -key.applyAsDouble(i))
              .thenComparingInt(i -> i))
          .mapToInt(Integer::intValue).toArray();
    }
  }
}
