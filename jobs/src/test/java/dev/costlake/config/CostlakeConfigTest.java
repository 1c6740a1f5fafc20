package dev.costlake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration: defaults, file, --set, environment, and errors that name the key and value. */
class CostlakeConfigTest {
  @TempDir Path tmp;

  @Test
  void defaultsWorkWithNoFile() {
    CostlakeConfig config = CostlakeConfig.defaults();
    assertEquals("./data/raw", config.rawPath());
    assertEquals("./lakehouse", config.lakePath());
    assertEquals(Duration.ofHours(1), config.maxClockSkew());
    assertEquals(2000, config.maxFilesPerBatch());
    assertEquals("local[*]", config.sparkMaster());
    assertEquals(Map.of(), config.sparkConf());
  }

  @Test
  void aSetThatAnotherSetWouldShadowIsRefusedAndQuotingFixesIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> CostlakeConfig.load(null, Map.of(
        "spark.conf.spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000",
        "spark.conf.spark.hadoop.fs.s3a.endpoint.region", "us-east-1")));
    assertEquals("--set spark.conf.spark.hadoop.fs.s3a.endpoint would be lost: --set"
        + " spark.conf.spark.hadoop.fs.s3a.endpoint.region makes spark.conf.spark.hadoop.fs.s3a.endpoint a group"
        + " of keys. Quote a key that contains dots, e.g. --set"
        + " 'spark.conf.\"spark.hadoop.fs.s3a.endpoint\"=...'", e.getMessage());

    CostlakeConfig quoted = CostlakeConfig.load(null, Map.of(
        "spark.conf.\"spark.hadoop.fs.s3a.endpoint\"", "http://127.0.0.1:9000",
        "spark.conf.\"spark.hadoop.fs.s3a.endpoint.region\"", "us-east-1"));
    assertEquals(Map.of("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000",
        "spark.hadoop.fs.s3a.endpoint.region", "us-east-1"), quoted.sparkConf());
  }

  @Test
  void fileThenSetOverridesApplyInOrder() throws IOException {
    File file = write("raw.path = \"s3a://bucket/raw\"\nlake.path = /data/lake\n"
        + "ingest.max-clock-skew = 30m\nspark.conf { \"spark.sql.shuffle.partitions\" = 64 }\n");
    CostlakeConfig config = CostlakeConfig.load(file, Map.of(
        "lake.path", "s3a://bucket/lake", "spark.conf.spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000"));
    assertEquals("s3a://bucket/raw", config.rawPath());
    assertEquals("s3a://bucket/lake", config.lakePath());
    assertEquals(Duration.ofMinutes(30), config.maxClockSkew());
    assertEquals(Map.of("spark.sql.shuffle.partitions", "64",
        "spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000"), config.sparkConf());
  }

  @Test
  void environmentVariablesAreSubstituted() throws IOException {
    String home = System.getenv("HOME");
    File file = write("lake.path = ${HOME}\"/lake\"\n");
    assertEquals(home + "/lake", CostlakeConfig.load(file, Map.of()).lakePath());
  }

  @Test
  void unknownKeysAreRejectedWithTheirName() throws IOException {
    ConfigException fromSet = assertThrows(ConfigException.class,
        () -> CostlakeConfig.load(null, Map.of("raw.pth", "/x")));
    assertEquals("Unknown configuration key 'raw.pth' (set in --set raw.pth);"
        + " see conf/costlake.example.conf for every key", fromSet.getMessage());
    File file = write("ingest {\n  max-files = 3\n}\n");
    ConfigException fromFile = assertThrows(ConfigException.class, () -> CostlakeConfig.load(file, Map.of()));
    assertEquals("Unknown configuration key 'ingest.max-files' (set in " + file.getPath()
        + ": 2); see conf/costlake.example.conf for every key", fromFile.getMessage());
  }

  @Test
  void badValuesNameTheKeyAndTheValue() {
    assertEquals("Cannot set ingest.max-clock-skew to 'soon' (from --set ingest.max-clock-skew):"
            + " must be a duration such as 30m, 1h or 7d",
        assertThrows(ConfigException.class,
            () -> CostlakeConfig.load(null, Map.of("ingest.max-clock-skew", "soon"))).getMessage());
    assertEquals("Cannot set ingest.max-files-per-batch to '0' (from --set ingest.max-files-per-batch):"
            + " must be positive",
        assertThrows(ConfigException.class,
            () -> CostlakeConfig.load(null, Map.of("ingest.max-files-per-batch", "0"))).getMessage());
    assertEquals("Cannot set lake.path to ' ' (from --set lake.path): must not be empty",
        assertThrows(ConfigException.class,
            () -> CostlakeConfig.load(null, Map.of("lake.path", " "))).getMessage());
  }

  @Test
  void forecastsDefaultToUtcAndThirteenWeeksOfHistory() {
    CostlakeConfig config = CostlakeConfig.defaults();
    assertEquals(java.time.ZoneOffset.UTC, config.forecastTimeZone().normalized());
    assertEquals(91, config.forecastHistoryDays());
    CostlakeConfig paris = CostlakeConfig.load(null, Map.of("forecast.time-zone", "Europe/Paris",
        "forecast.history-days", "28"));
    assertEquals(java.time.ZoneId.of("Europe/Paris"), paris.forecastTimeZone());
    assertEquals(28, paris.forecastHistoryDays());
  }

  @Test
  void aBadForecastZoneOrTooShortAHistoryNamesTheKeyAndTheValue() {
    assertEquals("Cannot set forecast.time-zone to 'Europe/Pari' (from --set forecast.time-zone):"
            + " must be a time zone such as UTC, Europe/Paris or America/New_York",
        assertThrows(ConfigException.class,
            () -> CostlakeConfig.load(null, Map.of("forecast.time-zone", "Europe/Pari"))).getMessage());
    assertEquals("Cannot set forecast.history-days to '27' (from --set forecast.history-days):"
            + " must be at least 28 (the weekday-and-trend forecast needs 4 weeks)",
        assertThrows(ConfigException.class,
            () -> CostlakeConfig.load(null, Map.of("forecast.history-days", "27"))).getMessage());
  }

  @Test
  void aMissingFileIsAnError() {
    assertEquals("Config file /nope/costlake.conf does not exist or is not a file",
        assertThrows(ConfigException.class,
            () -> CostlakeConfig.load(new File("/nope/costlake.conf"), Map.of())).getMessage());
  }

  private File write(String text) throws IOException {
    Path file = tmp.resolve("costlake.conf");
    Files.writeString(file, text);
    return file.toFile();
  }
}
