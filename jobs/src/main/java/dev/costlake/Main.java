package dev.costlake;

import dev.costlake.cli.AnomaliesCommand;
import dev.costlake.cli.BenchCommand;
import dev.costlake.cli.DbCommand;
import dev.costlake.cli.DemoCommand;
import dev.costlake.cli.ForecastCommand;
import dev.costlake.cli.GenerateCommand;
import dev.costlake.cli.IngestCommand;
import dev.costlake.cli.NotebookCommand;
import dev.costlake.cli.PricesCommand;
import dev.costlake.cli.PublishCommand;
import dev.costlake.cli.UpgradeCommand;
import dev.costlake.cli.RepriceCommand;
import dev.costlake.cli.SqlCommand;
import dev.costlake.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** costlake's single entry point: `costlake <subcommand>`, locally or under spark-submit. */
@Command(
    name = "costlake",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Turns raw LLM usage events into exact cost tables, with Spark and Delta Lake.",
    subcommands = {
      IngestCommand.class,
      dev.costlake.cli.ScheduleCommands.Hourly.class,
      dev.costlake.cli.ScheduleCommands.Nightly.class,
      dev.costlake.cli.ScheduleCommands.Backfill.class,
      UpgradeCommand.class,
      dev.costlake.cli.ServeCommand.class,
      PricesCommand.class,
      RepriceCommand.class,
      AnomaliesCommand.class,
      dev.costlake.cli.AlertsCommand.class,
      ForecastCommand.class,
      SqlCommand.class,
      PublishCommand.class,
      DbCommand.class,
      NotebookCommand.class,
      GenerateCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a run that failed (a job error, books that do not balance). */
  public static final int EXIT_FAILED = 1;
  /** Exit code of a bad command line or configuration (picocli's default for usage errors). */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  public static void main(String[] args) {
    int exitCode = commandLine().execute(args);
    if (System.getenv(DATABRICKS_RUNTIME) != null) {
      // A Databricks JAR task shares its driver JVM with the cluster: System.exit would take the
      // driver down, so success returns and a failure is an exception, which fails the task.
      if (exitCode != 0) {
        // Not the arguments: a --set may carry a secret.
        throw new IllegalStateException("costlake failed with exit code " + exitCode + " (its message is above)");
      }
      return;
    }
    // Spark leaves non-daemon threads behind; exit explicitly, as spark-submit does.
    System.exit(exitCode);
  }

  /** Set in every Databricks Runtime driver's environment. */
  private static final String DATABRICKS_RUNTIME = "DATABRICKS_RUNTIME_VERSION";

  /** The configured command line, shared by main and tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new dev.costlake.cli.ErrorHandler());
    return cli;
  }
}
