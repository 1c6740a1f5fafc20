package dev.costlake.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Folds one run's signals into the alerts (pure): a new condition opens an alert; one that persists
 * is quiet until it escalates (a higher severity) or the cooldown since its last notification ends
 * (a reminder); an open alert of a rule the run evaluated that no signal repeats is resolved, once.
 */
public final class AlertBook {
  private AlertBook() {}

  public static final String OPENED = "opened";
  public static final String ESCALATED = "escalated";
  public static final String REMINDER = "reminder";
  public static final String RESOLVED = "resolved";

  /** The alerts after the run, and the keys whose notification changed in it (owed to new channels). */
  public record Folded(List<Alert> alerts, Set<String> notifiedNow) {}

  public static Folded fold(Collection<Alert> existing, Collection<Signal> signals, Set<String> evaluatedRules,
      Instant now, Duration cooldown) {
    Map<String, Alert> byKey = new TreeMap<>();
    for (Alert a : existing) {
      byKey.put(a.dedupeKey(), a);
    }
    Map<String, Signal> seen = new LinkedHashMap<>();
    for (Signal s : signals) {
      // One signal per key and run: the most severe wins (rules emit one per scope anyway).
      seen.merge(s.dedupeKey(), s, (a, b) -> b.severity().compareTo(a.severity()) > 0 ? b : a);
    }
    Set<String> notified = new java.util.TreeSet<>();
    for (Signal s : seen.values()) {
      Alert a = byKey.get(s.dedupeKey());
      String event;
      if (a == null || !a.isOpen()) {
        event = OPENED;
      } else if (s.severity().compareTo(a.severity()) > 0) {
        event = ESCALATED;
      } else if (!now.isBefore(a.lastNotifiedAt().plus(cooldown))) {
        event = REMINDER;
      } else {
        event = null;
      }
      boolean reopened = a == null || !a.isOpen();
      Instant firstSeen = reopened ? now : a.firstSeenAt();
      int seq = a == null ? 0 : a.notificationSeq();
      List<Alert.Delivery> deliveries = a == null ? List.of() : a.deliveries();
      byKey.put(s.dedupeKey(), new Alert(s.dedupeKey(), s.rule(), s.scopeType(), s.scopeValue(), s.severity(),
          Alert.OPEN, s.title(), s.message(), s.period(), s.measured(), s.threshold(), s.unit(), firstSeen, now, null,
          event == null ? a.lastNotifiedAt() : now, event == null ? seq : seq + 1,
          event == null ? a.notificationEvent() : event, deliveries));
      if (event != null) {
        notified.add(s.dedupeKey());
      }
    }
    for (Alert a : new ArrayList<>(byKey.values())) {
      if (a.isOpen() && evaluatedRules.contains(a.rule()) && !seen.containsKey(a.dedupeKey())) {
        byKey.put(a.dedupeKey(), new Alert(a.dedupeKey(), a.rule(), a.scopeType(), a.scopeValue(), a.severity(),
            Alert.RESOLVED, a.title(), a.message(), a.period(), a.measured(), a.threshold(), a.unit(),
            a.firstSeenAt(), a.lastSeenAt(), now, now, a.notificationSeq() + 1, RESOLVED, a.deliveries()));
        notified.add(a.dedupeKey());
      }
    }
    return new Folded(List.copyOf(byKey.values()), notified);
  }
}
