package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns an exception from a command into a one-paragraph message and an exit code, not a trace. */
public final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    boolean verbose = parsed.subcommands().stream()
        .anyMatch(sub -> sub.hasMatchedOption("--verbose")) || parsed.hasMatchedOption("--verbose");
    if (verbose) {
      e.printStackTrace(cli.getErr());
    }
    if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
      cli.getErr().println("costlake: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    cli.getErr().println("costlake: " + Errors.describe(e));
    if (!verbose) {
      cli.getErr().println("(run again with --verbose for the stack trace)");
    }
    return Main.EXIT_FAILED;
  }
}
