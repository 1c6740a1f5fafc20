package dev.costlake.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a channel is told: an alert at one of its notifications (opened, escalated, reminder, resolved, test). */
public record Notification(Alert alert, String event, String link) {

  /** The subject line: [costlake] CRITICAL opened: Budget acme exceeded. */
  public String subject() {
    String state = event.equals(AlertBook.RESOLVED) ? "RESOLVED" : alert.severity().label().toUpperCase(java.util.Locale.ROOT);
    return "[costlake] " + state + " " + event + ": " + alert.title();
  }

  /** The readable body, shared by Slack and email. */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(alert.message());
    if (event.equals(AlertBook.RESOLVED)) {
      out.append("\nResolved: no longer seen at ").append(alert.resolvedAt()).append('.');
    }
    out.append("\nRule ").append(alert.rule()).append(", ").append(alert.scopeType()).append(' ')
        .append(alert.scopeValue()).append(", period ").append(alert.period()).append(", open since ")
        .append(alert.firstSeenAt()).append('.');
    if (link != null) {
      out.append("\n").append(link);
    }
    return out.toString();
  }

  /** The generic webhook's JSON payload (docs/alerts.md), version 1. */
  public Map<String, Object> payload() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("version", 1);
    p.put("source", "costlake");
    p.put("event", event);
    p.put("dedupe_key", alert.dedupeKey());
    p.put("rule", alert.rule());
    p.put("scope_type", alert.scopeType());
    p.put("scope_value", alert.scopeValue());
    p.put("severity", alert.severity().label());
    p.put("status", alert.status());
    p.put("title", alert.title());
    p.put("message", alert.message());
    p.put("period", alert.period());
    p.put("measured_value", alert.measured() == null ? null : alert.measured().stripTrailingZeros().toPlainString());
    p.put("threshold_value", alert.threshold() == null ? null : alert.threshold().stripTrailingZeros().toPlainString());
    p.put("unit", alert.unit());
    p.put("first_seen_at", String.valueOf(alert.firstSeenAt()));
    p.put("last_seen_at", String.valueOf(alert.lastSeenAt()));
    p.put("resolved_at", alert.resolvedAt() == null ? null : alert.resolvedAt().toString());
    p.put("notification_seq", alert.notificationSeq());
    p.put("link", link);
    return p;
  }
}
