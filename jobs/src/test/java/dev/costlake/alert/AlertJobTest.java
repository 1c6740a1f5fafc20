package dev.costlake.alert;

import static dev.costlake.alert.AlertFixtures.event;
import static dev.costlake.alert.AlertFixtures.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.costlake.cli.AlertsCommand;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of the hourly and nightly runs over small gold and ops tables in a real lakehouse,
 * folded into gold.alerts and delivered to a real HTTP server on 127.0.0.1, run after run.
 */
class AlertJobTest {
  private static final Instant HOUR = Instant.parse("2026-03-10T13:00:00Z");
  private static final String TOKEN = "hook-token-5f1e9c2a7b";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One lakehouse for both tests (opening one costs more than the tests): their tables and rules do not meet. */
  @TempDir static Path tmp;

  private static Lakehouse shared;

  private static CostlakeConfig config(Map<String, String> settings) {
    return TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), settings);
  }

  private static synchronized Lakehouse lake() {
    if (shared == null) {
      shared = TestSpark.lake(config(Map.of()));
    }
    return shared;
  }

  private HttpServer server;
  private String base;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      received.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Map<String, String> channels() throws IOException {
    int refused;
    try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      refused = closed.getLocalPort();
    }
    Map<String, String> s = new HashMap<>();
    s.put("alerts.enabled", "true");
    s.put("alerts.channels.hook.type", "webhook");
    s.put("alerts.channels.hook.url", base + "/hooks/" + TOKEN);
    s.put("alerts.channels.down.type", "slack");
    s.put("alerts.channels.down.url", "http://127.0.0.1:" + refused + "/services/" + TOKEN);
    s.put("alerts.delivery.max-attempts", "2");
    s.put("alerts.delivery.backoff", "1ms");
    // Generous: on a loaded machine a slow answer must not become a retry (a second message).
    s.put("alerts.delivery.timeout", "5s");
    return s;
  }

  private static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  private static final String NIGHTLY_RULES = "('budget', 'quota', 'daily_budget_pace', 'feature_daily_spike',"
      + " 'daily_spend', 'anomaly_day')";

  /**
   * gold.alerts as dedupe_key|status|severity|seq|event|per channel delivered_seq/attempts/outcome:
   * the nightly rules' rows, or the others.
   */
  private static List<String> alerts(Lakehouse lake, boolean nightly) {
    List<String> out = new ArrayList<>();
    for (Row r : lake.spark().sql("select concat_ws('|', dedupe_key, status, severity, notification_seq,"
        + " notification_event, array_join(transform(deliveries, d -> d.channel || '/' || d.delivered_seq || '/'"
        + " || d.attempts || '/' || d.outcome), ' ')) from gold.alerts where rule " + (nightly ? "" : "not ")
        + "in " + NIGHTLY_RULES + " order by dedupe_key").collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }

  /** Every column of every row of gold.alerts, as text. */
  private static String everything(Lakehouse lake) {
    return String.join("\n", lake.spark().sql("select to_json(struct(*)) from gold.alerts").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void hourlyRulesOpenDeliverStayQuietAndResolveRunAfterRunWithoutLeakingASecret() throws IOException {
    CostlakeConfig config = config(channels());
    Lakehouse lake = lake();
    // The hour: $150 in all (above $100), a $2.50 request of chat (above $1), a warning anomaly of
    // chat, an unpriced model; a failed hourly run before; a rollup check that did not balance.
    // 150 requests against 90 at the same hour three days before and none since (30 a day at that
    // hour; 2x is 60): the rate rule fires. The hour before, 500 requests, is not its normal.
    AlertFixtures.append(lake, Lakehouse.COST_HOURLY, List.of(
        row("event_date", LocalDate.parse("2026-03-10"), "event_hour", HOUR, "requests", 150L, "cost_usd", "150"),
        row("event_date", LocalDate.parse("2026-03-10"), "event_hour", HOUR.minusSeconds(3600), "requests", 500L,
            "cost_usd", "5"),
        row("event_date", LocalDate.parse("2026-03-07"), "event_hour", HOUR.minusSeconds(3 * 86400), "requests", 90L,
            "cost_usd", "9")));
    AlertFixtures.append(lake, Lakehouse.COST_EVENTS, List.of(
        event("e1", "2026-03-10T13:10:00Z", "acme", "chat", "2.5"),
        event("e2", "2026-03-10T13:20:00Z", "acme", "search", "1"),
        row("event_id", "e3", "event_time", Instant.parse("2026-03-10T13:30:00Z"), "event_date",
            LocalDate.parse("2026-03-10"), "event_hour", HOUR, "model", "mystery-1", "pricing_status", "unpriced")));
    AlertFixtures.append(lake, Lakehouse.COST_ANOMALIES, List.of(row("grain", "hour", "period_start", HOUR,
        "scope_type", "feature", "scope_value", "chat", "direction", "spike", "severity", "warning", "explanation",
        "chat spent $150.00 in the hour, 5x its usual; user:u_1 drove it.", "actual_cost_usd", "150",
        "expected_cost_usd", "30")));
    AlertFixtures.append(lake, Lakehouse.PIPELINE_RUNS, List.of(
        row("run_id", "r1", "job", "hourly", "started_at", Instant.parse("2026-03-10T12:00:00Z"),
            "ended_at", Instant.parse("2026-03-10T12:01:00Z"), "status", "failed", "error", "disk full"),
        row("run_id", "r0", "job", "hourly", "started_at", Instant.parse("2026-03-10T11:00:00Z"),
            "ended_at", Instant.parse("2026-03-10T11:01:00Z"), "status", "succeeded")));
    AlertFixtures.append(lake, Lakehouse.ROLLUP_CHECKS, List.of(row("run_id", "r0", "checked_at",
        Instant.parse("2026-03-10T11:01:00Z"), "rollup_table", "gold.cost_daily", "measure", "cost_usd",
        "silver_value", "10", "rollup_value", "9", "balanced", false)));

    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    AlertJob.Summary first;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      first = new AlertJob(lake, config, at("2026-03-10T14:05:00Z")).hourly(HOUR);
      AlertsCommand.printSummary(first, System.out);
      AlertsCommand.print(lake, false, 50, System.out);
    } finally {
      System.setOut(stdout);
    }
    assertNull(first.error());
    assertEquals(List.of(
        "anomaly_hour:feature:chat|open|warning|1|opened|down/0/2/failed hook/1/1/delivered",
        "books_unbalanced:rollup_table:gold.cost_daily|open|critical|1|opened|down/0/2/failed hook/1/1/delivered",
        "hourly_spend:total:all|open|warning|1|opened|down/0/2/failed hook/1/1/delivered",
        "pipeline_run_failed:job:hourly|open|critical|1|opened|down/0/2/failed hook/1/1/delivered",
        "request_cost:feature:chat|open|warning|1|opened|down/0/2/failed hook/1/1/delivered",
        "request_rate:total:all|open|warning|1|opened|down/0/2/failed hook/1/1/delivered",
        "unpriced_model:model:mystery-1|open|warning|1|opened|down/0/2/failed hook/1/1/delivered"), alerts(lake, false));
    assertEquals(7, received.size());
    JsonNode rate = received.stream().filter(j -> j.get("rule").asText().equals("request_rate")).findFirst()
        .orElseThrow();
    assertEquals("150 requests in hour 2026-03-10T13:00Z against a normal of 30.0 (the mean of that hour on the"
        + " days before; threshold 60.00).",
        rate.get("message").asText());
    JsonNode anomaly = received.stream().filter(j -> j.get("rule").asText().equals("anomaly_hour")).findFirst()
        .orElseThrow();
    assertEquals("chat spent $150.00 in the hour, 5x its usual; user:u_1 drove it.", anomaly.get("message").asText());
    assertEquals("2026-03-10T13:00Z", anomaly.get("period").asText());
    JsonNode request = received.stream().filter(j -> j.get("rule").asText().equals("request_cost")).findFirst()
        .orElseThrow();
    assertEquals("1 request of feature chat above $1.00 each in hour 2026-03-10T13:00Z", request.get("title").asText());
    assertEquals("The costliest cost $2.50 (event e1).", request.get("message").asText());
    // The secret is in no column of the table, no error, nothing printed.
    String table = everything(lake);
    assertFalse(table.contains(TOKEN), table);
    assertFalse(table.contains("/services/"), table);
    assertFalse(printed.toString(StandardCharsets.UTF_8).contains(TOKEN));
    assertEquals(true, table.contains("connection refused or unreachable"));

    // Half an hour later the same hour again: nothing new to say; the channel that was down is retried.
    AlertJob.Summary quiet = new AlertJob(lake, config, at("2026-03-10T14:35:00Z")).hourly(HOUR);
    assertEquals(0, quiet.notified().size());
    assertEquals(7, received.size());
    assertEquals("hourly_spend:total:all|open|warning|1|opened|down/0/4/failed hook/1/1/delivered",
        alerts(lake, false).get(2));

    // The next hour is quiet: what was about the hour resolves, once; the rest stays open.
    new AlertJob(lake, config, at("2026-03-10T15:05:00Z")).hourly(HOUR.plusSeconds(3600));
    assertEquals(List.of(
        "anomaly_hour:feature:chat|resolved|warning|2|resolved|down/0/6/failed hook/2/1/delivered",
        "books_unbalanced:rollup_table:gold.cost_daily|open|critical|1|opened|down/0/6/failed hook/1/1/delivered",
        "hourly_spend:total:all|resolved|warning|2|resolved|down/0/6/failed hook/2/1/delivered",
        "pipeline_run_failed:job:hourly|open|critical|1|opened|down/0/6/failed hook/1/1/delivered",
        "request_cost:feature:chat|resolved|warning|2|resolved|down/0/6/failed hook/2/1/delivered",
        "request_rate:total:all|resolved|warning|2|resolved|down/0/6/failed hook/2/1/delivered",
        "unpriced_model:model:mystery-1|open|warning|1|opened|down/0/6/failed hook/1/1/delivered"), alerts(lake, false));
    assertEquals(List.of("resolved", "resolved", "resolved", "resolved"),
        received.subList(7, received.size()).stream().map(j -> j.get("event").asText()).toList());
  }

  @Test
  void nightlyRulesJudgeTheClosedDayAndTheBudgets() {
    Map<String, String> settings = new HashMap<>();
    settings.put("alerts.enabled", "true");
    settings.put("alerts.rules.daily-spend.usd", "50");
    settings.put("alerts.rules.unpriced-model.enabled", "false");
    settings.put("alerts.rules.pipeline-run.enabled", "false");
    CostlakeConfig config = config(settings);
    Lakehouse lake = lake();
    LocalDate day = LocalDate.parse("2026-03-10");
    List<Map<String, Object>> features = new ArrayList<>();
    for (int d = 1; d <= 9; d++) {
      features.add(row("event_date", LocalDate.of(2026, 3, d), "feature", "chat", "cost_usd", "10"));
      features.add(row("event_date", LocalDate.of(2026, 3, d), "feature", "search", "cost_usd", "4"));
    }
    // chat: 15.01 > 150% of 10; search: 6 = 150% of 4, not above.
    features.add(row("event_date", day, "feature", "chat", "cost_usd", "15.01"));
    features.add(row("event_date", day, "feature", "search", "cost_usd", "6"));
    AlertFixtures.append(lake, Lakehouse.COST_DAILY_BY_FEATURE, features);
    AlertFixtures.append(lake, Lakehouse.COST_DAILY_TOTAL, List.of(row("event_date", day, "cost_usd", "50.01")));
    BudgetJob.Status acme = new BudgetJob.Status(day.plusDays(1), "acme", "budget", "tenant", "acme", "tenant:acme",
        31, new BigDecimal("310"), new BigDecimal("320"), new BigDecimal("20"), new BigDecimal("103.23"),
        new BigDecimal("900"), new BigDecimal("990"), day, "p50", "exceeded", day.toString());

    AlertJob.Summary s = new AlertJob(lake, config, at("2026-03-11T02:00:00Z")).nightly(day.plusDays(1), List.of(acme));
    assertNull(s.error());
    assertEquals(List.of("budget:tenant:acme|open|critical|1|opened|", "daily_budget_pace:tenant:acme|open|warning|1|opened|",
        "daily_spend:total:all|open|warning|1|opened|", "feature_daily_spike:feature:chat|open|warning|1|opened|"),
        alerts(lake, true));
  }
}
