package dev.costlake.cli;

import dev.costlake.config.CostlakeConfig;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every subcommand takes: the config file, --set overrides and --verbose. */
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
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log Spark at INFO and print stack traces.")
  boolean verbose;

  public CostlakeConfig config() {
    return CostlakeConfig.load(configFile, overrides);
  }

  public boolean verbose() {
    return verbose;
  }
}
