package dev.costlake.lake;

import io.delta.storage.HDFSLogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Delta's log store for local paths (HDFSLogStore) that ends the JVM with Runtime.halt, as abruptly
 * as a SIGKILL (no shutdown hooks, no finally blocks), while one table's first commit (version 0, its
 * creation) is written. A test starts costlake in a JVM of its own with
 * {@code -Dspark.delta.logStore.file.impl=dev.costlake.lake.HaltingLogStore} and the two properties below.
 */
public class HaltingLogStore extends HDFSLogStore {
  /** The table folder whose creation is interrupted, relative to lake.path: silver/cost_events. */
  public static final String TABLE = "costlake.test.halt-table";
  /** Where in the commit: {@link When}. */
  public static final String WHEN = "costlake.test.halt-when";
  /** The exit code of a halted JVM: a SIGKILLed one's (128 + 9). */
  public static final int EXIT_CODE = 137;

  /** The moments of a table's first commit at which the process dies. */
  public enum When {
    /** Delta made the table's _delta_log folders and is about to write version 0. */
    BEFORE_COMMIT,
    /** Half of version 0 is in the temporary file HDFSLogStore renames into place. */
    WRITING_COMMIT,
    /** Version 0 is committed: the table exists, the run has not gone any further. */
    AFTER_COMMIT
  }

  private static final String FIRST_COMMIT = "/_delta_log/00000000000000000000.json";

  public HaltingLogStore(Configuration hadoopConf) {
    super(hadoopConf);
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    String table = System.getProperty(TABLE);
    if (table == null || !path.toUri().getPath().endsWith("/" + table + FIRST_COMMIT)) {
      super.write(path, actions, overwrite, hadoopConf);
      return;
    }
    When when = When.valueOf(System.getProperty(WHEN));
    switch (when) {
      case BEFORE_COMMIT -> halt();
      case WRITING_COMMIT -> {
        FileSystem fs = path.getFileSystem(hadoopConf);
        Path temporary = new Path(path.getParent(), "." + path.getName() + "." + UUID.randomUUID() + ".tmp");
        try (FSDataOutputStream out = fs.create(temporary)) {
          String first = actions.next();
          out.write(first.substring(0, first.length() / 2).getBytes(StandardCharsets.UTF_8));
          out.hflush();
        }
        halt();
      }
      case AFTER_COMMIT -> {
        super.write(path, actions, overwrite, hadoopConf);
        halt();
      }
      default -> throw new IllegalStateException(when.toString());
    }
  }

  private static void halt() {
    System.err.println("HaltingLogStore: halting at " + System.getProperty(WHEN) + " of " + System.getProperty(TABLE));
    System.err.flush();
    Runtime.getRuntime().halt(EXIT_CODE);
  }
}
