package dev.costlake.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/** Quiet by default (Spark at WARN, known-harmless warnings off), INFO with --verbose. */
public final class Logging {
  private Logging() {}

  /** Must run before the SparkContext starts: Spark shows its progress bar only below INFO. */
  public static void configure(boolean verbose) {
    // Let Spark set up its logging first, or it does so at its first log line and undoes the levels
    // below: under spark-submit (which resets logging before calling costlake) on a Spark without a
    // log4j2 configuration, it would load its default profile, INFO, when the SparkContext starts.
    // Where a configuration is given (bin/costlake's, a cluster's) Spark keeps it.
    new org.apache.spark.SparkConf(false).initializeLogIfNecessary(false, true);
    Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, verbose ? Level.INFO : Level.WARN);
    if (!verbose) {
      // Warnings every local run prints that call for no action.
      Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
      Configurator.setLevel("org.apache.spark.sql.execution.streaming.runtime.ResolveWriteToStream", Level.ERROR);
      Configurator.setLevel("org.apache.spark.sql.execution.streaming.ResolveWriteToStream", Level.ERROR);
      Configurator.setLevel("org.apache.spark.sql.catalyst.analysis.ResolveWriteToStream", Level.ERROR);
      Configurator.setLevel("org.apache.hadoop.metrics2", Level.ERROR);
      // Performance hints about Spark's own plans ("Broadcasting large task binary", "Truncated the
      // string representation of a plan"): nothing a person running costlake can act on. Errors stay.
      Configurator.setLevel("org.apache.spark.scheduler.DAGScheduler", Level.ERROR);
      Configurator.setLevel("org.apache.spark.sql.catalyst.util.StringUtils$PlanStringConcat", Level.ERROR);
      Configurator.setLevel("org.apache.spark.util.SparkStringUtils", Level.ERROR);
      Configurator.setLevel("org.apache.spark.util.Utils", Level.ERROR);
      // A failed ingest stream logs its whole trace; costlake reports the cause itself.
      Configurator.setLevel("org.apache.spark.sql.execution.streaming", Level.OFF);
      // Re-registering the lakehouse's schemas at every start is expected, not concurrent creation.
      Configurator.setLevel("org.apache.spark.sql.execution.datasources.v2.CreateNamespaceExec", Level.ERROR);
      // With one open writer per event date, Parquet shrinks row groups to fit the heap, as designed,
      // and says so once per writer.
      Configurator.setLevel("org.apache.parquet.hadoop.MemoryManager", Level.ERROR);
      // Delta's UPDATE of a one-row run log has no statistics to check; that is expected.
      Configurator.setLevel("org.apache.spark.sql.delta.commands.UpdateCommand", Level.ERROR);
      // Delta passes the change-feed options twice when reading changes; harmless.
      Configurator.setLevel("org.apache.spark.sql.util.CaseInsensitiveStringMap", Level.ERROR);
      // Delta's MERGE checkpoints its source locally and Spark notes it when the RDD is released.
      Configurator.setLevel("org.apache.spark.rdd.MapPartitionsRDD", Level.ERROR);
      // A Delta commit on s3a:// that another run won is a refused conditional PUT (412), which S3A
      // logs as a failed upload with its statistics, although Delta handles it: so does the check of
      // conditional writes at every start (S3ConditionalLogStore). A real failure still fails the write.
      Configurator.setLevel("org.apache.hadoop.fs.s3a.S3ABlockOutputStream", Level.ERROR);
      Configurator.setLevel("org.apache.hadoop.fs.s3a.S3AInstrumentation", Level.ERROR);
    }
  }
}
