package dev.costlake.alert;

/** A place alerts are sent to: one attempt per call; the deliverer retries. */
public interface Channel {
  /** Thrown for a failed attempt; its message never carries a secret. */
  final class DeliveryException extends Exception {
    public DeliveryException(String message) {
      super(message);
    }
  }

  String name();

  void send(Notification notification) throws DeliveryException;

  static Channel of(ChannelSettings settings, AlertSettings alerts) {
    Secrets secrets = new Secrets(settings.secrets());
    return switch (settings.type()) {
      case ChannelSettings.SLACK -> new HttpChannel(settings, alerts.timeout(), secrets, true);
      case ChannelSettings.WEBHOOK -> new HttpChannel(settings, alerts.timeout(), secrets, false);
      case ChannelSettings.EMAIL -> new EmailChannel(settings, alerts.timeout(), secrets);
      default -> throw new IllegalArgumentException("unknown channel type " + settings.type());
    };
  }
}
