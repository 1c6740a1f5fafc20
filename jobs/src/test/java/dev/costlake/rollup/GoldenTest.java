package dev.costlake.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.lake.Lakehouse;
import dev.costlake.ops.RunRecorder;
import dev.costlake.pricing.Pricing;
import dev.costlake.testing.TestSpark;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of the gold SQL files: the golden fortnight (src/test/resources/golden/events.jsonl)
 * through ingest and one hourly run, every gold table compared with expected/&lt;table&gt;.csv byte for
 * byte. Regenerate after a deliberate change with -Dgolden.update=true, and review the diff.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenTest {
  private static final Path EXPECTED = Path.of("src/test/resources/golden/expected");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @TempDir static Path tmp;
  private Lakehouse lake;
  private String runId;

  @BeforeAll
  void runTheFortnight() throws IOException {
    RollupFixtures.Fixture fixture = RollupFixtures.fresh(tmp, "golden", Map.of());
    // With Spark's code generation on, as in production (the rest of the suite runs interpreted).
    RunRecorder.Outcome[] ran = new RunRecorder.Outcome[1];
    TestSpark.withCodegen(() -> ran[0] = ScheduledJobs.hourly(fixture.lake(), fixture.config(),
        Pricing.checkedCatalog(fixture.config()), RollupFixtures.CLOCK, RollupFixtures.AS_OF));
    RunRecorder.Outcome outcome = ran[0];
    assertTrue(outcome.succeeded(), () -> "hourly failed: " + outcome.error());
    lake = fixture.lake();
    runId = outcome.runId();
  }

  static List<String> tables() {
    List<String> all = new ArrayList<>(RollupFixtures.GOLD_TABLES);
    all.add(Lakehouse.ROLLUP_CHECKS);
    return all;
  }

  @ParameterizedTest
  @MethodSource("tables")
  void tableMatchesItsGoldenFile(String table) throws IOException {
    Dataset<Row> rows = lake.table(table);
    if (table.equals(Lakehouse.ROLLUP_CHECKS)) {
      // The run id and check time differ on every run; the sums must not.
      rows = rows.where(rows.col("run_id").equalTo(runId)).drop("run_id", "checked_at");
    }
    String actual = csv(rows);
    Path file = EXPECTED.resolve(table + ".csv");
    if (UPDATE) {
      Files.createDirectories(EXPECTED);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(file), () -> file + " is missing: run with -Dgolden.update=true and review it");
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, () -> table + " differs from " + file);
  }

  /** The rows as CSV with a header, every column as Spark casts it to string, sorted by every column. */
  private static String csv(Dataset<Row> rows) throws IOException {
    String[] columns = rows.columns();
    List<org.apache.spark.sql.Column> asText = new ArrayList<>();
    for (String c : columns) {
      asText.add(rows.col(c).cast("string").as(c));
    }
    Dataset<Row> text = rows.select(asText.toArray(org.apache.spark.sql.Column[]::new));
    List<Row> sorted = text.orderBy(java.util.Arrays.stream(columns).map(c -> text.col(c).asc_nulls_first())
        .toArray(org.apache.spark.sql.Column[]::new)).collectAsList();
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(columns)
        .setNullString("null").setRecordSeparator('\n').get())) {
      for (Row row : sorted) {
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
          values[i] = row.isNullAt(i) ? null : row.getString(i);
        }
        printer.printRecord(values);
      }
    }
    return out.toString();
  }
}
