package dev.costlake.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.BadValue;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * costlake's validated configuration: built-in defaults, then the user's HOCON file, then --set
 * overrides, with ${ENV_VAR} substitution. Unknown keys and bad values fail before Spark starts.
 */
public final class CostlakeConfig {
  public static final String RAW_PATH = "raw.path";
  public static final String LAKE_PATH = "lake.path";
  public static final String INGEST_MAX_CLOCK_SKEW = "ingest.max-clock-skew";
  public static final String INGEST_MAX_FILES_PER_BATCH = "ingest.max-files-per-batch";
  public static final String INGEST_MAX_FILE_AGE = "ingest.max-file-age";
  public static final String INGEST_MAX_DIMENSION_LENGTH = "ingest.max-dimension-length";
  public static final String PRICES_CATALOG = "prices.catalog";
  public static final String PRICES_ALIASES = "prices.aliases";
  public static final String ROLLUPS_LATENESS = "rollups.lateness";
  public static final String ROLLUPS_TOP_N = "rollups.top-n";
  public static final String ROLLUPS_TREND_DAYS = "rollups.trend-days";
  public static final String ANOMALIES_Z_THRESHOLD = "anomalies.z-threshold";
  public static final String ANOMALIES_METHOD = "anomalies.method";
  public static final String ANOMALIES_MIN_BASELINE_PERIODS = "anomalies.min-baseline-periods";
  public static final String ANOMALIES_MIN_IMPACT_USD = "anomalies.min-impact-usd";
  public static final String ANOMALIES_MIN_STDDEV_FRACTION = "anomalies.min-stddev-fraction";
  public static final String ANOMALIES_HOUR_BASELINE_WEEKS = "anomalies.hour-baseline-weeks";
  public static final String ANOMALIES_TRAILING_HOURS = "anomalies.trailing-hours";
  public static final String ANOMALIES_DAY_BASELINE_DAYS = "anomalies.day-baseline-days";
  public static final String JOBS_LOCK_WAIT = "jobs.lock-wait";
  public static final String JOBS_LOCK_TTL = "jobs.lock-ttl";
  public static final String SERVE_HOURLY_MINUTE = "serve.hourly-minute";
  public static final String SERVE_NIGHTLY_TIME = "serve.nightly-time";
  public static final String MAINTENANCE_OPTIMIZE_DAYS = "maintenance.optimize-days";
  public static final String FORECAST_TIME_ZONE = "forecast.time-zone";
  public static final String FORECAST_HISTORY_DAYS = "forecast.history-days";
  /** The weekday-and-trend forecast needs 4 weeks of history; a shorter window would never allow it. */
  public static final int FORECAST_HISTORY_DAYS_MIN = 28;
  public static final String POSTGRES_URL = "postgres.url";
  public static final String POSTGRES_USER = "postgres.user";
  public static final String POSTGRES_PASSWORD = "postgres.password";
  public static final String POSTGRES_SCHEMA = "postgres.schema";
  /** Room for the _staging and _reader_all suffixes within PostgreSQL's 63-character names. */
  public static final int POSTGRES_SCHEMA_MAX_LENGTH = 40;
  public static final String SPARK_MASTER = "spark.master";
  public static final String SPARK_CONF = "spark.conf";

  private static final String DEFAULTS_RESOURCE = "costlake/defaults.conf";
  /** Subtrees whose keys are free-form (passed through to Spark), so not checked against defaults. */
  private static final List<String> FREE_FORM = List.of(SPARK_CONF, PRICES_ALIASES, "budgets", "alerts.channels");

  private final Config config;

  private CostlakeConfig(Config config) {
    this.config = config;
    validate();
  }

  /** Defaults only: what a new user gets with no file and no overrides. */
  public static CostlakeConfig defaults() {
    return load(null, Map.of());
  }

  /**
   * Refuses --set K=... next to --set K.SUB=...: HOCON reads both as paths, so K's value would be
   * replaced by an object holding SUB and silently lost. It happens with Spark keys that extend one
   * another (spark.hadoop.fs.s3a.endpoint and spark.hadoop.fs.s3a.endpoint.region), which --conf takes
   * whole; the message gives the --conf options to paste instead.
   */
  static void rejectShadowedSets(Map<String, String> overrides) {
    for (String key : overrides.keySet()) {
      for (String other : overrides.keySet()) {
        if (!other.startsWith(key + ".")) {
          continue;
        }
        String lost = "--set " + key + " would be lost: --set " + other + " makes " + key + " a group of keys";
        if (isSparkKey(key)) {
          throw new ConfigException(lost + ". Pass Spark settings with --conf, which takes their keys whole: "
              + sparkOption(sparkKey(key), overrides.get(key)) + " "
              + sparkOption(sparkKey(other), overrides.get(other)));
        }
        throw new ConfigException(lost + "; set only one of them");
      }
    }
  }

