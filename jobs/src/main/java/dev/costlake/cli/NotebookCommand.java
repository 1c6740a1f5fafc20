package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.notebook.Notebook;
import dev.costlake.notebook.NotebookRunner;
import dev.costlake.report.TablePrinter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `costlake notebook run FILE`: a Databricks-format SQL notebook, cell by cell, over the lakehouse. */
@Command(
    name = "notebook",
    mixinStandardHelpOptions = true,
    description = {"Run the analysis notebooks locally.",
        "Notebooks are notebooks/*.sql, in Databricks source format."},
    subcommands = {NotebookCommand.Run.class})
public final class NotebookCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: run");
  }

  /** `costlake notebook run FILE [--param name=value ...]`. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Run a notebook's SQL cells in order and print their results.",
        "Runs them over the lakehouse (every table under its name, the price",
        "catalog as price_list), printing each cell's results; markdown headings are printed as titles.",
        "Parameters (:name markers, Databricks widgets) are bound as strings; one not given is ''.",
        "A failing cell stops the run (exit 1) with the notebook, the cell number and its first line."
      })
  public static final class Run implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(paramLabel = "FILE", description = "The notebook, e.g. notebooks/investigate_anomaly.sql.")
    Path file;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
        description = "A value for the notebook's :NAME parameter. Repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--format", defaultValue = "table",
        description = "table (aligned, for people), csv or json (one object per line). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--max-rows", defaultValue = "1000",
        description = "Print at most this many rows per result. Default: ${DEFAULT-VALUE}.")
    int maxRows;

    @Override
    public Integer call() throws IOException {
      TablePrinter.Format chosen = SqlCommand.format(format, maxRows);
      Notebook notebook = read(file);
      NotebookRunner.checkParameters(notebook, params);
      CostlakeConfig config = common.config();
      Lakehouse lake = Sessions.openForQueries(config, common.verbose(), "notebook " + file.getFileName());
      try {
        int cells = new NotebookRunner(lake.spark(), chosen, maxRows, System.out).run(notebook, params);
        System.out.printf("%nnotebook %s: %d SQL cells run%n", notebook.name(), cells);
        return 0;
      } catch (NotebookRunner.CellFailedException e) {
        if (common.verbose()) {
          e.printStackTrace();
        }
        // The handler would describe only the innermost error; the notebook and cell matter more here.
        System.err.println("costlake: " + e.getMessage());
        return Main.EXIT_FAILED;
      }
    }

    /** Reads and parses a notebook; a missing file or a bad notebook is a usage error. */
    static Notebook read(Path file) throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("Notebook " + file + " does not exist or is not a file");
      }
      return Notebook.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }
  }
}
