package dev.costlake.alert;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.costlake.config.ConfigException;
import dev.costlake.config.CostlakeConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One monthly budget (budgets.&lt;name&gt; in the config): a scope, an amount in USD per calendar month of
 * the reporting time zone, and the thresholds that turn it to warning, exceeded or forecast_exceeds.
 * A budget on a user or a project is a quota (kind quota), alerted by its own rule. A scope value
 * of * (user:*, project:*, tenant:*, tag:team=*) gives each value of the dimension a budget of its
 * own: a quota per user, say.
 *
 * @param scopeType all, tenant, feature, user, model, project or tag
 * @param scopeValue the tenant_id, feature, ...; all for all; the tag's value for a tag; * for each value
 * @param tagKey the tag's key (scope tag:key=value), else null
 * @param forecastBasis p50, p90 or none: which month-end forecast of gold.spend_forecast is compared
 */
public record Budget(String name, String kind, String scopeType, String scopeValue, String tagKey,
    BigDecimal monthlyUsd, BigDecimal warnPct, BigDecimal exceedPct, String forecastBasis,
    BigDecimal forecastMarginPct) {
  public static final String SECTION = "budgets";
  public static final BigDecimal WARN_PCT_DEFAULT = new BigDecimal("80");
  public static final BigDecimal EXCEED_PCT_DEFAULT = new BigDecimal("100");
  public static final String FORECAST_DEFAULT = "p50";
  public static final BigDecimal FORECAST_MARGIN_PCT_DEFAULT = new BigDecimal("10");

  private static final List<String> KEYS =
      List.of("scope", "monthly-usd", "warn-pct", "exceed-pct", "forecast", "forecast-margin-pct");
  private static final Set<String> SCOPES = Set.of("tenant", "feature", "user", "model", "project", "tag");

  /** The scope as configured: all, tenant:acme, tag:team=search, ... */
  public String scope() {
    return switch (scopeType) {
      case "all" -> "all";
      case "tag" -> "tag:" + tagKey + "=" + scopeValue;
      default -> scopeType + ":" + scopeValue;
    };
  }

  /** Every budget in the config, by name. */
  public static List<Budget> all(CostlakeConfig config) {
    Config section = config.section(SECTION);
    List<Budget> budgets = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : section.root().entrySet()) {
      String name = entry.getKey();
      if (entry.getValue().valueType() != ConfigValueType.OBJECT) {
        throw new ConfigException("Cannot set " + SECTION + "." + name
            + ": must be an object such as { scope = \"tenant:acme\", monthly-usd = 1000 }");
      }
      budgets.add(parse(name, section.getConfig("\"" + name + "\"")));
    }
    budgets.sort(java.util.Comparator.comparing(Budget::name));
    return budgets;
  }

  static Budget parse(String name, Config c) {
    String prefix = SECTION + "." + name + ".";
    for (String key : c.root().keySet()) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("Unknown configuration key '" + prefix + key + "': a budget has " + KEYS);
      }
    }
    if (!c.hasPath("scope") || !c.hasPath("monthly-usd")) {
      throw new ConfigException("Budget " + name + " needs " + prefix + "scope and " + prefix + "monthly-usd");
    }
    String scope = c.getString("scope").trim();
    String type;
    String value;
    String tagKey = null;
    if (scope.equals("all")) {
      type = "all";
      value = "all";
    } else {
      int colon = scope.indexOf(':');
      type = colon < 0 ? "" : scope.substring(0, colon);
      value = colon < 0 ? "" : scope.substring(colon + 1);
      if (!SCOPES.contains(type) || value.isEmpty()) {
        throw new ConfigException("Cannot set " + prefix + "scope to '" + scope
            + "': must be all, tenant:ID, feature:NAME, user:ID, model:NAME, project:NAME or tag:KEY=VALUE,"
            + " or * for the value to give each one its own budget (user:* is a quota per user)");
      }
      if (type.equals("tag")) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
          throw new ConfigException("Cannot set " + prefix + "scope to '" + scope + "': a tag scope is tag:KEY=VALUE");
        }
        tagKey = value.substring(0, eq);
        value = value.substring(eq + 1);
      }
    }
    BigDecimal monthly = amount(c, prefix, "monthly-usd", null);
    if (monthly.signum() <= 0) {
      throw new ConfigException("Cannot set " + prefix + "monthly-usd to " + monthly + ": must be positive");
    }
    BigDecimal warn = amount(c, prefix, "warn-pct", WARN_PCT_DEFAULT);
    BigDecimal exceed = amount(c, prefix, "exceed-pct", EXCEED_PCT_DEFAULT);
    if (warn.signum() <= 0 || exceed.compareTo(warn) < 0) {
      throw new ConfigException("Cannot set " + prefix + "warn-pct to " + warn + " and exceed-pct to " + exceed
          + ": need 0 < warn-pct <= exceed-pct");
    }
    String forecast = c.hasPath("forecast") ? c.getString("forecast") : FORECAST_DEFAULT;
    if (!Set.of("p50", "p90", "none").contains(forecast)) {
      throw new ConfigException("Cannot set " + prefix + "forecast to '" + forecast + "': must be p50, p90 or none");
    }
    BigDecimal margin = amount(c, prefix, "forecast-margin-pct", FORECAST_MARGIN_PCT_DEFAULT);
    if (margin.signum() < 0) {
      throw new ConfigException("Cannot set " + prefix + "forecast-margin-pct to " + margin + ": must be >= 0");
    }
    String kind = type.equals("user") || type.equals("project") ? "quota" : "budget";
    return new Budget(name, kind, type, value, tagKey, monthly, warn, exceed, forecast, margin);
  }

  private static BigDecimal amount(Config c, String prefix, String key, BigDecimal fallback) {
    if (!c.hasPath(key)) {
      if (fallback == null) {
        throw new ConfigException(prefix + key + " must be set");
      }
      return fallback;
    }
    try {
      return new BigDecimal(c.getString(key).trim());
    } catch (NumberFormatException | com.typesafe.config.ConfigException e) {
      throw new ConfigException("Cannot set " + prefix + key + " to '" + c.getValue(key).unwrapped()
          + "': must be a number such as 1000 or 12.50");
    }
  }
}
