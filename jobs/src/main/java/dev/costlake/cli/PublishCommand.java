package dev.costlake.cli;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.config.PostgresSettings;
import dev.costlake.lake.Lakehouse;
import dev.costlake.serve.PublishWindow;
import dev.costlake.serve.Publisher;
import dev.costlake.serve.ServingTable;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `costlake publish`: copy gold windows to the PostgreSQL serving tables by hand. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish the gold tables to the PostgreSQL serving database.",
      "Migrates the schema of postgres.url, then replaces each serving",
      "table's rows of the window in one transaction. Default: every row of every table (a full republish);",
      "--from/--to: the event dates (ISO weeks, anomaly periods and forecast run dates) within them.",
      "hourly and nightly publish what they changed by themselves; use this after a backfill or reprice."
    })
public final class PublishCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--from", paramLabel = "DATE", description = "First date of the window, e.g. 2026-11-01.")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "Last date of the window (inclusive).")
  LocalDate to;

  @Override
  public Integer call() {
    CostlakeConfig config = common.config();
    PostgresSettings postgres = config.postgres();
    if (postgres == null) {
      throw new dev.costlake.config.ConfigException(
          "Cannot publish: postgres.url is not set (see conf/costlake.example.conf, postgres { ... })");
    }
    PublishWindow window = new PublishWindow(from, to);
    Lakehouse lake = Sessions.open(config, common.verbose(), "publish");
    Publisher.Result result = new Publisher(lake, postgres).publish(List.of(ServingTable.values()), window,
        lastCompleteHour());
    print(result, postgres, System.out);
    return 0;
  }

  /** By hand, the data is as final as the last complete hour before now: the jobs say better. */
  private static Instant lastCompleteHour() {
    return Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
  }

  static void print(Publisher.Result result, PostgresSettings postgres, PrintStream out) {
    out.printf("published %s to %s (schema %s), publish %s:%n", result.window(), postgres.url(), postgres.schema(),
        result.publishId());
    for (Publisher.TableResult table : result.tables()) {
      out.printf("  %-24s %,10d rows in the window%n", table.table().tableName(), table.rowsInWindow());
    }
  }
}
