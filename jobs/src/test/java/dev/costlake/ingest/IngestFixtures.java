package dev.costlake.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A small raw folder with every kind of record ingest must handle, and the exact outcome of each.
 * Files get increasing modification times, so the arrival order (a, then b, then c) is fixed.
 */
final class IngestFixtures {
  static final String E1 = "{\"event_id\":\"e1\",\"event_time\":\"2026-11-20T05:12:00.123Z\",\"tenant_id\":\"acme\","
      + "\"feature\":\"chat\",\"user_id\":\"u1\",\"project\":\"web\",\"region\":\"us-east-1\",\"environment\":\"production\","
      + "\"provider\":\"OpenAI\",\"model\":\"gpt-4o\",\"operation\":\"chat\",\"service_tier\":\"standard\","
      + "\"input_tokens\":1000,\"cached_input_tokens\":400,\"cache_write_tokens\":0,\"output_tokens\":200,"
      + "\"reasoning_tokens\":0,\"cost_usd\":0.1,\"tags\":{\"team\":\"growth\",\"ab\":\"b\"},\"unknown_extra\":[1,2]}";
  /** e1 re-sent: same content, other key order and spacing, tags reordered. */
  static final String E1_RESENT = "{ \"model\": \"gpt-4o\", \"event_id\": \"e1\", \"event_time\": \"2026-11-20T05:12:00.123Z\","
      + " \"tenant_id\": \"acme\", \"feature\": \"chat\", \"user_id\": \"u1\", \"project\": \"web\", \"region\": \"us-east-1\","
      + " \"environment\": \"production\", \"provider\": \"OpenAI\", \"operation\": \"chat\", \"service_tier\": \"standard\","
      + " \"input_tokens\": 1000, \"cached_input_tokens\": 400, \"cache_write_tokens\": 0, \"output_tokens\": 200,"
      + " \"reasoning_tokens\": 0, \"cost_usd\": 0.10, \"tags\": {\"ab\": \"b\", \"team\": \"growth\"}}";
  /** e1 again with different content: a conflicting duplicate. */
  static final String E1_CONFLICT = E1.replace("\"output_tokens\":200", "\"output_tokens\":999");
  /** Only the required fields; time as epoch milliseconds (2026-11-20T06:00:00Z). */
  static final String E2 = "{\"event_id\":\"e2\",\"event_time\":1795154400000,\"model\":\"claude-3-5-sonnet-20241022\"}";
  /** An offset time, whole-number tokens written as 12.0. */
  static final String E3 = "{\"event_id\":\"e3\",\"event_time\":\"2026-11-20T07:30:00.5+02:00\",\"model\":\"o3-mini\","
      + "\"input_tokens\":12.0,\"output_tokens\":30,\"reasoning_tokens\":20,\"operation\":\"COMPLETION\"}";
  /** The classic cost_events export shape: request_id, timestamp, feature_name, cost (as a string). */
  static final String R1 = "{\"request_id\":\"r1\",\"timestamp\":\"2026-11-21T10:00:00Z\",\"feature_name\":\"search\","
      + "\"model\":\"gpt-4o-mini\",\"cost\":\"0.000123456789\"}";
  /** A cost with 18 significant digits, as a JSON number: kept exactly (a double would not). */
  static final String R2 = "{\"request_id\":\"r2\",\"timestamp\":\"2026-11-21T11:00:00Z\",\"model\":\"gpt-4o\","
      + "\"cost\":123456789.123456789}";

