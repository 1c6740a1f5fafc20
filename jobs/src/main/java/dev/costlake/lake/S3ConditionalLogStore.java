package dev.costlake.lake;

import io.delta.storage.S3SingleDriverLogStore;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.RemoteFileChangedException;

/**
 * Delta's log store for s3a:// that makes a commit safe between processes: each _delta_log/N.json is
 * created with S3's conditional write (If-None-Match: *, through S3A's createFile option), so of two
 * writers of the same version, whichever JVM or machine they run in, one succeeds and the other gets
 * FileAlreadyExistsException, which Delta turns into its usual conflict check and retry.
 *
 * <p>Delta's own S3 log store (S3SingleDriverLogStore, which this extends for reading and listing)
 * excludes concurrent writers only within one JVM: two cron-started runs could both write version N
 * and the later would silently replace the earlier. Its alternative, the DynamoDB log store, needs a
 * DynamoDB table; S3 itself has had conditional writes since 2024, as have MinIO and S3Proxy.
 *
 * <p>A store that ignores the condition would bring the silent overwrite back, so before a JVM's first
 * commit to a bucket the store is tried once: an object is created conditionally twice under
 * {@link #CHECK_FOLDER}, and the second must be refused. If it is not, every commit to that bucket
 * fails with a message saying what to do, rather than risk two writers.
 */
public class S3ConditionalLogStore extends S3SingleDriverLogStore {
  /** Hadoop's createFile option for If-None-Match (Options.CreateFileOptionKeys, Hadoop 3.5). */
  static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";
  /** Where the check of a bucket writes its two small objects (deleted after). */
  public static final String CHECK_FOLDER = "_costlake_conditional_write_check";

  /** Buckets whose store refused the second conditional create: safe for concurrent writers. */
  private static final Set<URI> CHECKED = ConcurrentHashMap.newKeySet();

  public S3ConditionalLogStore(Configuration hadoopConf) {
    super(hadoopConf);
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    if (overwrite) {
      // Checkpoints and _last_checkpoint: any writer may replace them.
      super.write(path, actions, true, hadoopConf);
      return;
    }
    FileSystem fs = path.getFileSystem(hadoopConf);
    requireConditionalWrites(fs, path);
    if (!createIfAbsent(fs, path, actions)) {
      throw new java.nio.file.FileAlreadyExistsException(path.toString());
    }
  }

  /** Creates path with actions, one per line, unless it exists; false when another writer was first. */
  static boolean createIfAbsent(FileSystem fs, Path path, Iterator<String> lines) throws IOException {
    var create = fs.createFile(path);
    create.overwrite(false);
    create.must(CONDITIONAL_CREATE, true);
    try (FSDataOutputStream out = create.build()) {
      while (lines.hasNext()) {
        out.write((lines.next() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    } catch (RemoteFileChangedException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      // S3A reports the store's 412 Precondition Failed as a changed remote file; the PUT happens
      // when the stream closes, so this is where a second writer finds out.
      return false;
    }
    return true;
  }

  /** Throws unless this bucket's store has been seen to refuse a second conditional create. */
  static void requireConditionalWrites(FileSystem fs, Path commit) throws IOException {
    URI bucket = fs.getUri();
    if (CHECKED.contains(bucket)) {
      return;
    }
    // Once per bucket, however many tables commit at once (a lakehouse registers several in parallel).
    synchronized (CHECKED) {
      if (!CHECKED.contains(bucket)) {
        checkConditionalWrites(fs, bucket, commit);
      }
    }
  }

  private static void checkConditionalWrites(FileSystem fs, URI bucket, Path commit) throws IOException {
    Path check = new Path(new Path(bucket.toString() + "/", CHECK_FOLDER), UUID.randomUUID().toString());
    String refused;
    try {
      boolean first = createIfAbsent(fs, check, List.of("first").iterator());
      boolean second = createIfAbsent(fs, check, List.of("second").iterator());
      refused = !first ? "the first create of " + check + " was refused"
          : second ? "a second create of " + check + " was accepted" : null;
    } catch (org.apache.hadoop.fs.PathIOException | UnsupportedOperationException e) {
      // S3A itself refuses the option ("Conditional Writes Unavailable") when
      // fs.s3a.create.conditional.enabled is false. Other errors (credentials, network) pass as they are.
      refused = "S3A refused a conditional create of " + check + " (" + e.getMessage() + ")";
    } finally {
      fs.delete(check, false);
    }
    if (refused != null) {
      throw new IOException("The object store of " + bucket + " does not honour conditional writes"
          + " (If-None-Match: *): " + refused + ". Two runs committing to the same Delta table could"
          + " overwrite each other's commit, so costlake does not commit there. Check that"
          + " fs.s3a.create.conditional.enabled is true, use a store with conditional writes (AWS S3,"
          + " MinIO), or configure Delta's DynamoDB log store (spark.delta.logStore.s3a.impl ="
          + " io.delta.storage.S3DynamoDBLogStore; docs/object-storage.md). Refused while committing " + commit);
    }
    CHECKED.add(bucket);
  }
}
