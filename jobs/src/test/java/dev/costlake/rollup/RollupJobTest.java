package dev.costlake.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.PostgresSettings;
import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.PriceCatalog;
import dev.costlake.pricing.Pricing;
import dev.costlake.serve.Postgres;
import dev.costlake.testing.TestPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled jobs, specified: idempotent windows, late data, overlapping runs, books, restatements. */
class RollupJobTest {
  @TempDir Path tmp;

  private static RunRecorder.Outcome hourly(RollupFixtures.Fixture f, Clock clock) {
    RunRecorder.Outcome outcome = ScheduledJobs.hourly(f.lake(), f.config(), Pricing.checkedCatalog(f.config()), clock,
        RollupFixtures.AS_OF);
    return outcome;
  }

  private static RunRecorder.Outcome succeeded(RunRecorder.Outcome outcome) {
    assertTrue(outcome.succeeded(), () -> outcome.job() + " failed: " + outcome.error());
    return outcome;
  }

  private static Row sql(Lakehouse lake, String query) {
    return lake.spark().sql(query).first();
  }

  @Test
  void rebuildingTheSameWindowAgainGivesIdenticalTables() throws IOException {
    RollupFixtures.Fixture f = RollupFixtures.afterFirstHourly(tmp, "same");
    Map<String, List<String>> first = RollupFixtures.snapshot(f.lake());
    assertEquals(17L, sql(f.lake(), "select sum(requests) from gold.cost_daily_total").getLong(0));

    // The whole fortnight rebuilt again from silver, and an hourly run with nothing new: not a row changes.
    succeeded(ScheduledJobs.backfill(f.lake(), f.config(), RollupFixtures.CLOCK, LocalDate.parse("2026-11-09"),
        LocalDate.parse("2026-11-20"), RollupFixtures.AS_OF_DATE));
    assertEquals(first, RollupFixtures.snapshot(f.lake()));
    java.util.Set<String> logBefore = deltaLogEntries(f.lake());
    RunRecorder.Outcome nothingNew = succeeded(hourly(f, RollupFixtures.CLOCK));
    assertEquals(0, nothingNew.counts().rollup().hours());
    assertEquals(first, RollupFixtures.snapshot(f.lake()));
    // At most two Delta commits: the run's row, and the judgement of the hour that just closed (a
    // replace that Delta may skip when it neither removes nor adds a file). The lock is no commit,
    // and the trend (same date as the backfill's) and the quiet alerts are not rewritten.
    java.util.Set<String> committed = new java.util.TreeSet<>(deltaLogEntries(f.lake()));
    committed.removeAll(logBefore);
    List<String> tables = committed.stream().map(entry -> entry.substring(0, entry.indexOf("/_delta_log/"))).toList();
    assertTrue(tables.contains("ops/pipeline_runs"), tables::toString);
    assertTrue(List.of("gold/cost_anomalies", "ops/pipeline_runs").containsAll(tables), tables::toString);
    assertTrue(tables.size() <= 2, tables::toString);
  }

