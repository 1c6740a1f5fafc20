package dev.costlake.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.costlake.config.CostlakeConfig;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery against real servers on 127.0.0.1: an HTTP server that records, fails, hangs; a closed
 * port that refuses; GreenMail for SMTP. No Spark.
 */
class DeliveryTest {
  private static final Instant NOW = Instant.parse("2026-03-10T14:05:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String TOKEN = "T000-SECRET-B000-xoxb-4242";
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private java.util.concurrent.ExecutorService handlers;
  private String base;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  /** Answers of /switch/ in turn; 200 once they run out. */
  private final List<Integer> switchAnswers = new CopyOnWriteArrayList<>();
  private final AtomicInteger switchCalls = new AtomicInteger();
  private final List<Duration> waits = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok/", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      paths.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
      answer(exchange, 200, "ok");
    });
    server.createContext("/switch/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      int call = switchCalls.getAndIncrement();
      // An error page that quotes the URL it was called on, secret token and all.
      int status = call < switchAnswers.size() ? switchAnswers.get(call) : 200;
      answer(exchange, status, status == 200 ? "ok" : "no such hook: " + exchange.getRequestURI().getPath());
    });
    server.createContext("/hang/", exchange -> {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(exchange, 200, "late");
    });
    handlers = java.util.concurrent.Executors.newCachedThreadPool();
    server.setExecutor(handlers);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Generous timeouts: a loaded test machine must not turn a slow answer into a retry (a second message). */
  private static AlertSettings settings(Map<String, String> channels) {
    return settings(channels, "5s");
  }

  private static AlertSettings settings(Map<String, String> channels, String timeout) {
    Map<String, String> all = new HashMap<>(channels);
    all.put("alerts.delivery.max-attempts", "3");
    all.put("alerts.delivery.backoff", "10ms");
    all.put("alerts.delivery.timeout", timeout);
    all.put("alerts.dashboard-url", "https://dash.example/costs?rule={rule}&{scope_type}={scope_value}");
    return AlertSettings.from(CostlakeConfig.load(null, all));
  }

  private Deliverer deliverer(AlertSettings settings) {
    Map<String, Channel> channels = new LinkedHashMap<>();
    for (ChannelSettings c : settings.channels().values()) {
      channels.put(c.name(), Channel.of(c, settings));
    }
    return new Deliverer(settings, channels, CLOCK, d -> {
      waits.add(d);
      Thread.sleep(d.toMillis());
    });
  }

  static Alert alert(Severity severity, int seq, String event, List<Alert.Delivery> deliveries) {
    return new Alert("budget:tenant:acme", "budget", "tenant", "acme", severity, Alert.OPEN,
        "Budget acme (tenant:acme) exceeded", "$320.00 of $310.00 spent (103.23%) in 2026-03 through 2026-03-09.",
        "2026-03", new BigDecimal("320"), new BigDecimal("310"), "usd", Instant.parse("2026-03-09T01:00:00Z"), NOW,
        null, NOW, seq, event, deliveries);
  }

  @Test
  void webhookAndSlackPayloadsCarryEveryFieldAndTheLink() throws IOException {
    AlertSettings s = settings(Map.of(
        "alerts.channels.hook.type", "webhook", "alerts.channels.hook.url", base + "/ok/hook",
        "alerts.channels.slack.type", "slack", "alerts.channels.slack.url", base + "/ok/slack/" + TOKEN));
    Deliverer.Result r = deliverer(s).deliver(List.of(alert(Severity.CRITICAL, 1, "opened", List.of())),
        Set.of("budget:tenant:acme"));

    assertEquals(2, bodies.size());
    JsonNode hook = JSON.readTree(bodies.get(paths.indexOf("/ok/hook application/json; charset=utf-8")));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("version", 1);
    expected.put("source", "costlake");
    expected.put("event", "opened");
    expected.put("dedupe_key", "budget:tenant:acme");
    expected.put("rule", "budget");
    expected.put("scope_type", "tenant");
    expected.put("scope_value", "acme");
    expected.put("severity", "critical");
    expected.put("status", "open");
    expected.put("title", "Budget acme (tenant:acme) exceeded");
    expected.put("message", "$320.00 of $310.00 spent (103.23%) in 2026-03 through 2026-03-09.");
    expected.put("period", "2026-03");
    expected.put("measured_value", "320");
    expected.put("threshold_value", "310");
    expected.put("unit", "usd");
    expected.put("first_seen_at", "2026-03-09T01:00:00Z");
    expected.put("last_seen_at", "2026-03-10T14:05:00Z");
    expected.put("resolved_at", null);
    expected.put("notification_seq", 1);
    expected.put("link", "https://dash.example/costs?rule=budget&tenant=acme");
    assertEquals(JSON.valueToTree(expected), hook);

    JsonNode slack = JSON.readTree(bodies.get(paths.indexOf("/ok/slack/" + TOKEN + " application/json; charset=utf-8")));
    assertEquals("[costlake] CRITICAL opened: Budget acme (tenant:acme) exceeded", slack.get("text").asText());
    assertEquals("section", slack.at("/blocks/0/type").asText());
    assertEquals("*[costlake] CRITICAL opened: Budget acme (tenant:acme) exceeded*\n"
        + "$320.00 of $310.00 spent (103.23%) in 2026-03 through 2026-03-09.", slack.at("/blocks/0/text/text").asText());
    assertEquals("rule `budget` · tenant `acme` · period 2026-03 · key `budget:tenant:acme`"
        + " · <https://dash.example/costs?rule=budget&tenant=acme|Open dashboard>",
        slack.at("/blocks/1/elements/0/text").asText());

    Alert after = r.alerts().get(0);
    assertEquals(new Alert.Delivery("hook", 1, 1, "delivered", NOW, null), after.delivery("hook"));
    assertEquals(new Alert.Delivery("slack", 1, 1, "delivered", NOW, null), after.delivery("slack"));

    // Delivered: nothing is owed any more, nothing is sent again.
    deliverer(s).deliver(r.alerts(), Set.of());
    assertEquals(2, bodies.size());
  }

  @Test
  void a500IsRetriedWithBackoffAndTheNextAnswerDelivers() {
    switchAnswers.add(500);
    AlertSettings s = settings(Map.of("alerts.channels.hook.type", "webhook",
        "alerts.channels.hook.url", base + "/switch/" + TOKEN));
    Deliverer.Result r = deliverer(s).deliver(List.of(alert(Severity.WARNING, 1, "opened", List.of())),
        Set.of("budget:tenant:acme"));
    assertEquals(2, switchCalls.get());
    assertEquals(List.of(Duration.ofMillis(10)), waits);
    assertEquals(new Alert.Delivery("hook", 1, 2, "delivered", NOW, null), r.alerts().get(0).delivery("hook"));
  }

  @Test
  void failuresAreBoundedRecordedWithoutSecretsAndRetriedOnTheNextRun() {
    switchAnswers.addAll(List.of(503, 503, 503));
    int refused;
    try (ServerSocket closed = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      refused = closed.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    AlertSettings s = settings(Map.of(
        "alerts.channels.a-5xx.type", "webhook", "alerts.channels.a-5xx.url", base + "/switch/" + TOKEN,
        "alerts.channels.b-hang.type", "slack", "alerts.channels.b-hang.url", base + "/hang/" + TOKEN,
        "alerts.channels.c-refused.type", "webhook",
        "alerts.channels.c-refused.url", "http://127.0.0.1:" + refused + "/" + TOKEN), "1s");
    long start = System.nanoTime();
    Deliverer.Result first = deliverer(s).deliver(List.of(alert(Severity.WARNING, 1, "opened", List.of())),
        Set.of("budget:tenant:acme"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Alert a = first.alerts().get(0);
    assertEquals(new Alert.Delivery("a-5xx", 0, 3, "failed", NOW, "HTTP 503: no such hook: ***"),
        a.delivery("a-5xx"));
    assertEquals(new Alert.Delivery("b-hang", 0, 3, "failed", NOW, "timed out after 1000 ms"), a.delivery("b-hang"));
    assertEquals(new Alert.Delivery("c-refused", 0, 3, "failed", NOW, "connection refused or unreachable"),
        a.delivery("c-refused"));
    // 3 channels x (3 attempts, waits of 10 + 20 ms); the hangs cost 3 x 1 s, not 3 x 10 s.
    assertEquals(List.of(10L, 20L, 10L, 20L, 10L, 20L), waits.stream().map(Duration::toMillis).toList());
    assertTrue(took.toMillis() < 9_000, "took " + took);
    for (Deliverer.Attempted attempted : first.attempted()) {
      assertFalse(attempted.delivered());
      assertFalse(attempted.error().contains(TOKEN));
    }

    // The next run owes them the same notification; the 5xx channel is back.
    Deliverer.Result second = deliverer(s).deliver(first.alerts(), Set.of());
    Alert b = second.alerts().get(0);
    assertEquals(new Alert.Delivery("a-5xx", 1, 4, "delivered", NOW, null), b.delivery("a-5xx"));
    assertEquals(0, b.delivery("c-refused").deliveredSeq());
    assertEquals(6, b.delivery("c-refused").attempts());
  }

  @Test
  void routingByRuleAndSeverity() {
    AlertSettings s = settings(Map.of(
        "alerts.channels.pager.type", "webhook", "alerts.channels.pager.url", base + "/ok/pager",
        "alerts.channels.pager.min-severity", "critical",
        "alerts.channels.finance.type", "webhook", "alerts.channels.finance.url", base + "/ok/finance",
        "alerts.channels.finance.rules", "budget, quota"));
    Alert warning = alert(Severity.WARNING, 1, "opened", List.of());
    Alert other = new Alert("hourly_spend:total:all", "hourly_spend", "total", "all", Severity.CRITICAL, Alert.OPEN,
        "t", "m", "p", null, null, "usd", NOW, NOW, null, NOW, 1, "opened", List.of());
    deliverer(s).deliver(List.of(warning, other), Set.of(warning.dedupeKey(), other.dedupeKey()));
    List<String> got = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      got.add(paths.get(i).split(" ")[0] + " " + JSON.valueToTree(bodies.get(i)).asText().contains("budget"));
    }
    got.sort(null);
    assertEquals(List.of("/ok/finance true", "/ok/pager false"), got);
  }

  @Test
  void emailArrivesOverSmtpWithAuthAndStarttlsIsNeverSkipped() throws Exception {
    GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    try {
      mail.setUser("alerts@costlake.test", "alerts", "s3cret-pw");
      int port = mail.getSmtp().getPort();
      Map<String, String> channel = new HashMap<>(Map.of(
          "alerts.channels.mail.type", "email", "alerts.channels.mail.host", "127.0.0.1",
          "alerts.channels.mail.port", String.valueOf(port), "alerts.channels.mail.user", "alerts",
          "alerts.channels.mail.password", "s3cret-pw", "alerts.channels.mail.from", "alerts@costlake.test",
          "alerts.channels.mail.to", "finops@costlake.test, cto@costlake.test",
          "alerts.channels.mail.starttls", "false"));
      Deliverer.Result r = deliverer(settings(channel)).deliver(
          List.of(alert(Severity.CRITICAL, 1, "opened", List.of())), Set.of("budget:tenant:acme"));
      assertEquals("delivered", r.alerts().get(0).delivery("mail").outcome());
      MimeMessage[] received = mail.getReceivedMessages();
      assertEquals(2, received.length);
      MimeMessage m = received[0];
      assertEquals("[costlake] CRITICAL opened: Budget acme (tenant:acme) exceeded", m.getSubject());
      assertEquals("budget:tenant:acme", m.getHeader("X-Costlake-Dedupe-Key")[0]);
      assertEquals("$320.00 of $310.00 spent (103.23%) in 2026-03 through 2026-03-09.\n"
          + "Rule budget, tenant acme, period 2026-03, open since 2026-03-09T01:00:00Z.\n"
          + "https://dash.example/costs?rule=budget&tenant=acme", ((String) m.getContent()).replace("\r\n", "\n").strip());

      // STARTTLS asked (the default) of a server without it: refused, never sent in clear.
      channel.remove("alerts.channels.mail.starttls");
      Deliverer.Result tls = deliverer(settings(channel)).deliver(
          List.of(alert(Severity.CRITICAL, 1, "opened", List.of())), Set.of("budget:tenant:acme"));
      Alert.Delivery d = tls.alerts().get(0).delivery("mail");
      assertEquals("failed", d.outcome());
      assertTrue(d.lastError().contains("STARTTLS"), d.lastError());
      assertFalse(d.lastError().contains("s3cret-pw"));
      assertEquals(2, mail.getReceivedMessages().length);
    } finally {
      mail.stop();
    }
  }

  @Test
  void secretsAreMaskedInAnyText() {
    Secrets secrets = new Secrets(List.of("https://hooks.example/T/B/xyz", "xyz", "pw"));
    assertEquals("POST *** failed; *** and ***", secrets.redact("POST https://hooks.example/T/B/xyz failed; xyz and pw"));
    // A URL's long path segments and query values leak it on their own.
    Secrets url = new Secrets(List.of("https://hooks.slack.example/api/T000/B000/XXXXsecretXXXX?key=abcdefgh12"));
    assertEquals("404 for ***; token *** key ***; /api/T000 is fine",
        url.redact("404 for /api/T000/B000/XXXXsecretXXXX; token XXXXsecretXXXX key abcdefgh12; /api/T000 is fine"));
    assertNull(secrets.redact(null));
    assertEquals("channel ops (slack)", settings(Map.of("alerts.channels.ops.type", "slack",
        "alerts.channels.ops.url", base + "/ok/" + TOKEN)).channels().get("ops").toString());
  }
}
