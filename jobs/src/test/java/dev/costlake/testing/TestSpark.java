package dev.costlake.testing;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.spark.Logging;
import dev.costlake.spark.SparkSessions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The one local SparkSession the whole suite shares (starting Spark costs seconds). */
public final class TestSpark {
  private static SparkSession session;
  static final String CODEGEN_WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  static final String CODEGEN_FACTORY_MODE = "spark.sql.codegen.factoryMode";

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      Logging.configure(false);
      session = SparkSessions.getOrCreate(config(Path.of("target/test-lake-unused"), Path.of("target/test-raw-unused"), Map.of()), "costlake tests");
    }
    return session;
  }

  /** A config for a test's own raw folder and lakehouse, with small-machine Spark settings. */
  public static CostlakeConfig config(Path lake, Path raw, Map<String, String> more) {
    Map<String, String> settings = new HashMap<>();
    settings.put("raw.path", raw.toAbsolutePath().toString());
    settings.put("lake.path", lake.toAbsolutePath().toString());
    settings.put("spark.master", "local[2]");
    settings.put("spark.conf.spark.ui.enabled", "false");
    settings.put("spark.conf.spark.sql.shuffle.partitions", "2");
    settings.put("spark.conf.spark.ui.showConsoleProgress", "false");
    // Fixtures are a few dozen rows, and the suite runs thousands of distinct small queries: compiling
    // each one's generated code costs more than running it interpreted (measured: an hourly run from
    // scratch on the golden events 30 % faster). The results are the same either way; GoldenTest
    // checks the golden numbers with code generation on, as production runs.
    settings.put("spark.conf." + CODEGEN_WHOLE_STAGE, "false");
    settings.put("spark.conf." + CODEGEN_FACTORY_MODE, "NO_CODEGEN");
    settings.put("spark.conf.spark.sql.adaptive.enabled", "false");
    settings.put("spark.conf.spark.databricks.delta.snapshotPartitions", "1");
    // The alert rules add a dozen small Spark jobs to every hourly and nightly run; the suite's
    // other tests run those jobs for their own sake, so only the alert tests (dev.costlake.alert)
    // turn them on, and the suite stays within its time.
    settings.put("alerts.enabled", "false");
    settings.putAll(more);
    return CostlakeConfig.load(null, settings);
  }

  /** Runs body with Spark's code generation on (as in production), then turns it off again. */
  public static void withCodegen(Runnable body) {
    SparkSession spark = session();
    spark.conf().set(CODEGEN_WHOLE_STAGE, "true");
    spark.conf().set(CODEGEN_FACTORY_MODE, "FALLBACK");
    try {
      body.run();
    } finally {
      spark.conf().set(CODEGEN_WHOLE_STAGE, "false");
      spark.conf().set(CODEGEN_FACTORY_MODE, "NO_CODEGEN");
    }
  }

  /** Opens (and registers) a fresh lakehouse in the shared session. */
  public static Lakehouse lake(CostlakeConfig config) {
    return Lakehouse.open(session(), config);
  }
}
