package dev.costlake.cli;

import dev.costlake.lake.Lakehouse;
import dev.costlake.report.TablePrinter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `costlake sql`: Spark SQL over the lakehouse, its tables registered under their names. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL over the lakehouse, or open a SQL prompt.",
      "Every costlake table is registered under its name",
      "(silver.cost_events, silver.quarantine, ops.pipeline_runs, ...) and the price catalog as price_list.",
      "A QUERY registers only the tables it names, so one query starts quickly; with no query, read",
      "statements ending in ';' from an interactive prompt, with every table registered."
    })
public final class SqlCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Parameters(arity = "0..1", paramLabel = "QUERY", description = "The statement to run.")
  String query;

  @Option(names = "--format", defaultValue = "table",
      description = "table (aligned, for people), csv or json (one object per line). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--max-rows", defaultValue = "1000", description = "Print at most this many rows. Default: ${DEFAULT-VALUE}.")
  int maxRows;

  @Option(names = "--all-tables",
      description = "Register every table before running QUERY, as the prompt does (a Delta log read per table:"
          + " slower; `bench sql` compares the two).")
  boolean allTables;

  @Override
  public Integer call() throws IOException, org.apache.spark.sql.catalyst.parser.ParseException {
    TablePrinter.Format chosen = format(format, maxRows);
    if (query == null) {
      return interactive(Sessions.openForQueries(common.config(), common.verbose(), "sql"), chosen);
    }
    Lakehouse lake = allTables
        ? Sessions.openForQueries(common.config(), common.verbose(), "sql")
        : Sessions.openForStatement(common.config(), common.verbose(), "sql", query);
    TablePrinter.print(lake.spark().sql(query), chosen, maxRows, System.out);
    return 0;
  }

  /** The --format option's value, checked with --max-rows (shared with `notebook run`). */
  static TablePrinter.Format format(String format, int maxRows) {
    if (maxRows <= 0) {
      throw new IllegalArgumentException("Cannot set --max-rows to " + maxRows + ": must be positive");
    }
    return switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "table" -> TablePrinter.Format.TABLE;
      case "csv" -> TablePrinter.Format.CSV;
      case "json" -> TablePrinter.Format.JSON;
      default -> throw new IllegalArgumentException(
          "Cannot set --format to '" + format + "': must be table, csv or json");
    };
  }

  private int interactive(Lakehouse lake, TablePrinter.Format chosen) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("costlake sql: tables " + String.join(", ", Lakehouse.TABLES)
        + ". End statements with ';', quit with 'exit;' or Ctrl-D.");
    StringBuilder statement = new StringBuilder();
    while (true) {
      System.out.print(statement.isEmpty() ? "costlake> " : "       -> ");
      System.out.flush();
      String line = in.readLine();
      if (line == null) {
        System.out.println();
        return 0;
      }
      statement.append(line).append('\n');
      String text = statement.toString().strip();
      if (!text.endsWith(";")) {
        continue;
      }
      statement.setLength(0);
      text = text.substring(0, text.length() - 1).strip();
      if (text.equalsIgnoreCase("exit") || text.equalsIgnoreCase("quit")) {
        return 0;
      }
      if (text.isEmpty()) {
        continue;
      }
      try {
        TablePrinter.print(lake.spark().sql(text), chosen, maxRows, System.out);
      } catch (Exception e) {
        // A typo in an interactive statement should not end the session. (Spark's
        // AnalysisException is checked in Scala terms, so Java sees it only as Exception.)
        System.out.println("error: " + Errors.describe(e));
      }
    }
  }
}
