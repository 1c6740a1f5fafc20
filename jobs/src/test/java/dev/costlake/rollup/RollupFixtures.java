package dev.costlake.rollup;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.Folders;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/** The golden fortnight of events (src/test/resources/golden/events.jsonl) in a fresh lakehouse. */
final class RollupFixtures {
  /** The hourly runs of the tests run as of this instant: the day after the last event. */
  static final Instant AS_OF = Instant.parse("2026-11-21T01:00:00Z");
  static final LocalDate AS_OF_DATE = LocalDate.ofInstant(AS_OF, ZoneOffset.UTC);
  static final Clock CLOCK = Clock.fixed(AS_OF, ZoneOffset.UTC);
  static final Path EVENTS = Path.of("src/test/resources/golden/events.jsonl");
  static final long EVENT_COUNT = 17;

  /** Every gold table, plus the books of the last run, in the order the golden files list them. */
  static final List<String> GOLD_TABLES = List.of(Lakehouse.COST_HOURLY, Lakehouse.COST_HOURLY_BY_USER, Lakehouse.COST_DAILY,
      Lakehouse.COST_DAILY_BY_TENANT, Lakehouse.COST_DAILY_BY_FEATURE, Lakehouse.COST_DAILY_BY_MODEL,
      Lakehouse.COST_DAILY_BY_USER, Lakehouse.COST_DAILY_BY_REGION, Lakehouse.COST_DAILY_TOTAL,
      Lakehouse.TOP_COST_DRIVERS, Lakehouse.COST_PER_REQUEST_TREND);

  private RollupFixtures() {}

  record Fixture(Lakehouse lake, CostlakeConfig config, Path raw) {}

  /** A lakehouse whose raw folder holds the golden events (not yet ingested). */
  static Fixture fresh(Path tmp, String name, Map<String, String> settings) throws IOException {
    Path raw = Files.createDirectories(tmp.resolve(name + "-raw/dt=2026-11-09"));
    Files.copy(EVENTS, raw.resolve("events.jsonl"));
    CostlakeConfig config = TestSpark.config(tmp.resolve(name + "-lake"), tmp.resolve(name + "-raw"), settings);
    return new Fixture(TestSpark.lake(config), config, tmp.resolve(name + "-raw"));
  }

  /** The golden events after one hourly run, built once per test run; see afterFirstHourly. */
  private static Path template;

  /**
   * A lakehouse as the first hourly run over the golden events leaves it: a copy of one built once
   * (an hourly run from scratch costs a test most of a minute). Its raw folder is shared by every
   * such fixture, because the ingest stream's checkpoint names the raw files it has read by path;
   * the files a test adds (under late/) are removed for the next one, so tests using it must not
   * run concurrently (JUnit runs a class's tests one at a time).
   */
  static synchronized Fixture afterFirstHourly(Path tmp, String name) throws IOException {
    if (template == null) {
      Path root = Files.createTempDirectory("costlake-rollup-template");
      Fixture built = fresh(root, "template", Map.of());
      dev.costlake.ops.RunRecorder.Outcome first = ScheduledJobs.hourly(built.lake(), built.config(),
          dev.costlake.pricing.Pricing.checkedCatalog(built.config()), CLOCK, AS_OF);
      if (!first.succeeded()) {
        throw new IllegalStateException("the template's hourly run failed", first.error());
      }
      template = root;
    }
    Path raw = template.resolve("template-raw");
    Folders.deleteRecursively(raw.resolve("late"));
    Path lake = tmp.resolve(name + "-lake");
    copyTree(template.resolve("template-lake"), lake);
    CostlakeConfig config = TestSpark.config(lake, raw, Map.of());
    return new Fixture(TestSpark.lake(config), config, raw);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  /** Writes more raw events (JSON lines) as a new file. */
  static void addRawFile(Fixture fixture, String name, List<String> lines) throws IOException {
    Path dir = Files.createDirectories(fixture.raw().resolve("late"));
    Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  /** One raw event line, gpt-4o-mini, 1,000 input and 100 output tokens. */
  static String event(String id, String time, String tenant) {
    return "{\"event_id\":\"" + id + "\",\"event_time\":\"" + time + "\",\"tenant_id\":\"" + tenant + "\","
        + "\"feature\":\"chat\",\"user_id\":\"u9\",\"model\":\"gpt-4o-mini\",\"provider\":\"openai\","
        + "\"region\":\"us-east-1\",\"environment\":\"production\",\"input_tokens\":1000,\"output_tokens\":100}";
  }

  /** A table's rows as sorted strings, every column cast to string: tables compare exactly. */
  static List<String> rows(Lakehouse lake, String table) {
    var df = lake.table(table);
    String[] columns = df.columns();
    List<org.apache.spark.sql.Column> cast = new ArrayList<>();
    for (String c : columns) {
      cast.add(org.apache.spark.sql.functions.coalesce(df.col(c).cast("string"), org.apache.spark.sql.functions.lit("null")));
    }
    List<String> out = new ArrayList<>();
    for (Row row : df.select(org.apache.spark.sql.functions.concat_ws("|", cast.toArray(org.apache.spark.sql.Column[]::new)))
        .collectAsList()) {
      out.add(row.getString(0));
    }
    out.sort(null);
    return out;
  }

  /** Every gold table's rows. */
  static Map<String, List<String>> snapshot(Lakehouse lake) {
    Map<String, List<String>> all = new java.util.LinkedHashMap<>();
    for (String table : GOLD_TABLES) {
      all.put(table, rows(lake, table));
    }
    return all;
  }
}