  static final List<String> FILE_A = List.of(
      E1,
      E2,
      E1_RESENT,                                                                      // duplicate
      "{\"event_id\": \"bad1\", \"model\": ",                                         // malformed_json
      "[1,2,3]",                                                                      // malformed_json
      "{\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"gpt-4o\"}",               // missing_event_id
      "{\"event_id\":\"m2\",\"model\":\"gpt-4o\"}",                                   // missing_event_time
      "{\"event_id\":\"m3\",\"event_time\":\"2026-11-20 05:00\",\"model\":\"gpt-4o\"}", // bad_event_time
      "{\"event_id\":\"m4\",\"event_time\":\"2026-11-20T00:00:00Z\"}",                // missing_model
      "{\"event_id\":\"m5\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"input_tokens\":-5}",   // negative_tokens
      "{\"event_id\":\"m6\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"output_tokens\":1.5}", // non_integer_tokens
      "{\"event_id\":\"m7\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"input_tokens\":10,\"cached_input_tokens\":20}", // cached_exceeds_input
      "{\"event_id\":\"m8\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"output_tokens\":5,\"reasoning_tokens\":6}",    // reasoning_exceeds_output
      "{\"event_id\":\"m9\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"cost_usd\":-1}",       // bad_cost
      "{\"event_id\":\"m10\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"cost_usd\":\"abc\"}", // bad_cost
      "{\"event_id\":\"m11\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"cost_usd\":NaN}",     // bad_cost
      "{\"event_id\":\"m12\",\"event_time\":\"2099-01-01T00:00:00Z\",\"model\":\"x\"}",                      // event_time_in_future
      "{\"event_id\":\"" + "x".repeat(201) + "\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\"}",   // field_too_long
      "{\"event_id\":\"m13\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"feature\":\"" + "f".repeat(300) + "\"}", // field_too_long
      "   ",                                                                          // blank: not a record
      "{\"event_id\":\"m14\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"input_tokens\":10,\"cache_write_tokens\":11}", // cache_write_exceeds_input
      "{\"event_id\":\"m15\",\"event_time\":\"2026-11-20T00:00:00Z\",\"model\":\"x\",\"operation\":\"teleport\"}", // bad_operation
      E3);

  static final List<String> FILE_B = List.of(
      E2,           // duplicate, across files
      E1_CONFLICT,  // conflicting_duplicate
      R1,
      R2,
      R1);          // duplicate, within the file

  static final long RECORDS_READ = 22 + 5 + 2 + 1;  // a (blank line excluded) + b + c + the .csv file
  static final long ACCEPTED = 6;                    // e1 e2 e3 r1 r2 p1
  static final long DUPLICATE = 3;
  static final long QUARANTINED = 21;

  private IngestFixtures() {}

  /** Writes a.jsonl, b.jsonl.gz, c/ (Parquet) and notes.csv under raw. */
  static void write(SparkSession spark, Path raw) throws IOException {
    Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
    Path dayA = Files.createDirectories(raw.resolve("dt=2026-11-20/hr=05"));
    Path a = writeLines(dayA.resolve("a.jsonl"), FILE_A, false);
    Path b = writeLines(Files.createDirectories(raw.resolve("other/layout")).resolve("b.jsonl.gz"), FILE_B, true);
    Path parquetDir = raw.resolve("c");
    StructType schema = new StructType()
        .add("event_id", DataTypes.StringType)
        .add("event_time", DataTypes.TimestampType)
        .add("model", DataTypes.StringType)
        .add("input_tokens", DataTypes.LongType)
        .add("output_tokens", DataTypes.LongType)
        .add("cost_usd", DataTypes.createDecimalType(10, 4));
    spark.createDataFrame(List.of(
            RowFactory.create("p1", java.sql.Timestamp.from(Instant.parse("2026-11-21T23:59:59.999Z")), "gemini-2.0-flash", 100L, 10L, new java.math.BigDecimal("1.2345")),
            RowFactory.create("p2", java.sql.Timestamp.from(Instant.parse("2026-11-21T00:00:00Z")), "gemini-2.0-flash", 100L, -10L, null)),
            schema)
        .coalesce(1).write().parquet(parquetDir.toString());
    Path csv = Files.writeString(raw.resolve("notes.csv"), "not,events\n");
    Files.setLastModifiedTime(a, FileTime.from(t0));
    Files.setLastModifiedTime(b, FileTime.from(t0.plusSeconds(60)));
    try (var parts = Files.list(parquetDir)) {
      for (Path part : parts.toList()) {
        Files.setLastModifiedTime(part, FileTime.from(t0.plusSeconds(120)));
      }
    }
    Files.setLastModifiedTime(csv, FileTime.from(t0.plusSeconds(180)));
  }

  static Path writeLines(Path file, List<String> lines, boolean gzip) throws IOException {
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes);
    }
    return file;
  }
}
