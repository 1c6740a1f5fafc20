package dev.costlake.alert;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Evaluates the alert rules of a run (hourly or nightly), folds their signals into gold.alerts,
 * and delivers what each channel is owed. A failure here is reported, never thrown: alerts must not
 * fail the pipeline run they watch.
 */
public final class AlertJob {
  private final Lakehouse lake;
  private final AlertSettings settings;
  private final Clock clock;
  private final Deliverer.Sleeper sleeper;
  private final AlertInputs inputs;

  public AlertJob(Lakehouse lake, CostlakeConfig config, Clock clock) {
    this(lake, AlertSettings.from(config), clock, d -> Thread.sleep(d.toMillis()));
  }

  public AlertJob(Lakehouse lake, AlertSettings settings, Clock clock, Deliverer.Sleeper sleeper) {
    this.lake = lake;
    this.settings = settings;
    this.clock = clock;
    this.sleeper = sleeper;
    this.inputs = new AlertInputs(lake, settings);
  }

  /** What a run found and did; error is set (redacted) when evaluation or the write failed. */
  public record Summary(List<Signal> signals, Set<String> rulesEvaluated, List<Alert> notified,
      List<Deliverer.Attempted> attempted, long openAlerts, String error) {
    public static Summary failed(String error) {
      return new Summary(List.of(), Set.of(), List.of(), List.of(), 0, error);
    }
  }

  /** The hourly rules, judging the last complete hour; the budget and quota rules are not evaluated. */
  public Summary hourly(Instant hour) {
    return hourly(hour, null);
  }

  /**
   * The hourly rules, judging the last complete hour, and the budget and quota rules judging budgets
   * (measured once, when the first of them runs): the statuses as of that hour's end
   * (BudgetJob.intraday), so a quota crossed at 14:00 alerts at the 15:00 run, not the next night.
   */
  public Summary hourly(Instant hour, Supplier<List<BudgetJob.Status>> budgets) {
    return safely(() -> {
      Map<String, Supplier<List<Signal>>> rules = new LinkedHashMap<>();
      rule(rules, "hourly-spend", AlertRules.HOURLY_SPEND, () -> inputs.hourlySpend(hour));
      rule(rules, "request-cost", AlertRules.REQUEST_COST, () -> inputs.requestCost(hour));
      rule(rules, "request-rate", AlertRules.REQUEST_RATE, () -> inputs.requestRate(hour));
      rule(rules, "anomaly", AlertRules.ANOMALY_HOUR, () -> inputs.anomalies("hour", hour));
      if (budgets != null) {
        budgetRules(rules, once(budgets));
      }
      common(rules);
      return apply(rules);
    });
  }

  /** The nightly rules, judging the last closed day (asOf - 1) and the budgets of asOf. */
  public Summary nightly(LocalDate asOf, List<BudgetJob.Status> budgets) {
    LocalDate day = asOf.minusDays(1);
    return safely(() -> {
      Map<String, Supplier<List<Signal>>> rules = new LinkedHashMap<>();
      budgetRules(rules, () -> budgets);
      rule(rules, "daily-budget-pace", AlertRules.DAILY_BUDGET_PACE,
          () -> budgets.stream().flatMap(b -> AlertRules.dailyBudgetPace(b).stream()).toList());
      rule(rules, "feature-daily-spike", AlertRules.FEATURE_DAILY_SPIKE, () -> inputs.featureDailySpike(day));
      rule(rules, "daily-spend", AlertRules.DAILY_SPEND, () -> inputs.dailySpend(day));
      rule(rules, "anomaly", AlertRules.ANOMALY_DAY, () -> inputs.anomalies("day", AlertInputs.dayStart(day)));
      common(rules);
      return apply(rules);
    });
  }

  /** The budget rule judges the budgets of kind budget, the quota rule those of kind quota. */
  private void budgetRules(Map<String, Supplier<List<Signal>>> rules, Supplier<List<BudgetJob.Status>> budgets) {
    rule(rules, "budget", AlertRules.BUDGET, () -> budgets.get().stream().filter(b -> b.kind().equals("budget"))
        .flatMap(b -> AlertRules.budget(b).stream()).toList());
    rule(rules, "quota", AlertRules.QUOTA, () -> budgets.get().stream().filter(b -> b.kind().equals("quota"))
        .flatMap(b -> AlertRules.budget(b).stream()).toList());
  }

