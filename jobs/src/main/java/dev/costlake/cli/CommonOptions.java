package dev.costlake.cli;

import dev.costlake.config.CostlakeConfig;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every subcommand takes: the config file, --set overrides, --conf Spark settings and --verbose. */
public final class CommonOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "HOCON config file (see conf/costlake.example.conf). Default: built-in defaults.")
  File configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      scope = ScopeType.INHERIT,
      description = "Override one config key, e.g. --set lake.path=/data/lake. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      scope = ScopeType.INHERIT,
      description = "One Spark setting, its key as spark-submit --conf takes it, e.g."
          + " --conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000 (spark.conf in the config file). Repeatable.")
  Map<String, String> sparkSettings = new LinkedHashMap<>();

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log Spark at INFO and print stack traces.")
  boolean verbose;

  public CostlakeConfig config() {
    return CostlakeConfig.load(configFile, overrides, sparkSettings);
  }

  public boolean verbose() {
    return verbose;
  }
}
