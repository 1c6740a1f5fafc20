package dev.costlake.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** POSTs alerts as JSON: a Slack incoming webhook's message, or the generic webhook payload. */
final class HttpChannel implements Channel {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelSettings settings;
  private final Duration timeout;
  private final Secrets secrets;
  private final boolean slack;
  private final HttpClient client;

  HttpChannel(ChannelSettings settings, Duration timeout, Secrets secrets, boolean slack) {
    this.settings = settings;
    this.timeout = timeout;
    this.secrets = secrets;
    this.slack = slack;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public String name() {
    return settings.name();
  }

  /** Slack's message: a fallback text and blocks (a header line, the numbers, the link). */
  static Map<String, Object> slackMessage(Notification n) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("text", n.subject());
    String body = "*" + n.subject() + "*\n" + n.alert().message()
        + (n.event().equals(AlertBook.RESOLVED) ? "\n:white_check_mark: Resolved at " + n.alert().resolvedAt() : "");
    List<Object> blocks = new java.util.ArrayList<>();
    blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", body)));
    String context = "rule `" + n.alert().rule() + "` · " + n.alert().scopeType() + " `" + n.alert().scopeValue()
        + "` · period " + n.alert().period() + " · key `" + n.alert().dedupeKey() + "`"
        + (n.link() == null ? "" : " · <" + n.link() + "|Open dashboard>");
    blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", context))));
    message.put("blocks", blocks);
    return message;
  }

  @Override
  public void send(Notification notification) throws DeliveryException {
    String body;
    try {
      body = JSON.writeValueAsString(slack ? slackMessage(notification) : notification.payload());
    } catch (JsonProcessingException e) {
      throw new DeliveryException("cannot write the JSON payload: " + e.getOriginalMessage());
    }
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(settings.url())).timeout(timeout)
          .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "costlake-alerts")
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    } catch (IllegalArgumentException e) {
      throw new DeliveryException("the channel's url is not a valid URL");
    }
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new DeliveryException("timed out after " + timeout.toMillis() + " ms");
    } catch (java.net.ConnectException e) {
      throw new DeliveryException("connection refused or unreachable");
    } catch (IOException e) {
      throw new DeliveryException(secrets.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException("interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      String answer = response.body() == null ? "" : response.body().strip();
      throw new DeliveryException("HTTP " + response.statusCode()
          + (answer.isEmpty() ? "" : ": " + secrets.redact(answer.substring(0, Math.min(200, answer.length())))));
    }
  }
}