  /** Every Delta commit file of the lakehouse, as table folder/_delta_log/version.json. */
  private static java.util.Set<String> deltaLogEntries(Lakehouse lake) throws IOException {
    java.nio.file.Path root = java.nio.file.Path.of(java.net.URI.create(lake.lockPath())).getParent().getParent();
    try (var files = java.nio.file.Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> p.matches(".*/_delta_log/\\d{20}\\.json"))
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  @Test
  void lateEventsLandInTheirOwnHourAndDayAndAreCounted() throws IOException {
    RollupFixtures.Fixture f = RollupFixtures.afterFirstHourly(tmp, "late");
    Row before = sql(f.lake(), "select requests, cost_usd from gold.cost_daily_total where event_date = '2026-11-10'");

    // Two events of 2026-11-10 (one in an hour that had traffic, one in an hour that had none, both
    // within the hours rolled up, 2026-11-09 08h to 2026-11-20 05h), one only 30 minutes old (not late),
    // and one of 2026-11-01, before any rolled-up hour (history backfilled, not late), ingested at
    // 2026-11-21T03:00Z.
    RollupFixtures.addRawFile(f, "late.jsonl", List.of(
        RollupFixtures.event("late1", "2026-11-10T10:15:00Z", "acme"),
        RollupFixtures.event("late2", "2026-11-10T03:00:00Z", "acme"),
        RollupFixtures.event("fresh1", "2026-11-21T02:30:00Z", "acme"),
        RollupFixtures.event("old1", "2026-11-01T12:00:00Z", "acme")));
    Instant ingestedAt = Instant.parse("2026-11-21T03:00:00Z");
    RunRecorder.Outcome late = succeeded(hourly(f, Clock.fixed(ingestedAt, ZoneOffset.UTC)));

    assertEquals(4, late.counts().recordsAccepted());
    assertEquals(new dev.costlake.ops.Lateness(2, 11 * 86_400, Instant.parse("2026-11-10T03:00:00Z"), 1),
        late.counts().late());
    String summary = printedIngestSummary(late, f.lake());
    assertTrue(summary.contains("\n  late events                       2   (arrived after their hours were rolled up,"
        + " which are rebuilt; the oldest from 2026-11-10T03:00:00Z, 950,400 s late)\n"), summary);
    assertTrue(summary.contains("\n  history backfilled                1   (older than rollups.lateness, for hours not"
        + " rolled up before: not late)\n"), summary);
    Row logged = sql(f.lake(), "select records_late, max_lateness_seconds, cast(earliest_late_event_time as string),"
        + " rollup_hours, cast(rollup_from as string), cast(rollup_to as string)"
        + " from ops.pipeline_runs where run_id = '" + late.runId() + "'");
    assertEquals(2L, logged.getLong(0));
    assertEquals(950_400L, logged.getLong(1));
    assertEquals("2026-11-10 03:00:00", logged.getString(2));
    assertEquals(4L, logged.getLong(3));  // 2026-11-01 12h, 2026-11-10 03h and 10h, 2026-11-21 02h
    assertEquals("2026-11-01", logged.getString(4));
    assertEquals("2026-11-21", logged.getString(5));

    // Each in its own hour; the day gains both. gpt-4o-mini at $0.15 in / $0.60 out per 1M tokens:
    // 1,000 x 0.15e-6 + 100 x 0.60e-6 = $0.00021 each.
    assertEquals(1L, sql(f.lake(), "select sum(requests) from gold.cost_hourly where event_hour = '2026-11-10 03:00:00'").getLong(0));
    assertEquals(3L, sql(f.lake(), "select sum(requests) from gold.cost_hourly where event_hour = '2026-11-10 10:00:00'").getLong(0));
    Row after = sql(f.lake(), "select requests, cost_usd from gold.cost_daily_total where event_date = '2026-11-10'");
    assertEquals(before.getLong(0) + 2, after.getLong(0));
    assertEquals(before.getDecimal(1).add(new BigDecimal("0.000420000")), after.getDecimal(1));
  }

  @Test
  void aFirstIngestOfHistoryIsABackfillNotLateness() throws IOException {
    RollupFixtures.Fixture f = RollupFixtures.fresh(tmp, "history", Map.of());
    RunRecorder.Outcome first = succeeded(hourly(f, RollupFixtures.CLOCK));

    // Every golden event is days older than rollups.lateness (2 h), but no hour had been rolled up.
    assertEquals(17, first.counts().recordsAccepted());
    assertEquals(new dev.costlake.ops.Lateness(0, 0, null, 17), first.counts().late());
    Row logged = sql(f.lake(), "select records_late, max_lateness_seconds, earliest_late_event_time"
        + " from ops.pipeline_runs where run_id = '" + first.runId() + "'");
    assertEquals(0L, logged.getLong(0));
    assertEquals(0L, logged.getLong(1));
    assertTrue(logged.isNullAt(2));
    String summary = printedIngestSummary(first, f.lake());
    assertFalse(summary.contains("late events"), summary);
    assertTrue(summary.contains("\n  history backfilled               17   (older than rollups.lateness, for hours not"
        + " rolled up before: not late)\n"), summary);
  }

  private static String printedIngestSummary(RunRecorder.Outcome outcome, Lakehouse lake) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    dev.costlake.report.RunSummary.printIngest(outcome, lake,
        new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void overlappingHourlyAndNightlyRunsTakeTurnsAndCountEverythingOnce() throws Exception {
    RollupFixtures.Fixture f = RollupFixtures.fresh(tmp, "overlap", Map.of());
    PriceCatalog catalog = Pricing.checkedCatalog(f.config());
    CompletableFuture<RunRecorder.Outcome> hourly = CompletableFuture.supplyAsync(() -> ScheduledJobs.hourly(
        f.lake(), f.config(), catalog, RollupFixtures.CLOCK, RollupFixtures.AS_OF));
    CompletableFuture<RunRecorder.Outcome> nightly = CompletableFuture.supplyAsync(() -> ScheduledJobs.nightly(
        f.lake(), f.config(), catalog, RollupFixtures.CLOCK, RollupFixtures.AS_OF_DATE, 1));
    succeeded(hourly.get());
    succeeded(nightly.get());

    // Whichever ran first ingested the events; the other found nothing new to ingest.
    assertEquals(17L, hourly.get().counts().recordsAccepted() + nightly.get().counts().recordsAccepted());
    assertEquals(17L, sql(f.lake(), "select count(*) from silver.cost_events").getLong(0));
    assertEquals(17L, sql(f.lake(), "select sum(requests) from gold.cost_daily_total").getLong(0));
    // The lock was last released by one of the two.
    dev.costlake.ops.JobLock.State lock = dev.costlake.ops.JobLock.current(f.lake()).orElseThrow();
    assertFalse(lock.held());
    assertTrue(java.util.Set.of(hourly.get().runId(), nightly.get().runId()).contains(lock.runId()), lock.toString());
    assertEquals(2L, sql(f.lake(), "select count(*) from ops.pipeline_runs where status = 'succeeded'").getLong(0));

    // And the tables are those a single run builds from scratch.
    Map<String, List<String>> together = RollupFixtures.snapshot(f.lake());
    succeeded(ScheduledJobs.backfill(f.lake(), f.config(), RollupFixtures.CLOCK, LocalDate.parse("2026-11-09"),
        LocalDate.parse("2026-11-20"), RollupFixtures.AS_OF_DATE));
    assertEquals(together, RollupFixtures.snapshot(f.lake()));
  }

  @Test
  void aTamperedRollupFailsTheRunUntilBackfilled() throws IOException {
    RollupFixtures.Fixture f = RollupFixtures.afterFirstHourly(tmp, "tamper");
    // Someone edits an hour of 2026-11-16 by hand; then a late event of that day arrives in another hour.
    f.lake().spark().sql("update gold.cost_hourly set cost_usd = cost_usd + 1"
        + " where event_hour = '2026-11-16 07:00:00' and tenant_id = 'globex' and cached_input_tokens = 2048");
    RollupFixtures.addRawFile(f, "late.jsonl", List.of(RollupFixtures.event("late1", "2026-11-16T20:00:00Z", "acme")));

    RunRecorder.Outcome failed = hourly(f, RollupFixtures.CLOCK);
    assertFalse(failed.succeeded());
    assertInstanceOf(RollupBooksException.class, failed.error());
    assertTrue(failed.error().getMessage().contains("gold.cost_hourly.cost_usd = "), failed.error().getMessage());
    Row run = sql(f.lake(), "select status, silver_version from ops.pipeline_runs where run_id = '" + failed.runId() + "'");
    assertEquals("failed", run.getString(0));
    assertTrue(run.isNullAt(1), "a failed run must not move the watermark");
    // The tampered hour is off, and so is every day table summed from it (gold.cost_daily from the
    // hourly rows, the dimension tables from gold.cost_daily); the user tables, summed from silver, are not.
    assertEquals(List.of("gold.cost_daily", "gold.cost_daily_by_feature", "gold.cost_daily_by_model",
            "gold.cost_daily_by_region", "gold.cost_daily_by_tenant", "gold.cost_daily_total", "gold.cost_hourly"),
        f.lake().spark().sql("select rollup_table from ops.rollup_checks where run_id = '" + failed.runId()
            + "' and not balanced order by rollup_table").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

    // A backfill of the day repairs it; the event landed in silver all along.
    succeeded(ScheduledJobs.backfill(f.lake(), f.config(), RollupFixtures.CLOCK, LocalDate.parse("2026-11-16"),
        LocalDate.parse("2026-11-16"), RollupFixtures.AS_OF_DATE));
    assertEquals(3L, sql(f.lake(), "select requests from gold.cost_daily_total where event_date = '2026-11-16'").getLong(0));
  }

  @Test
  void restatedPricesFlowThroughToTheRollups() throws IOException {
    RollupFixtures.Fixture f = RollupFixtures.afterFirstHourly(tmp, "restate");
    Row unpriced = sql(f.lake(), "select sum(requests), sum(unpriced_requests), sum(cost_usd)"
        + " from gold.cost_daily_by_model where model = 'mystery-model'");
    assertEquals(2L, unpriced.getLong(0));
    assertEquals(2L, unpriced.getLong(1));
    assertNull(unpriced.getDecimal(2));

    // Price it ($1 in, $2 out per 1M tokens) and restate: g06 (100 in, 50 out) and g13 (300 in, 20 out).
    Path catalog = Files.writeString(tmp.resolve("prices.csv"), String.join(",", PriceCatalog.COLUMNS) + "\n"
        + "acme-ai,mystery-model,chat,standard,2026-01-01,,1.00,,,2.00,,,,,,,our own model\n");
    var priced = f.config().with("prices.catalog", catalog.toString());
    RunRecorder.Outcome reprice = succeeded(dev.costlake.cli.RepriceCommand.Reprice.run(f.lake(), priced,
        Pricing.checkedCatalog(priced), RollupFixtures.CLOCK, LocalDate.parse("2026-11-09"), LocalDate.parse("2026-11-20")));
    assertEquals(2, reprice.counts().recordsAccepted());
    assertEquals(2, reprice.counts().rollup().hours());
    // The two closed hours whose cost changed, and their two days, are judged again for anomalies.
    assertEquals(List.of("hour:2", "day:2"), reprice.counts().anomalies().stream()
        .map(r -> r.grain().label() + ":" + r.periodsJudged()).toList());

    Row after = sql(f.lake(), "select sum(requests), sum(unpriced_requests), sum(cost_usd)"
        + " from gold.cost_daily_by_model where model = 'mystery-model'");
    assertEquals(0L, after.getLong(1));
    // (100 + 300) x 1e-6 + (50 + 20) x 2e-6 = 0.00054
    assertEquals(new BigDecimal("0.000540000"), after.getDecimal(2));
    assertEquals(new BigDecimal("0.000200000"), sql(f.lake(), "select cost_usd from gold.cost_daily_total"
        + " where event_date = '2026-11-11'").getDecimal(0));
  }

  @Test
  void aHeldLockMakesTheNextRunWaitThenFailSayingWhoHoldsIt() throws IOException {
    RollupFixtures.Fixture f = RollupFixtures.fresh(tmp, "held", Map.of("jobs.lock-wait", "3s"));
    // Held by a nightly run of another machine, renewed until an hour from now.
    java.nio.file.Path lock = java.nio.file.Files.createDirectories(java.nio.file.Path.of(java.net.URI.create(
        f.lake().lockPath())));
    java.nio.file.Files.writeString(lock.resolve("00000000000000000000.json"), "{\"state\": \"held\","
        + " \"run_id\": \"busy-run\", \"job\": \"nightly\", \"host\": \"elsewhere\", \"pid\": 42,"
        + " \"run_started_at\": \"" + Instant.now() + "\", \"taken_at\": \"" + Instant.now() + "\","
        + " \"renewed_at\": \"" + Instant.now() + "\", \"expires_at\": \"" + Instant.now().plusSeconds(3600) + "\"}");

    RunRecorder.Outcome blocked = hourly(f, RollupFixtures.CLOCK);
    assertFalse(blocked.succeeded());
    assertTrue(blocked.error().getMessage().startsWith("the lakehouse is locked by nightly run busy-run (elsewhere:42)"),
        blocked.error().getMessage());
    assertEquals(0L, sql(f.lake(), "select count(*) from silver.cost_events").getLong(0));
  }

  @Test
  void withPostgresConfiguredHourlyAndNightlyEndByPublishingWhatTheyChanged() throws Exception {
    PostgresSettings pg = TestPostgres.freshSchema("costlake_scheduled_test");
    // With the alert rules on (the suite's default is off) and a budget, so that this test also shows
    // the scheduled jobs ending with their rules: hourly's, and nightly's after gold.budget_status.
    RollupFixtures.Fixture f = RollupFixtures.fresh(tmp, "publish", Map.of("postgres.url", pg.url(),
        "postgres.user", pg.user(), "postgres.password", pg.password(), "postgres.schema", pg.schema(),
        "alerts.enabled", "true", "budgets.everything.scope", "all", "budgets.everything.monthly-usd", "0.0001"));
    String served = pg.schema() + ".";
    List<dev.costlake.alert.AlertJob.Summary> alerted = new java.util.ArrayList<>();
    succeeded(ScheduledJobs.hourly(f.lake(), f.config(), Pricing.checkedCatalog(f.config()), RollupFixtures.CLOCK,
        RollupFixtures.AS_OF, alerted::add));
    // The hourly rules judged the last complete hour (2026-11-21 00:00, no events: nothing there) and
    // the budget as of its end: no nightly yet this month, so November's spend from silver, over $0.0001.
    assertEquals(1, alerted.size());
    assertNull(alerted.get(0).error());
    assertEquals(java.util.Set.of("hourly_spend", "request_cost", "request_rate", "anomaly_hour", "budget", "quota",
        "unpriced_model", "pipeline_run_failed", "books_unbalanced"), alerted.get(0).rulesEvaluated());
    assertEquals(List.of("budget:all:all critical"), alerted.get(0).signals().stream()
        .map(s -> s.dedupeKey() + " " + s.severity().label()).toList());
    try (Connection connection = Postgres.connect(pg)) {
      // The hourly run rebuilt 2026-11-09..20 and published that window (and yesterday and today).
      assertEquals("17", TestPostgres.value(connection, "select sum(requests) from " + served + "cost_daily_total"));
      assertEquals(0, new BigDecimal(sql(f.lake(), "select sum(cost_usd) from gold.cost_hourly").get(0).toString())
          .compareTo(new BigDecimal(TestPostgres.value(connection, "select sum(cost_usd) from " + served
              + "cost_hourly"))));
      assertEquals(List.of("cost_anomalies 2026-11-09 2026-11-21 2026-11-21 00:00:00+00",
              "cost_daily 2026-11-09 2026-11-21 2026-11-21 00:00:00+00"),
          TestPostgres.rows(connection, "select table_name || ' ' || window_from || ' ' || window_to || ' '"
              + " || (complete_through at time zone 'utc') || '+00' from " + served + "publish_log"
              + " where table_name in ('cost_daily', 'cost_anomalies') order by 1"));
      assertEquals("0", TestPostgres.value(connection, "select count(*) from " + served + "spend_forecast"));
    }

    succeeded(ScheduledJobs.nightly(f.lake(), f.config(), Pricing.checkedCatalog(f.config()), RollupFixtures.CLOCK,
        RollupFixtures.AS_OF_DATE, 1, alerted::add));
    // The nightly wrote the budget's status for its run date (spent: November's priced spend to date,
    // far over $0.0001); its rules found the budget's alert, open since the hourly, still critical.
    assertEquals(2, alerted.size());
    assertNull(alerted.get(1).error());
    Row budget = sql(f.lake(), "select status, spent_usd from gold.budget_status where as_of_date = '"
        + RollupFixtures.AS_OF_DATE + "' and budget_name = 'everything'");
    assertEquals("exceeded", budget.getString(0));
    assertEquals(sql(f.lake(), "select sum(cost_usd) from gold.cost_daily_total where event_date >= '2026-11-01'"
        + " and event_date < '" + RollupFixtures.AS_OF_DATE + "'").getDecimal(0), budget.getDecimal(1));
    assertEquals("open critical", sql(f.lake(), "select status || ' ' || severity from gold.alerts"
        + " where dedupe_key = 'budget:all:all'").getString(0));
    try (Connection connection = Postgres.connect(pg)) {
      // The nightly adds the forecasts; the rollups it re-published are unchanged.
      assertEquals(String.valueOf(sql(f.lake(), "select count(*) from gold.spend_forecast").getLong(0)),
          TestPostgres.value(connection, "select count(*) from " + served + "spend_forecast"));
      assertTrue(Long.parseLong(TestPostgres.value(connection, "select count(*) from " + served + "spend_forecast"))
          > 0);
      assertEquals("17", TestPostgres.value(connection, "select sum(requests) from " + served + "cost_daily_total"));
      // The budget's status, and the alert its rules opened after the rest was published.
      assertEquals("everything exceeded " + budget.getDecimal(1).toPlainString(), TestPostgres.value(connection,
          "select budget_name || ' ' || status || ' ' || spent_usd from " + served + "budget_status"));
      // (and its daily pace: the last day alone spent more than $0.0001 / 30).
      assertEquals(List.of("budget:all:all open critical", "daily_budget_pace:all:all open warning"),
          TestPostgres.rows(connection, "select dedupe_key || ' ' || status || ' ' || severity from " + served
              + "alerts order by 1"));
      // Whole, once after the hourly's rules and once after the nightly's.
      assertEquals("2", TestPostgres.value(connection, "select count(*) from " + served + "publish_log"
          + " where table_name = 'alerts' and window_from is null"));
    }
  }
}