  /** A --set key that names a Spark setting: under spark.conf, or a Spark key given at the top level. */
  private static boolean isSparkKey(String key) {
    return key.startsWith("spark.") && !key.equals(SPARK_MASTER);
  }

  /** The Spark setting a --set key names: spark.conf.spark.x and spark.x are both spark.x. */
  private static String sparkKey(String key) {
    String prefix = SPARK_CONF + ".";
    return key.startsWith(prefix) ? key.substring(prefix.length()).replace("\"", "") : key;
  }

  /** The option that sets one Spark setting, quoted for a POSIX shell, to paste as it is. */
  static String sparkOption(String sparkKey, String value) {
    String shown = SECRET_KEY.matcher(sparkKey).find() ? "..." : value;
    return sparkKey.startsWith("spark.")
        ? "--conf " + shellQuoted(sparkKey + "=" + shown)
        : "--set " + shellQuoted(SPARK_CONF + ".\"" + sparkKey + "\"=" + shown);
  }

  /** Keys whose values an error message does not repeat. */
  private static final java.util.regex.Pattern SECRET_KEY =
      java.util.regex.Pattern.compile("(?i)secret|password|token|credential|access\\.key");

  private static String shellQuoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** Loads the configuration, with no --conf settings. */
  public static CostlakeConfig load(File file, Map<String, String> overrides) {
    return load(file, overrides, Map.of());
  }

  /**
   * Loads the configuration.
   *
   * @param file a HOCON file, or null for none
   * @param overrides key=value pairs from --set, applied last; values are taken as strings
   * @param sparkSettings key=value pairs from --conf: Spark keys verbatim, as spark-submit --conf takes
   *     them, each the setting spark.conf."KEY"; applied with the overrides
   */
  public static CostlakeConfig load(File file, Map<String, String> overrides, Map<String, String> sparkSettings) {
    Config defaults =
        ConfigFactory.parseResources(
            CostlakeConfig.class.getClassLoader(),
            DEFAULTS_RESOURCE,
            ConfigParseOptions.defaults().setAllowMissing(false));
    Config user = ConfigFactory.empty();
    if (file != null) {
      if (!file.isFile()) {
        throw new ConfigException("Config file " + file + " does not exist or is not a file");
      }
      try {
        user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException("Cannot parse config file " + file + ": " + e.getMessage(), e);
      }
    }
    rejectShadowedSets(overrides);
    Config sets = ConfigFactory.empty();
    for (Map.Entry<String, String> setting : sparkSettings.entrySet()) {
      String key = setting.getKey();
      if (!key.startsWith("spark.") || key.contains("\"")) {
        throw new ConfigException("--conf " + key + " is not a Spark setting (their keys start with spark.);"
            + " costlake's own keys go in --set: --set " + shellQuoted(key + "=" + setting.getValue()));
      }
      sets = sets.withValue(com.typesafe.config.ConfigUtil.joinPath(List.of("spark", "conf", key)),
          ConfigValueFactory.fromAnyRef(setting.getValue(), "--conf " + key));
    }
    for (Map.Entry<String, String> override : overrides.entrySet()) {
      try {
        // Values from the command line are strings (an s3a:// URI would be a HOCON comment);
        // typed getters convert "8" or "2h" as needed.
        sets =
            sets.withValue(
                override.getKey(),
                ConfigValueFactory.fromAnyRef(override.getValue(), "--set " + override.getKey()));
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException(
            "Cannot parse --set " + override.getKey() + "=" + override.getValue() + ": "
                + e.getMessage(), e);
      }
    }
    rejectUnknownKeys(user, defaults);
    rejectUnknownKeys(sets, defaults);
    Config merged;
    try {
      // Environment variables resolve ${VAR} and ${?VAR} references in the user's file.
      Config resolved =
          sets.withFallback(user)
              .withFallback(defaults)
              .withFallback(ConfigFactory.systemEnvironment())
              .resolve(ConfigResolveOptions.defaults());
      // Keep costlake's own subtrees; the environment was only there to resolve ${VAR}.
      merged = ConfigFactory.empty();
      for (String root : defaults.root().keySet()) {
        merged = merged.withFallback(resolved.withOnlyPath(root));
      }
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Cannot resolve configuration: " + e.getMessage(), e);
    }
    return new CostlakeConfig(merged);
  }

