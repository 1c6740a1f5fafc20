package dev.costlake.alert;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.costlake.config.ConfigException;
import dev.costlake.config.CostlakeConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** alerts.*: the rules' switches and thresholds, the cooldown, delivery retries, and the channels. */
public record AlertSettings(boolean enabled, Duration cooldown, String dashboardUrl, int maxAttempts,
    Duration backoff, Duration timeout, Config rules, Map<String, ChannelSettings> channels) {

  public static AlertSettings from(CostlakeConfig config) {
    Config a = config.section("alerts");
    try {
      boolean enabled = a.getBoolean("enabled");
      Duration cooldown = a.getDuration("cooldown");
      int maxAttempts = a.getInt("delivery.max-attempts");
      Duration backoff = a.getDuration("delivery.backoff");
      Duration timeout = a.getDuration("delivery.timeout");
      if (cooldown.isNegative() || maxAttempts < 1 || backoff.isNegative() || timeout.isNegative() || timeout.isZero()) {
        throw new ConfigException("Cannot set alerts.cooldown, alerts.delivery.*: durations must be >= 0 (timeout > 0)"
            + " and max-attempts at least 1");
      }
      Config rules = a.getConfig("rules");
      for (Map.Entry<String, ConfigValue> rule : rules.root().entrySet()) {
        rules.getBoolean(rule.getKey() + ".enabled");
      }
      Map<String, ChannelSettings> channels = new LinkedHashMap<>();
      Config section = a.getConfig("channels");
      for (Map.Entry<String, ConfigValue> entry : new java.util.TreeMap<>(section.root()).entrySet()) {
        if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
          throw new ConfigException("Cannot set alerts.channels." + entry.getKey() + ": must be an object with a type");
        }
        channels.put(entry.getKey(), ChannelSettings.parse(entry.getKey(), section.getConfig("\"" + entry.getKey() + "\"")));
      }
      AlertSettings settings = new AlertSettings(enabled, cooldown, a.getString("dashboard-url"), maxAttempts, backoff,
          timeout, rules, channels);
      // Touch every threshold now, so a bad one fails before Spark starts.
      settings.usd("hourly-spend");
      settings.usd("daily-spend");
      settings.usd("request-cost");
      settings.usd("feature-daily-spike", "min-usd");
      settings.number("feature-daily-spike", "pct");
      settings.number("request-rate", "multiple");
      settings.number("request-rate", "min-requests");
      settings.positiveInt("feature-daily-spike", "baseline-days");
      settings.positiveInt("request-rate", "baseline-days");
      settings.anomalyMinSeverity();
      return settings;
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Cannot read alerts.*: " + e.getMessage(), e);
    }
  }

  /** alerts.rules.&lt;rule&gt;.enabled, and alerts.enabled. */
  public boolean on(String rule) {
    return enabled && rules.getBoolean(rule + ".enabled");
  }

  public BigDecimal usd(String rule) {
    return usd(rule, "usd");
  }

  public BigDecimal usd(String rule, String key) {
    return number(rule, key);
  }

  public BigDecimal number(String rule, String key) {
    String path = rule + "." + key;
    try {
      BigDecimal value = new BigDecimal(rules.getString(path).trim());
      if (value.signum() < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException("Cannot set alerts.rules." + path + " to '" + rules.getString(path)
          + "': must be a number >= 0");
    }
  }

  public int positiveInt(String rule, String key) {
    int value = number(rule, key).intValueExact();
    if (value < 1) {
      throw new ConfigException("Cannot set alerts.rules." + rule + "." + key + ": must be at least 1");
    }
    return value;
  }

  public Severity anomalyMinSeverity() {
    try {
      return Severity.parse(rules.getString("anomaly.min-severity"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Cannot set alerts.rules.anomaly.min-severity: " + e.getMessage());
    }
  }

  /** Every secret of every channel, for redaction. */
  public List<String> secrets() {
    List<String> all = new ArrayList<>();
    for (ChannelSettings c : channels.values()) {
      all.addAll(c.secrets());
    }
    return all;
  }

  /** The dashboard link of an alert: alerts.dashboard-url with {rule}, {scope_type}, {scope_value} filled in. */
  public String link(String rule, String scopeType, String scopeValue) {
    if (dashboardUrl.isBlank()) {
      return null;
    }
    return dashboardUrl.replace("{rule}", encode(rule)).replace("{scope_type}", encode(scopeType))
        .replace("{scope_value}", encode(scopeValue));
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
