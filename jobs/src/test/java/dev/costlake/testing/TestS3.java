package dev.costlake.testing;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.Blob;
import org.gaul.s3proxy.blobstore.options.PutOptions;
import org.gaul.s3proxy.blobstore.options.CreateContainerOptions;

/**
 * A real S3-compatible server (S3Proxy, in memory) on 127.0.0.1, started once per test JVM, and the
 * Hadoop S3A settings that reach it. The settings go into the shared session's Hadoop configuration:
 * they only concern s3a:// paths, which no other test uses.
 */
public final class TestS3 {
  public static final String ACCESS_KEY = "costlake-test";
  public static final String SECRET_KEY = "costlake-test-secret";
  private static S3Proxy proxy;
  private static BlobStore store;
  private static S3Proxy unconditional;
  private static BlobStore unconditionalStore;

  private TestS3() {}

  /** The S3A settings for the running server, as a user would give them (spark.hadoop. prefix dropped). */
  public static synchronized Map<String, String> settings() {
    start();
    return Map.of(
        "fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort(),
        "fs.s3a.endpoint.region", "us-east-1",
        "fs.s3a.path.style.access", "true",
        "fs.s3a.connection.ssl.enabled", "false",
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "fs.s3a.access.key", ACCESS_KEY,
        "fs.s3a.secret.key", SECRET_KEY);
  }

  /** Creates bucket (a new, empty one per test) and points the shared session's S3A at the server. */
  public static synchronized String bucket(String bucket) {
    start();
    store.createContainer(bucket, CreateContainerOptions.NONE);
    Configuration hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
    settings().forEach(hadoop::set);
    return "s3a://" + bucket;
  }

  /**
   * Creates bucket on a second S3Proxy whose store ignores If-None-Match (it drops the condition from
   * every PUT and overwrites), as S3-compatible stores without conditional writes do, and points S3A
   * at it for that bucket only.
   */
  public static synchronized String bucketIgnoringConditionalWrites(String bucket) {
    start();
    if (unconditional == null) {
      BlobStore overwriting = new ForwardingBlobStore(BlobStores.create("transient", new Properties())) {
        @Override
        public String putBlob(String container, Blob blob, PutOptions options) {
          return super.putBlob(container, blob, new PutOptions(options.blobAccess(), options.ifMatch(), null));
        }
      };
      unconditionalStore = overwriting;
      unconditional = started(overwriting);
    }
    unconditionalStore.createContainer(bucket, CreateContainerOptions.NONE);
    Configuration hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
    settings().forEach(hadoop::set);
    hadoop.set("fs.s3a.bucket." + bucket + ".endpoint", "http://127.0.0.1:" + unconditional.getPort());
    return "s3a://" + bucket;
  }

  private static S3Proxy started(BlobStore blobStore) {
    try {
      S3Proxy server = S3Proxy.builder()
          .blobStore(blobStore)
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
          .build();
      server.start();
      while (!"STARTED".equals(server.getState())) {
        Thread.sleep(10);
      }
      return server;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy on 127.0.0.1", e);
    }
  }

  private static void start() {
    if (proxy != null) {
      return;
    }
    store = BlobStores.create("transient", new Properties());
    proxy = started(store);
  }
}
