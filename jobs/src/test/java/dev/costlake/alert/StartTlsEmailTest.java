package dev.costlake.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.ConfigException;
import dev.costlake.config.CostlakeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

/**
 * Email over STARTTLS against a real SMTP server on 127.0.0.1 (SubEthaSMTP) that requires TLS before
 * anything else and AUTH before MAIL, with a certificate made for the test by the JDK's keytool: the
 * message arrives over TLS with the channel's password, and a certificate the channel does not trust,
 * or one made for another host, stops the delivery before the password is sent. No Spark.
 */
class StartTlsEmailTest {
  private static final Instant NOW = Instant.parse("2026-03-10T14:05:00Z");
  private static final String STORE_PASSWORD = "test-store-pw";
  private static final String SMTP_PASSWORD = "s3cret-pw";

  @TempDir
  static Path keys;
  /** A self-signed certificate for 127.0.0.1 and localhost, and one for another host. */
  private static Path localCert;
  private static Path otherHostCert;

  /** What the server saw of each delivered message: TLS on, who logged in, sender, recipient, content. */
  record Received(boolean tls, Object identity, String from, String to, String data) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> logins = new CopyOnWriteArrayList<>();
  private SMTPServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    localCert = certificate("local", "ip:127.0.0.1,dns:localhost");
    otherHostCert = certificate("other", "dns:mail.elsewhere.test");
  }

  /** keytool -genkeypair into NAME.p12, and its certificate exported as NAME.pem. */
  private static Path certificate(String name, String subjectAltNames) throws Exception {
    Path store = keys.resolve(name + ".p12");
    Path pem = keys.resolve(name + ".pem");
    keytool("-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=costlake test " + name, "-ext", "SAN=" + subjectAltNames, "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "smtp", "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
        "-file", pem.toString());
    return pem;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + output);
  }

  private static SSLContext serverContext(Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(pem.toString().replace(".pem", ".p12")))) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, STORE_PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** A server that requires STARTTLS before any other command and AUTH (alerts / the password) before MAIL. */
  private int start(Path cert) throws Exception {
    server = SMTPServer.port(0)
        .bindAddress(InetAddress.getByName("127.0.0.1"))
        .hostName("localhost")
        .enableTLS()
        .requireTLS()
        .startTlsSocketFactory(serverContext(cert))
        .requireAuth()
        .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
          logins.add(user);
          if (!user.equals("alerts") || !password.equals(SMTP_PASSWORD)) {
            throw new LoginFailedException();
          }
        }))
        .messageHandler((context, from, to, data) -> received.add(new Received(((Session) context).isTLSStarted(),
            context.getAuthenticationHandler().map(h -> h.getIdentity()).orElse(null), from, to,
            new String(data, StandardCharsets.UTF_8))))
        .build();
    server.start();
    return server.getPortAllocated();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static Map<String, String> channel(int port) {
    Map<String, String> c = new HashMap<>(Map.of(
        "alerts.channels.mail.type", "email", "alerts.channels.mail.host", "127.0.0.1",
        "alerts.channels.mail.port", String.valueOf(port), "alerts.channels.mail.user", "alerts",
        "alerts.channels.mail.password", SMTP_PASSWORD, "alerts.channels.mail.from", "alerts@costlake.test",
        "alerts.channels.mail.to", "finops@costlake.test"));
    c.put("alerts.delivery.max-attempts", "1");
    c.put("alerts.delivery.timeout", "10s");
    return c;
  }

  private static Alert.Delivery deliver(Map<String, String> config) {
    AlertSettings settings = AlertSettings.from(CostlakeConfig.load(null, config));
    Map<String, Channel> channels = new LinkedHashMap<>();
    for (ChannelSettings c : settings.channels().values()) {
      channels.put(c.name(), Channel.of(c, settings));
    }
    Alert alert = new Alert("budget:tenant:acme", "budget", "tenant", "acme", Severity.CRITICAL, Alert.OPEN,
        "Budget acme (tenant:acme) exceeded", "$320.00 of $310.00 spent (103.23%) in 2026-03 through 2026-03-09.",
        "2026-03", new BigDecimal("320"), new BigDecimal("310"), "usd", Instant.parse("2026-03-09T01:00:00Z"), NOW,
        null, NOW, 1, "opened", List.of());
    Deliverer.Result r = new Deliverer(settings, channels, Clock.fixed(NOW, ZoneOffset.UTC), d -> { })
        .deliver(List.of(alert), Set.of("budget:tenant:acme"));
    return r.alerts().get(0).delivery("mail");
  }

  @Test
  void theMessageArrivesOverStarttlsWithAuthWhenTheChannelTrustsTheServersCertificate() throws Exception {
    Map<String, String> config = channel(start(localCert));
    config.put("alerts.channels.mail.ca-certs", localCert.toString());

    Alert.Delivery d = deliver(config);

    assertEquals("delivered", d.outcome(), d.lastError());
    assertEquals(1, d.attempts());
    assertEquals(List.of("alerts"), logins);
    assertEquals(1, received.size());
    Received m = received.get(0);
    assertTrue(m.tls(), "the message came before STARTTLS");
    assertEquals("alerts", m.identity());
    assertEquals("alerts@costlake.test", m.from());
    assertEquals("finops@costlake.test", m.to());
    assertTrue(m.data().contains("Subject: [costlake] CRITICAL opened: Budget acme (tenant:acme) exceeded\r\n"),
        m.data());
    assertTrue(m.data().contains("X-Costlake-Dedupe-Key: budget:tenant:acme\r\n"), m.data());
    assertTrue(m.data().contains("$320.00 of $310.00 spent (103.23%) in 2026-03 through 2026-03-09."), m.data());
  }

  @Test
  void aCertificateTheChannelDoesNotTrustStopsTheDeliveryBeforeThePasswordIsSent() throws Exception {
    // No ca-certs: the JVM's trust store, which does not hold the test's self-signed certificate.
    Alert.Delivery d = deliver(channel(start(localCert)));

    assertEquals("failed", d.outcome());
    assertTrue(d.lastError().contains("PKIX path building failed"), d.lastError());
    assertFalse(d.lastError().contains(SMTP_PASSWORD), d.lastError());
    assertEquals(List.of(), logins);
    assertEquals(List.of(), received);
  }

  @Test
  void aTrustedCertificateMadeForAnotherHostIsRefused() throws Exception {
    Map<String, String> config = channel(start(otherHostCert));
    config.put("alerts.channels.mail.ca-certs", otherHostCert.toString());

    Alert.Delivery d = deliver(config);

    assertEquals("failed", d.outcome());
    assertTrue(d.lastError().contains("No subject alternative names matching IP address 127.0.0.1 found"),
        d.lastError());
    assertEquals(List.of(), logins);
    assertEquals(List.of(), received);
  }

  @Test
  void aCaCertsFileWithoutCertificatesIsAConfigurationErrorNamingTheKey() throws IOException {
    Path notPem = Files.writeString(keys.resolve("notes.txt"), "not a certificate\n");
    Map<String, String> config = channel(2525);
    config.put("alerts.channels.mail.ca-certs", notPem.toString());

    ConfigException e = assertThrows(ConfigException.class,
        () -> AlertSettings.from(CostlakeConfig.load(null, config)));

    assertTrue(e.getMessage().startsWith("Cannot set alerts.channels.mail.ca-certs to '" + notPem + "': "),
        e.getMessage());
  }
}
