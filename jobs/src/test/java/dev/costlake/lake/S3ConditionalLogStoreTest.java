package dev.costlake.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.testing.TestS3;
import dev.costlake.testing.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta commits on S3 are exclusive between processes, not only within one JVM (what Delta's own S3
 * log store guarantees), against a real S3 server (S3Proxy on 127.0.0.1).
 */
class S3ConditionalLogStoreTest {
  static final int VERSIONS = 40;

  @TempDir Path tmp;

  /**
   * Two JVMs write the commit files of the same 40 versions of one table at the same moment, as two
   * cron-started runs would: every version has exactly one writer that was told it succeeded, and
   * holds that writer's content; the other was told the version exists.
   */
  @Test
  void twoProcessesCommittingTheSameVersionsNeverBothSucceed() throws Exception {
    String table = TestS3.bucket("costlake-two-writers") + "/table";
    long startAt = System.currentTimeMillis() + 4_000;
    List<Process> writers = new ArrayList<>();
    for (String name : List.of("first", "second")) {
      writers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Writer.class.getName(),
          table, name, String.valueOf(startAt), String.join(",", settings()))
          .redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".out").toFile()).start());
    }
    for (Process writer : writers) {
      assertTrue(writer.waitFor(2, TimeUnit.MINUTES), "a writer did not finish");
    }
    Map<Integer, List<String>> won = new HashMap<>();
    for (String name : List.of("first", "second")) {
      List<String> lines = Files.readAllLines(tmp.resolve(name + ".out"));
      assertTrue(lines.contains("done"), () -> name + " failed: " + lines);
      for (String line : lines) {
        if (line.startsWith("won ")) {
          won.computeIfAbsent(Integer.parseInt(line.substring(4)), v -> new ArrayList<>()).add(name);
        }
      }
    }
    FileSystem fs = new org.apache.hadoop.fs.Path(table).getFileSystem(TestSpark.session().sparkContext()
        .hadoopConfiguration());
    for (int version = 0; version < VERSIONS; version++) {
      assertEquals(1, won.getOrDefault(version, List.of()).size(), "version " + version + " won by " + won.get(version));
      try (var in = fs.open(Writer.commit(table, version))) {
        assertEquals(won.get(version).get(0) + "\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * A store that ignores If-None-Match would let two runs overwrite each other's commits, and so would
   * S3A told not to send it: nothing is committed there, and the error says what to do.
   */
  @Test
  void aStoreWithoutConditionalWritesIsRefusedBeforeAnyCommit() {
    String ignoring = TestS3.bucketIgnoringConditionalWrites("costlake-overwriting");
    String message = refusal(ignoring + "/table");
    assertTrue(message.contains("does not honour conditional writes (If-None-Match: *): a second create of "
        + ignoring + "/" + S3ConditionalLogStore.CHECK_FOLDER + "/"), message);
    assertTrue(message.contains("S3DynamoDBLogStore"), message);

    TestSpark.session().sparkContext().hadoopConfiguration()
        .set("fs.s3a.bucket.costlake-unconditional.create.conditional.enabled", "false");
    String disabled = TestS3.bucket("costlake-unconditional");
    message = refusal(disabled + "/table");
    assertTrue(message.contains("does not honour conditional writes (If-None-Match: *): S3A refused"), message);
  }

  /** The message of the failure of a Delta write to table, which must fail and commit nothing. */
  private static String refusal(String table) {
    Exception refused = assertThrows(Exception.class,
        () -> TestSpark.session().range(3).write().format("delta").save(table));
    org.apache.hadoop.fs.Path firstCommit = new org.apache.hadoop.fs.Path(table + "/_delta_log/" + String.format("%020d.json", 0));
    try {
      assertTrue(!firstCommit.getFileSystem(TestSpark.session().sparkContext().hadoopConfiguration()).exists(firstCommit),
          "nothing may be committed to " + table);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rootMessage(refused);
  }

  private static String rootMessage(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static List<String> settings() {
    List<String> out = new ArrayList<>();
    TestS3.settings().forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  /**
   * One writer process: at startAt, writes versions 0..VERSIONS-1 of table's log through the log
   * store, printing "won N" for each it created; no Spark, as little as a commit needs.
   */
  public static final class Writer {
    public static void main(String[] args) throws Exception {
      String table = args[0];
      String name = args[1];
      long startAt = Long.parseLong(args[2]);
      Configuration conf = new Configuration();
      for (String setting : args[3].split(",")) {
        conf.set(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
      }
      S3ConditionalLogStore store = new S3ConditionalLogStore(conf);
      commit(table, 0).getFileSystem(conf).exists(commit(table, 0));  // S3A set up before the start
      Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
      for (int version = 0; version < VERSIONS; version++) {
        try {
          store.write(commit(table, version), List.of(name).iterator(), false, conf);
          System.out.println("won " + version);
        } catch (java.nio.file.FileAlreadyExistsException e) {
          System.out.println("lost " + version);
        }
      }
      System.out.println("done");
      System.out.flush();
      System.exit(0);
    }

    static org.apache.hadoop.fs.Path commit(String table, int version) {
      return new org.apache.hadoop.fs.Path(table + "/_delta_log/" + String.format("%020d.json", version));
    }
  }
}
