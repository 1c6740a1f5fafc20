package dev.costlake.alert;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;

/** Sends alerts by email over SMTP (Jakarta Mail): STARTTLS when the channel asks, auth when it has a user. */
final class EmailChannel implements Channel {
  private final ChannelSettings settings;
  private final Secrets secrets;
  private final Session session;

  EmailChannel(ChannelSettings settings, Duration timeout, Secrets secrets) {
    this.settings = settings;
    this.secrets = secrets;
    Properties props = new Properties();
    props.put("mail.smtp.host", settings.host());
    props.put("mail.smtp.port", String.valueOf(settings.port()));
    props.put("mail.smtp.connectiontimeout", String.valueOf(timeout.toMillis()));
    props.put("mail.smtp.timeout", String.valueOf(timeout.toMillis()));
    props.put("mail.smtp.writetimeout", String.valueOf(timeout.toMillis()));
    props.put("mail.smtp.starttls.enable", String.valueOf(settings.starttls()));
    // Asked for STARTTLS: never fall back to sending the password in clear.
    props.put("mail.smtp.starttls.required", String.valueOf(settings.starttls()));
    boolean auth = !settings.user().isBlank();
    props.put("mail.smtp.auth", String.valueOf(auth));
    this.session = auth
        ? Session.getInstance(props, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
              return new PasswordAuthentication(settings.user(), settings.password());
            }
          })
        : Session.getInstance(props);
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public void send(Notification notification) throws DeliveryException {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(settings.from()));
      for (String to : settings.to()) {
        message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
      }
      message.setSubject(notification.subject(), "UTF-8");
      message.setText(notification.text(), "UTF-8");
      message.setHeader("X-Costlake-Dedupe-Key", notification.alert().dedupeKey());
      Transport.send(message);
    } catch (MessagingException e) {
      throw new DeliveryException(secrets.describe(e));
    }
  }
}
