package dev.costlake.lake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Creates a small object in the lakehouse only if it does not exist yet, atomically: of two processes
 * creating the same path, on any machines, exactly one succeeds, and a reader never sees it half written.
 *
 * <p>Hadoop's create(path, overwrite = false) is not enough everywhere: on a local disk it checks that
 * the file is absent and then creates it (two processes can both pass the check), and on S3A it is a
 * HEAD then a PUT. So: a local file is written beside the target and hard-linked to it (link(2) fails
 * if the target exists); an s3a:// object is written with S3's conditional write (If-None-Match: *),
 * as {@link S3ConditionalLogStore} writes Delta commits, after the same once-per-bucket check that
 * the store honours it; any other file system (HDFS, abfs://, gs://) gets create without overwrite,
 * which their servers decide atomically.
 */
public final class PutIfAbsent {
  private PutIfAbsent() {}

  /** Creates path holding text (and a newline); false when it already exists. */
  public static boolean create(FileSystem fs, Path path, String text) throws IOException {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    String scheme = fs.getUri().getScheme();
    if ("file".equals(scheme)) {
      return createLocal(java.nio.file.Path.of(fs.makeQualified(path).toUri()), bytes);
    }
    if ("s3a".equals(scheme)) {
      S3ConditionalLogStore.requireConditionalWrites(fs, path);
      return S3ConditionalLogStore.createIfAbsent(fs, path, List.of(text).iterator());
    }
    var create = fs.createFile(path);
    create.overwrite(false);
    try (FSDataOutputStream out = create.build()) {
      out.write(bytes);
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException | FileAlreadyExistsException e) {
      return false;
    }
    return true;
  }

  private static boolean createLocal(java.nio.file.Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    // Hidden and never matching a reader's name pattern; unique, so writers never share one.
    java.nio.file.Path written = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files.write(written, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Files.createLink(target, written);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(written);
    }
  }
}
