package dev.costlake.alert;

import dev.costlake.config.ConfigException;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends alerts by email over SMTP (Jakarta Mail): STARTTLS when the channel asks, auth when it has a user.
 * Under TLS the server's certificate must chain to a trusted certificate (the JVM's, or the channel's
 * ca-certs) and name the host connected to.
 */
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
    // That the certificate is the host's, not just any trusted one's: Angus Mail's default, said
    // explicitly because Jakarta Mail implementations before it defaulted to false.
    props.put("mail.smtp.ssl.checkserveridentity", "true");
    if (!settings.caCerts().isEmpty()) {
      props.put("mail.smtp.ssl.socketFactory", trusting(settings).getSocketFactory());
    }
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

  /** A TLS context that trusts exactly the certificates in the channel's ca-certs PEM file. */
  private static SSLContext trusting(ChannelSettings settings) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : caCerts(settings.name(), settings.caCerts())) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("channel " + settings.name() + ": cannot build a TLS context", e);
    }
  }

  /** The certificates of a ca-certs PEM file; a ConfigException naming the channel and file if there are none. */
  static Collection<? extends Certificate> caCerts(String channel, String file) {
    String key = "alerts.channels." + channel + ".ca-certs";
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new ConfigException("Cannot set " + key + " to '" + file + "': the file holds no certificate");
      }
      return certificates;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("Cannot set " + key + " to '" + file + "': not readable as PEM certificates ("
          + e.getMessage() + ")");
    }
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