  private static void rejectUnknownKeys(Config user, Config defaults) {
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String key = entry.getKey();
      if (isFreeForm(key)) {
        continue;
      }
      if (!defaults.hasPathOrNull(key) && isSparkKey(key)) {
        String origin = entry.getValue().origin().description();
        String fix = origin.startsWith("--set")
            ? "Spark settings go in --conf, which takes their keys whole: "
                + sparkOption(key, String.valueOf(entry.getValue().unwrapped()))
            : "Spark settings go under spark.conf, their keys quoted: spark.conf { \"" + key + "\" = "
                + entry.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()) + " }";
        throw new ConfigException("Unknown configuration key '" + key + "' (set in " + origin + "); " + fix);
      }
      if (!defaults.hasPathOrNull(key)) {
        throw new ConfigException(
            "Unknown configuration key '" + key + "' (set in "
                + entry.getValue().origin().description()
                + "); see conf/costlake.example.conf for every key");
      }
    }
  }

  private static boolean isFreeForm(String key) {
    for (String prefix : FREE_FORM) {
      if (key.startsWith(prefix + ".")) {
        return true;
      }
    }
    return false;
  }

  private void validate() {
    uri(RAW_PATH);
    uri(LAKE_PATH);
    positiveDuration(INGEST_MAX_CLOCK_SKEW);
    positiveDuration(INGEST_MAX_FILE_AGE);
    positiveInt(INGEST_MAX_FILES_PER_BATCH);
    positiveInt(INGEST_MAX_DIMENSION_LENGTH);
    positiveDuration(ROLLUPS_LATENESS);
    positiveInt(ROLLUPS_TOP_N);
    positiveInt(ROLLUPS_TREND_DAYS);
    positiveDouble(ANOMALIES_Z_THRESHOLD);
    anomalyRobust();
    positiveInt(ANOMALIES_MIN_BASELINE_PERIODS);
    anomalyMinImpactUsd();
    nonNegativeDouble(ANOMALIES_MIN_STDDEV_FRACTION);
    positiveInt(ANOMALIES_HOUR_BASELINE_WEEKS);
    positiveInt(ANOMALIES_TRAILING_HOURS);
    positiveInt(ANOMALIES_DAY_BASELINE_DAYS);
    positiveDuration(JOBS_LOCK_WAIT);
    positiveDuration(JOBS_LOCK_TTL);
    serveHourlyMinute();
    serveNightlyTime();
    positiveInt(MAINTENANCE_OPTIMIZE_DAYS);
    forecastTimeZone();
    forecastHistoryDays();
    nonEmptyString(SPARK_MASTER);
    sparkConf();
    postgres();
    pricesCatalog();
    priceAliases();
    // Budgets and alert channels are free-form subtrees: their own parsers check every key.
    dev.costlake.alert.Budget.all(this);
    dev.costlake.alert.AlertSettings.from(this);
  }

  /**
   * A subtree as it was configured, for the sections that parse themselves (budgets, alerts);
   * an empty one when absent.
   */
  public Config section(String path) {
    return config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty();
  }

  private String nonEmptyString(String key) {
    String value;
    try {
      value = config.getString(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw bad(key, "must be a string");
    }
    if (value.isBlank()) {
      throw bad(key, "must not be empty");
    }
    return value;
  }

  private String uri(String key) {
    String value = nonEmptyString(key);
    try {
      new URI(value.replace(" ", "%20"));
    } catch (URISyntaxException e) {
      throw bad(key, "must be a local path or a Hadoop URI such as s3a://bucket/prefix");
    }
    return value;
  }

  private double positiveDouble(String key) {
    double value = number(key);
    if (!(value > 0)) {
      throw bad(key, "must be a positive number");
    }
    return value;
  }

  private double nonNegativeDouble(String key) {
    double value = number(key);
    if (!(value >= 0)) {
      throw bad(key, "must be a number >= 0");
    }
    return value;
  }

  private double number(String key) {
    try {
      double value = config.getDouble(key);
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw bad(key, "must be a finite number");
      }
      return value;
    } catch (com.typesafe.config.ConfigException e) {
      throw bad(key, "must be a number");
    }
  }

  public double anomalyZThreshold() {
    return positiveDouble(ANOMALIES_Z_THRESHOLD);
  }

  /** anomalies.method: robust (median and MAD) or mean-stddev. */
  public boolean anomalyRobust() {
    String method = nonEmptyString(ANOMALIES_METHOD);
    return switch (method) {
      case "robust" -> true;
      case "mean-stddev" -> false;
      default -> throw bad(ANOMALIES_METHOD, "must be mean-stddev or robust");
    };
  }

  public int anomalyMinBaselinePeriods() {
    return positiveInt(ANOMALIES_MIN_BASELINE_PERIODS);
  }

  public java.math.BigDecimal anomalyMinImpactUsd() {
    java.math.BigDecimal value;
    try {
      value = new java.math.BigDecimal(config.getString(ANOMALIES_MIN_IMPACT_USD));
    } catch (NumberFormatException | com.typesafe.config.ConfigException e) {
      throw bad(ANOMALIES_MIN_IMPACT_USD, "must be an amount in USD such as 5 or 0.50");
    }
    if (value.signum() < 0) {
      throw bad(ANOMALIES_MIN_IMPACT_USD, "must be >= 0");
    }
    return value;
  }

  public double anomalyMinStddevFraction() {
    return nonNegativeDouble(ANOMALIES_MIN_STDDEV_FRACTION);
  }

  public int anomalyHourBaselineWeeks() {
    return positiveInt(ANOMALIES_HOUR_BASELINE_WEEKS);
  }

  public int anomalyTrailingHours() {
    return positiveInt(ANOMALIES_TRAILING_HOURS);
  }

  public int anomalyDayBaselineDays() {
    return positiveInt(ANOMALIES_DAY_BASELINE_DAYS);
  }

  private int positiveInt(String key) {
    int value;
    try {
      value = config.getInt(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw bad(key, "must be a whole number");
    }
    if (value <= 0) {
      throw bad(key, "must be positive");
    }
    return value;
  }

  private Duration positiveDuration(String key) {
    Duration value;
    try {
      value = config.getDuration(key);
    } catch (BadValue | com.typesafe.config.ConfigException.WrongType e) {
      throw bad(key, "must be a duration such as 30m, 1h or 7d");
    }
    if (value.isNegative() || value.isZero()) {
      throw bad(key, "must be a positive duration");
    }
    return value;
  }

  private ConfigException bad(String key, String rule) {
    ConfigValue value = config.hasPathOrNull(key) ? config.getValue(key) : null;
    String shown = value == null ? "null" : String.valueOf(value.unwrapped());
    String origin = value == null ? "" : " (from " + value.origin().description() + ")";
    return new ConfigException(
        String.format("Cannot set %s to '%s'%s: %s", key, shown, origin, rule));
  }

  public String rawPath() {
    return config.getString(RAW_PATH);
  }

  public String lakePath() {
    return config.getString(LAKE_PATH);
  }

  public Duration maxClockSkew() {
    return config.getDuration(INGEST_MAX_CLOCK_SKEW);
  }

  public Duration maxFileAge() {
    return config.getDuration(INGEST_MAX_FILE_AGE);
  }

  public int maxFilesPerBatch() {
    return config.getInt(INGEST_MAX_FILES_PER_BATCH);
  }

  public int maxDimensionLength() {
    return config.getInt(INGEST_MAX_DIMENSION_LENGTH);
  }

  public Duration lateness() {
    return config.getDuration(ROLLUPS_LATENESS);
  }

  public int topN() {
    return config.getInt(ROLLUPS_TOP_N);
  }

  public int trendDays() {
    return config.getInt(ROLLUPS_TREND_DAYS);
  }

  public Duration lockWait() {
    return config.getDuration(JOBS_LOCK_WAIT);
  }

  public Duration lockTtl() {
    return config.getDuration(JOBS_LOCK_TTL);
  }

  /** serve.hourly-minute: the minute past every UTC hour `costlake serve` runs the hourly job at. */
  public int serveHourlyMinute() {
    int value;
    try {
      value = config.getInt(SERVE_HOURLY_MINUTE);
    } catch (com.typesafe.config.ConfigException e) {
      throw bad(SERVE_HOURLY_MINUTE, "must be a whole minute from 0 to 59");
    }
    if (value < 0 || value > 59) {
      throw bad(SERVE_HOURLY_MINUTE, "must be a whole minute from 0 to 59");
    }
    return value;
  }

  /** serve.nightly-time: the UTC time of day `costlake serve` runs the nightly job at. */
  public java.time.LocalTime serveNightlyTime() {
    String value = string(SERVE_NIGHTLY_TIME);
    // HH:MM exactly: LocalTime.parse would also take seconds, which a daily schedule does not need.
    if (!value.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
      throw bad(SERVE_NIGHTLY_TIME, "must be a UTC time of day as HH:MM, from 00:00 to 23:59");
    }
    return java.time.LocalTime.parse(value);
  }

  public int optimizeDays() {
    return config.getInt(MAINTENANCE_OPTIMIZE_DAYS);
  }

  /** The reporting time zone: forecasts' days and months are its calendar days. */
  public java.time.ZoneId forecastTimeZone() {
    String value = nonEmptyString(FORECAST_TIME_ZONE);
    try {
      return java.time.ZoneId.of(value);
    } catch (java.time.DateTimeException e) {
      throw bad(FORECAST_TIME_ZONE, "must be a time zone such as UTC, Europe/Paris or America/New_York");
    }
  }

  /** Days of daily spend before the run date the forecasts learn from. */
  public int forecastHistoryDays() {
    int value = positiveInt(FORECAST_HISTORY_DAYS);
    if (value < FORECAST_HISTORY_DAYS_MIN) {
      throw bad(FORECAST_HISTORY_DAYS, "must be at least " + FORECAST_HISTORY_DAYS_MIN
          + " (the weekday-and-trend forecast needs 4 weeks)");
    }
    return value;
  }

  public String sparkMaster() {
    return config.getString(SPARK_MASTER);
  }

  /** Spark settings from spark.conf, flattened to their dotted names. */
  public Map<String, String> sparkConf() {
    Map<String, String> settings = new TreeMap<>();
    Config sub = config.getConfig(SPARK_CONF);
    for (Map.Entry<String, ConfigValue> entry : sub.entrySet()) {
      ConfigValue value = entry.getValue();
      if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
        throw bad(SPARK_CONF + "." + entry.getKey(), "must be a single value");
      }
      // entrySet quotes path elements that need it; Spark keys are plain dotted names.
      settings.put(entry.getKey().replace("\"", ""), String.valueOf(value.unwrapped()));
    }
    return settings;
  }

  /** The user's price catalog file, or null for the built-in catalog only. */
  public java.nio.file.Path pricesCatalog() {
    String value;
    try {
      value = config.getString(PRICES_CATALOG);
    } catch (com.typesafe.config.ConfigException e) {
      throw bad(PRICES_CATALOG, "must be the path of a CSV price catalog, or empty");
    }
    if (value.isBlank()) {
      return null;
    }
    java.nio.file.Path path = java.nio.file.Path.of(value);
    if (!java.nio.file.Files.isRegularFile(path)) {
      throw bad(PRICES_CATALOG, "no such file");
    }
    return path;
  }

  /** prices.aliases: reported model name -> catalog model. */
  public Map<String, String> priceAliases() {
    Map<String, String> aliases = new TreeMap<>();
    Config sub;
    try {
      sub = config.getConfig(PRICES_ALIASES);
    } catch (com.typesafe.config.ConfigException e) {
      throw bad(PRICES_ALIASES, "must be an object of \"reported name\" = \"catalog model\"");
    }
    for (Map.Entry<String, ConfigValue> entry : sub.root().entrySet()) {
      ConfigValue value = entry.getValue();
      if (value.valueType() != ConfigValueType.STRING) {
        throw bad(PRICES_ALIASES + ".\"" + entry.getKey() + "\"", "must be a catalog model name");
      }
      aliases.put(entry.getKey(), (String) value.unwrapped());
    }
    return aliases;
  }

  /** The PostgreSQL connection to publish to (postgres.*), or null when postgres.url is empty. */
  public PostgresSettings postgres() {
    String url = string(POSTGRES_URL);
    String schema = string(POSTGRES_SCHEMA);
    if (!schema.matches("[a-z_][a-z0-9_]*") || schema.length() > POSTGRES_SCHEMA_MAX_LENGTH) {
      throw bad(POSTGRES_SCHEMA, "must be a lowercase PostgreSQL name (letters, digits, _) of at most "
          + POSTGRES_SCHEMA_MAX_LENGTH + " characters");
    }
    if (url.isBlank()) {
      return null;
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw bad(POSTGRES_URL, "must be a JDBC URL such as jdbc:postgresql://host:5432/database, or empty");
    }
    String user = string(POSTGRES_USER);
    if (user.isBlank()) {
      throw bad(POSTGRES_USER, "must be set when postgres.url is");
    }
    return new PostgresSettings(url, user, string(POSTGRES_PASSWORD), schema);
  }

  private String string(String key) {
    try {
      return config.getString(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw bad(key, "must be a string");
    }
  }

  /** A copy with one key replaced (validated again). */
  public CostlakeConfig with(String key, Object value) {
    return new CostlakeConfig(config.withValue(key, ConfigValueFactory.fromAnyRef(value, "override")));
  }
}
