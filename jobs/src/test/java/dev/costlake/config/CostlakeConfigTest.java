package dev.costlake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
  void sparkSettingsTakeTheirKeysWholeFromConf() {
    CostlakeConfig config = fromCommandLine("--conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000"
        + " --conf spark.hadoop.fs.s3a.endpoint.region=us-east-1 --set lake.path=s3a://bucket/lake");
    assertEquals(Map.of("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000",
        "spark.hadoop.fs.s3a.endpoint.region", "us-east-1"), config.sparkConf());
    assertEquals("s3a://bucket/lake", config.lakePath());
  }

  @Test
  void sparkKeysThatExtendOneAnotherInSetAreRefusedWithConfOptionsThatWorkWhenPasted() {
    String fix = "--conf 'spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000'"
        + " --conf 'spark.hadoop.fs.s3a.endpoint.region=us-east-1'";
    for (String prefix : List.of("", "spark.conf.")) {
      ConfigException e = assertThrows(ConfigException.class, () -> fromCommandLine(
          "--set " + prefix + "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000"
              + " --set " + prefix + "spark.hadoop.fs.s3a.endpoint.region=us-east-1"));
      assertEquals("--set " + prefix + "spark.hadoop.fs.s3a.endpoint would be lost: --set " + prefix
          + "spark.hadoop.fs.s3a.endpoint.region makes " + prefix + "spark.hadoop.fs.s3a.endpoint a group of keys."
          + " Pass Spark settings with --conf, which takes their keys whole: " + fix, e.getMessage());
      assertEquals(Map.of("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000",
          "spark.hadoop.fs.s3a.endpoint.region", "us-east-1"), fromCommandLine(suggestion(e)).sparkConf());
    }
    // Quoting the Spark key inside --set still works, as before.
    assertEquals(Map.of("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000",
            "spark.hadoop.fs.s3a.endpoint.region", "us-east-1"),
        fromCommandLine("--set 'spark.conf.\"spark.hadoop.fs.s3a.endpoint\"=http://127.0.0.1:9000'"
            + " --set 'spark.conf.\"spark.hadoop.fs.s3a.endpoint.region\"=us-east-1'").sparkConf());
  }

  @Test
  void aSparkKeyInSetIsRefusedWithAConfOptionThatWorksWhenPasted() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromCommandLine(
        "--set \"spark.executor.extraJavaOptions=-Dnote=it's here\""));
    assertEquals("Unknown configuration key 'spark.executor.extraJavaOptions' (set in --set"
        + " spark.executor.extraJavaOptions); Spark settings go in --conf, which takes their keys whole:"
        + " --conf 'spark.executor.extraJavaOptions=-Dnote=it'\\''s here'", e.getMessage());
    assertEquals(Map.of("spark.executor.extraJavaOptions", "-Dnote=it's here"),
        fromCommandLine(suggestion(e)).sparkConf());
  }

  @Test
  void aSecretIsNotRepeatedInTheSuggestion() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromCommandLine(
        "--set spark.hadoop.fs.s3a.secret.key=s3cret"));
    assertEquals("Unknown configuration key 'spark.hadoop.fs.s3a.secret.key' (set in --set"
        + " spark.hadoop.fs.s3a.secret.key); Spark settings go in --conf, which takes their keys whole:"
        + " --conf 'spark.hadoop.fs.s3a.secret.key=...'", e.getMessage());
  }

  @Test
  void aSparkKeyAtTheTopOfAFileIsRefusedWithTheBlockThatWorksWhenPasted() throws IOException {
    File file = write("spark.sql.shuffle.partitions = 64\n");
    ConfigException e = assertThrows(ConfigException.class, () -> CostlakeConfig.load(file, Map.of()));
    assertEquals("Unknown configuration key 'spark.sql.shuffle.partitions' (set in " + file.getPath() + ": 1);"
        + " Spark settings go under spark.conf, their keys quoted:"
        + " spark.conf { \"spark.sql.shuffle.partitions\" = 64 }", e.getMessage());
    File fixed = write(suggestion(e) + "\n");
    assertEquals(Map.of("spark.sql.shuffle.partitions", "64"), CostlakeConfig.load(fixed, Map.of()).sparkConf());
  }

  @Test
  void aCostlakeKeyInConfIsRefusedWithASetThatWorksWhenPasted() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromCommandLine("--conf lake.path=/data/lake"));
    assertEquals("--conf lake.path is not a Spark setting (their keys start with spark.); costlake's own keys go"
        + " in --set: --set 'lake.path=/data/lake'", e.getMessage());
    assertEquals("/data/lake", fromCommandLine(suggestion(e)).lakePath());
  }

  @Test
  void costlakeKeysThatExtendOneAnotherAreRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> fromCommandLine(
        "--set lake.path=/a --set lake.path.x=/b"));
    assertEquals("--set lake.path would be lost: --set lake.path.x makes lake.path a group of keys;"
        + " set only one of them", e.getMessage());
  }

  /** The options a message suggests: what follows its last ": ". */
  private static String suggestion(ConfigException e) {
    return e.getMessage().substring(e.getMessage().lastIndexOf(": ") + 2);
  }

  @picocli.CommandLine.Command(name = "any")
  static final class AnyCommand {
    @picocli.CommandLine.Mixin dev.costlake.cli.CommonOptions common;
  }

  /** The configuration a command line gives, as a POSIX shell splits it and picocli parses it. */
  private static CostlakeConfig fromCommandLine(String line) {
    AnyCommand command = new AnyCommand();
    new picocli.CommandLine(command).parseArgs(shellWords(line).toArray(String[]::new));
    return command.common.config();
  }

  /** Splits a line into words as sh does for quotes and backslashes (no expansions). */
  private static List<String> shellWords(String line) {
    List<String> words = new java.util.ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      }
    }
    assertEquals(0, quote, "unterminated quote in: " + line);
    if (word != null) {
      words.add(word.toString());
    }
    return words;
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
