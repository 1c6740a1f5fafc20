package dev.costlake.alert;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delivers what each channel is owed, with bounded retries and backoff, and records the outcome on
 * the alert. Never throws: a channel that fails keeps its debt for the next run.
 */
public final class Deliverer {
  /** Waits between attempts; a test may not want to. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final AlertSettings settings;
  private final Map<String, Channel> channels;
  private final Secrets secrets;
  private final Clock clock;
  private final Sleeper sleeper;

  public Deliverer(AlertSettings settings, Map<String, Channel> channels, Clock clock, Sleeper sleeper) {
    this.settings = settings;
    this.channels = channels;
    this.secrets = new Secrets(settings.secrets());
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** One delivery's result, for the run summary. */
  public record Attempted(String dedupeKey, String channel, String event, boolean delivered, int attempts,
      String error) {}

  /** The alerts after delivery, and what was attempted. */
  public record Result(List<Alert> alerts, List<Attempted> attempted) {}

  /**
   * Sends every notification a channel is owed: channels that already track an alert get what they
   * are behind on; an alert notified in this run (notifiedNow) also goes to routed channels that do not.
   */
  public Result deliver(List<Alert> alerts, Set<String> notifiedNow) {
    List<Alert> out = new ArrayList<>();
    List<Attempted> attempted = new ArrayList<>();
    for (Alert alert : alerts) {
      Alert next = alert;
      for (Channel channel : channels.values()) {
        ChannelSettings cs = settings.channels().get(channel.name());
        Alert.Delivery d = next.delivery(channel.name());
        boolean owed = d != null ? d.deliveredSeq() < next.notificationSeq()
            : notifiedNow.contains(next.dedupeKey()) && (cs == null || cs.routes(next.rule(), next.severity()));
        if (!owed) {
          continue;
        }
        Notification n = new Notification(next, next.notificationEvent(),
            settings.link(next.rule(), next.scopeType(), next.scopeValue()));
        Try t = attempt(channel, n);
        int attempts = t.attempts + (d != null && d.deliveredSeq() < next.notificationSeq()
            && Alert.Delivery.FAILED.equals(d.outcome()) ? d.attempts() : 0);
        next = next.withDelivery(new Alert.Delivery(channel.name(), t.error == null ? next.notificationSeq()
            : d == null ? 0 : d.deliveredSeq(), attempts,
            t.error == null ? Alert.Delivery.DELIVERED : Alert.Delivery.FAILED,
            clock.instant(), t.error));
        attempted.add(new Attempted(next.dedupeKey(), channel.name(), n.event(), t.error == null, t.attempts, t.error));
      }
      out.add(next);
    }
    return new Result(out, attempted);
  }

  private record Try(int attempts, String error) {}

  /** Up to alerts.delivery.max-attempts tries, waiting backoff, 2 x backoff, ... between them. */
  Try attempt(Channel channel, Notification n) {
    Duration wait = settings.backoff();
    String error = null;
    for (int i = 1; i <= settings.maxAttempts(); i++) {
      try {
        channel.send(n);
        return new Try(i, null);
      } catch (Channel.DeliveryException e) {
        error = secrets.redact(e.getMessage());
      } catch (RuntimeException e) {
        error = secrets.describe(e);
      }
      if (i < settings.maxAttempts()) {
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Try(i, error + " (interrupted)");
        }
        wait = wait.multipliedBy(2);
      }
    }
    return new Try(settings.maxAttempts(), error);
  }

  /** Sends one test notification through a channel (costlake alerts test); the error, or null. */
  public String test(Channel channel, Notification n) {
    return attempt(channel, n).error;
  }
}