  /** Measures on the first call, from whichever rule's thread; later calls wait for and share it. */
  private static <T> Supplier<T> once(Supplier<T> measure) {
    java.util.concurrent.atomic.AtomicReference<java.util.concurrent.FutureTask<T>> task =
        new java.util.concurrent.atomic.AtomicReference<>();
    return () -> {
      java.util.concurrent.FutureTask<T> mine = new java.util.concurrent.FutureTask<>(measure::get);
      java.util.concurrent.FutureTask<T> running = task.compareAndExchange(null, mine);
      if (running == null) {
        mine.run();
        running = mine;
      }
      try {
        return running.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring the budgets", e);
      }
    };
  }

  private void common(Map<String, Supplier<List<Signal>>> rules) {
    rule(rules, "unpriced-model", AlertRules.UNPRICED_MODEL, () -> inputs.unpricedModels(clock.instant()));
    if (settings.on("pipeline-run")) {
      // One read of the runs and the checks answers both rules.
      rules.put(AlertRules.PIPELINE_RUN_FAILED, inputs::pipelineRuns);
      rules.put(AlertRules.BOOKS_UNBALANCED, List::of);
    }
  }

  private void rule(Map<String, Supplier<List<Signal>>> rules, String setting, String rule,
      Supplier<List<Signal>> evaluate) {
    if (settings.on(setting)) {
      rules.put(rule, evaluate);
    }
  }

  /** Rules measured at once: each is a small Spark job whose time is mostly driver latency. */
  static final int RULE_THREADS = 4;

  private Summary apply(Map<String, Supplier<List<Signal>>> rules) {
    List<Signal> signals = new ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(RULE_THREADS);
    try {
      List<java.util.concurrent.Future<List<Signal>>> measuring = new ArrayList<>();
      for (Supplier<List<Signal>> rule : rules.values()) {
        measuring.add(pool.submit(rule::get));
      }
      for (java.util.concurrent.Future<List<Signal>> m : measuring) {
        try {
          signals.addAll(m.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while evaluating the alert rules", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return apply(signals, new LinkedHashSet<>(rules.keySet()));
  }

  /** Folds signals of the evaluated rules into gold.alerts, delivers, and writes the table. */
  public Summary apply(List<Signal> signals, Set<String> evaluatedRules) {
    Instant now = clock.instant();
    List<Alert> before = AlertStore.read(lake);
    AlertBook.Folded folded = AlertBook.fold(before, signals, evaluatedRules, now, settings.cooldown());
    Map<String, Channel> channels = new LinkedHashMap<>();
    for (ChannelSettings c : settings.channels().values()) {
      channels.put(c.name(), Channel.of(c, settings));
    }
    Deliverer.Result delivered = new Deliverer(settings, channels, clock, sleeper)
        .deliver(folded.alerts(), folded.notifiedNow());
    if (!delivered.alerts().equals(before)) {
      // An unchanged table (a quiet hour: no alert before, none now) costs no Delta commit.
      AlertStore.write(lake, delivered.alerts());
    }
    List<Alert> notified = delivered.alerts().stream().filter(a -> folded.notifiedNow().contains(a.dedupeKey()))
        .toList();
    long open = delivered.alerts().stream().filter(Alert::isOpen).count();
    return new Summary(signals, evaluatedRules, notified, delivered.attempted(), open, null);
  }

  private Summary safely(Supplier<Summary> body) {
    if (!settings.enabled()) {
      return new Summary(List.of(), Set.of(), List.of(), List.of(), 0, null);
    }
    lake.spark().sparkContext().setJobDescription("costlake alerts: evaluating the rules");
    try {
      return body.get();
    } catch (RuntimeException e) {
      return Summary.failed(new Secrets(settings.secrets()).describe(e));
    } finally {
      lake.spark().sparkContext().setJobDescription(null);
    }
  }
}
