package dev.costlake.notebook;

import dev.costlake.report.TablePrinter;
import java.io.PrintStream;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Runs a notebook's SQL cells in order on a session, printing a header and the results of each. */
public final class NotebookRunner {
  private final SparkSession spark;
  private final TablePrinter.Format format;
  private final int maxRows;
  private final PrintStream out;

  /** A SQL cell that failed; the run stops there. */
  public static final class CellFailedException extends RuntimeException {
    private final transient Notebook.Cell cell;

    CellFailedException(String notebook, Notebook.Cell cell, Throwable cause) {
      super("notebook " + notebook + " failed at cell " + cell.number() + " (" + cell.firstLine() + "): "
          + dev.costlake.cli.Errors.describe(cause), cause);
      this.cell = cell;
    }

    public Notebook.Cell cell() {
      return cell;
    }
  }

  public NotebookRunner(SparkSession spark, TablePrinter.Format format, int maxRows, PrintStream out) {
    this.spark = spark;
    this.format = format;
    this.maxRows = maxRows;
    this.out = out;
  }

  /**
   * Checks the parameters against the markers the notebook uses, so a misspelt --param fails
   * before any cell runs.
   */
  public static void checkParameters(Notebook notebook, Map<String, String> params) {
    java.util.Set<String> used = new java.util.LinkedHashSet<>();
    for (Notebook.Cell cell : notebook.sqlCells()) {
      used.addAll(NotebookParameters.names(cell.text()));
    }
    for (String name : params.keySet()) {
      if (!used.contains(name)) {
        throw new IllegalArgumentException("Notebook " + notebook.name() + " has no parameter '" + name + "'; "
            + (used.isEmpty() ? "it takes none" : "it takes " + String.join(", ", used)));
      }
    }
  }

  /**
   * Runs every SQL cell in order; markdown headings are printed as section titles.
   *
   * @return the number of SQL cells run
   * @throws CellFailedException at the first cell that fails
   */
  public int run(Notebook notebook, Map<String, String> params) {
    return run(notebook, params, (cell, result) -> TablePrinter.print(result, format, maxRows, out));
  }

  /** What to do with each result a cell's statements return (printing it, or, in tests, checking it). */
  @FunctionalInterface
  public interface ResultHandler {
    void accept(Notebook.Cell cell, Dataset<Row> result);
  }

  /** As {@link #run(Notebook, Map)}, handing each result with columns to the handler. */
  public int run(Notebook notebook, Map<String, String> params, ResultHandler handler) {
    checkParameters(notebook, params);
    int run = 0;
    for (Notebook.Cell cell : notebook.cells()) {
      if (cell.kind() == Notebook.Kind.MARKDOWN) {
        cell.text().lines().filter(line -> line.startsWith("#"))
            .forEach(line -> out.println("\n" + line.strip()));
        continue;
      }
      out.println("\n-- cell " + cell.number() + ": " + (cell.title() != null ? cell.title() : cell.firstLine()));
      spark.sparkContext().setJobGroup("notebook",
          "costlake notebook " + notebook.name() + ", cell " + cell.number(), false);
      try {
        for (String statement : cell.statements()) {
          Dataset<Row> result = spark.sql(NotebookParameters.bind(statement, params));
          if (result.columns().length > 0) {
            handler.accept(cell, result);
          }
        }
      } catch (Exception e) {
        // Spark's AnalysisException is checked in Scala terms, so Java sees it only as Exception.
        throw new CellFailedException(notebook.name(), cell, e);
      } finally {
        spark.sparkContext().clearJobGroup();
      }
      run++;
    }
    return run;
  }
}
