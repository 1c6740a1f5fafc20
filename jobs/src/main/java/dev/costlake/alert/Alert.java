package dev.costlake.alert;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One row of gold.alerts: a condition's life from its first run to its resolution, and what each
 * channel was told of it. notificationSeq counts what deserved telling (opened, escalated, reminder
 * after the cooldown, resolved); a channel whose deliveredSeq is behind it is owed a message.
 */
public record Alert(String dedupeKey, String rule, String scopeType, String scopeValue, Severity severity,
    String status, String title, String message, String period, BigDecimal measured, BigDecimal threshold,
    String unit, Instant firstSeenAt, Instant lastSeenAt, Instant resolvedAt, Instant lastNotifiedAt,
    int notificationSeq, String notificationEvent, List<Delivery> deliveries) {
  public static final String OPEN = "open";
  public static final String RESOLVED = "resolved";

  /** What one channel was told: the notification it last got, and how the latest one went. */
  public record Delivery(String channel, int deliveredSeq, int attempts, String outcome, Instant lastAttemptAt,
      String lastError) {
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
  }

  public boolean isOpen() {
    return OPEN.equals(status);
  }

  public Delivery delivery(String channel) {
    return deliveries.stream().filter(d -> d.channel().equals(channel)).findFirst().orElse(null);
  }

  public Alert withDelivery(Delivery delivery) {
    List<Delivery> next = new java.util.ArrayList<>();
    for (Delivery d : deliveries) {
      if (!d.channel().equals(delivery.channel())) {
        next.add(d);
      }
    }
    next.add(delivery);
    next.sort(java.util.Comparator.comparing(Delivery::channel));
    return new Alert(dedupeKey, rule, scopeType, scopeValue, severity, status, title, message, period, measured,
        threshold, unit, firstSeenAt, lastSeenAt, resolvedAt, lastNotifiedAt, notificationSeq, notificationEvent,
        List.copyOf(next));
  }
}
