package dev.costlake.alert;

import com.typesafe.config.Config;
import dev.costlake.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One delivery channel (alerts.channels.&lt;name&gt;): its type and settings, and which alerts it gets.
 * url and password are secrets: toString leaves them out, and no message ever shows them.
 *
 * @param caCerts email: a PEM file of the certificates that the SMTP server's TLS certificate may chain to
 *     (a private CA); empty for the JVM's trust store
 * @param rules the rules routed to it (gold.alerts.rule names); empty for all
 * @param minSeverity the least severe alert it gets
 */
public record ChannelSettings(String name, String type, String url, String host, int port, String user,
    String password, String from, List<String> to, boolean starttls, String caCerts, List<String> rules,
    Severity minSeverity) {
  public static final String SLACK = "slack";
  public static final String WEBHOOK = "webhook";
  public static final String EMAIL = "email";
  public static final int SMTP_PORT_DEFAULT = 587;

  private static final List<String> KEYS = List.of("type", "url", "host", "port", "user", "password", "from", "to",
      "starttls", "ca-certs", "rules", "min-severity");

  /** Whether an alert of this rule and severity goes to this channel. */
  public boolean routes(String rule, Severity severity) {
    return (rules.isEmpty() || rules.contains(rule)) && severity.compareTo(minSeverity) >= 0;
  }

  /** The values that must never be shown: the URL (Slack's carries its token) and the password. */
  public List<String> secrets() {
    return java.util.stream.Stream.of(url, password).filter(s -> s != null && !s.isBlank()).toList();
  }

  @Override
  public String toString() {
    return "channel " + name + " (" + type + ")";
  }

  static ChannelSettings parse(String name, Config c) {
    String prefix = "alerts.channels." + name + ".";
    for (String key : c.root().keySet()) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("Unknown configuration key '" + prefix + key + "': a channel has " + KEYS);
      }
    }
    String type = string(c, "type", "");
    String url = string(c, "url", "");
    String host = string(c, "host", "");
    int port;
    try {
      port = c.hasPath("port") ? Integer.parseInt(c.getString("port").trim()) : SMTP_PORT_DEFAULT;
    } catch (NumberFormatException e) {
      throw new ConfigException("Cannot set " + prefix + "port: must be a port number");
    }
    List<String> to = list(c, "to");
    switch (type) {
      case SLACK, WEBHOOK -> {
        // Never echo the URL: a Slack incoming webhook's URL is its secret.
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
          throw new ConfigException("Cannot set " + prefix + "url: must be an http:// or https:// URL (value not shown)");
        }
      }
      case EMAIL -> {
        if (host.isBlank() || string(c, "from", "").isBlank() || to.isEmpty()) {
          throw new ConfigException("Channel " + name + " of type email needs " + prefix + "host, " + prefix
              + "from and " + prefix + "to");
        }
      }
      default -> throw new ConfigException("Cannot set " + prefix + "type to '" + type
          + "': must be slack, webhook or email");
    }
    Severity min;
    try {
      min = Severity.parse(string(c, "min-severity", "info"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Cannot set " + prefix + "min-severity: " + e.getMessage());
    }
    String starttls = string(c, "starttls", "true");
    if (!starttls.equals("true") && !starttls.equals("false")) {
      throw new ConfigException("Cannot set " + prefix + "starttls to '" + starttls + "': must be true or false");
    }
    String caCerts = string(c, "ca-certs", "");
    if (!caCerts.isEmpty()) {
      EmailChannel.caCerts(name, caCerts);
    }
    return new ChannelSettings(name, type, url, host, port, string(c, "user", ""), string(c, "password", ""),
        string(c, "from", ""), to, Boolean.parseBoolean(starttls), caCerts, list(c, "rules"), min);
  }

  private static String string(Config c, String key, String fallback) {
    return c.hasPath(key) ? String.valueOf(c.getValue(key).unwrapped()).trim() : fallback;
  }

  /** A HOCON list, or a comma-separated string (what --set gives). */
  private static List<String> list(Config c, String key) {
    if (!c.hasPath(key)) {
      return List.of();
    }
    if (c.getValue(key).valueType() == com.typesafe.config.ConfigValueType.LIST) {
      return c.getStringList(key).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    return Arrays.stream(c.getString(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
