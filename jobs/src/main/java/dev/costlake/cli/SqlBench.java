package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.generate.EventGenerator;
import dev.costlake.generate.GeneratorOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One ad-hoc `costlake sql` query in a fresh JVM, as a user types it: every table registered up
 * front (the old way, `--all-tables`) against only the tables the query names, each with and without
 * bin/costlake's class-data-sharing archive; runs interleaved so a busy machine slows all alike.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Time one ad-hoc sql query in fresh JVMs.",
        "",
        "Times `costlake sql QUERY` from process start to exit, each run a fresh JVM:",
        "every table registered (--all-tables) vs only the tables QUERY names, each without and with",
        "bin/costlake's class-data-sharing archive (medians). Builds a small lakehouse under --work",
        "(generate + hourly) unless --lake names an existing one."})
public final class SqlBench implements Callable<Integer> {
  /** Set by bin/costlake to the archive its java runs with (absent when there is none). */
  static final String ARCHIVE_PROPERTY = "costlake.cds.archive";

  @Mixin CommonOptions common;

  @Option(names = "--query", defaultValue = "select count(*) from gold.cost_daily",
      description = "The query. Default: ${DEFAULT-VALUE}.")
  String query;

  @Option(names = "--runs", defaultValue = "3", description = "Runs of each way. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--lake", paramLabel = "PATH", description = "An existing lakehouse to query (not modified).")
  String lake;

  @Option(names = "--days", defaultValue = "3", description = "Days of events for the built lakehouse. Default: ${DEFAULT-VALUE}.")
  int days;

  @Option(names = "--events-per-day", defaultValue = "5000", description = "Events a day for it. Default: ${DEFAULT-VALUE}.")
  long eventsPerDay;

  @Option(names = "--work", defaultValue = "bench-work", description = "Scratch folder (recreated). Default: ${DEFAULT-VALUE}.")
  Path work;

  private record Way(String label, boolean allTables, boolean archive) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (runs <= 0) {
      throw new IllegalArgumentException("Cannot set --runs to " + runs + ": must be positive");
    }
    Path root = work.toAbsolutePath().normalize();
    BenchCommand.deleteRecursively(root);
    Files.createDirectories(root);
    String lakePath = lake != null ? lake : buildLakehouse(root);
    String archive = System.getProperty(ARCHIVE_PROPERTY);
    boolean haveArchive = archive != null && Files.isRegularFile(Path.of(archive));

    List<Way> ways = new ArrayList<>(List.of(
        new Way("every table registered (--all-tables)", true, false),
        new Way("only the tables the query names", false, false)));
    if (haveArchive) {
      ways.add(new Way("every table registered, CDS archive", true, true));
      ways.add(new Way("only the named tables, CDS archive", false, true));
    }
    Map<Way, List<Double>> seconds = new LinkedHashMap<>();
    ways.forEach(way -> seconds.put(way, new ArrayList<>()));
    String answer = null;
    for (int run = 0; run < runs; run++) {
      for (Way way : ways) {
        Path out = root.resolve("out.txt");
        long began = System.nanoTime();
        Process child = new ProcessBuilder(command(way, lakePath, archive))
            .redirectOutput(out.toFile()).redirectError(root.resolve("err.txt").toFile()).start();
        int exit = child.waitFor();
        double took = (System.nanoTime() - began) / 1e9;
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        if (exit != 0 || (answer != null && !answer.equals(printed))) {
          System.out.printf("bench sql: FAILED: %s exited %d and printed%n%s%s%n", way.label(), exit, printed,
              Files.readString(root.resolve("err.txt"), StandardCharsets.UTF_8));
          return Main.EXIT_FAILED;
        }
        answer = printed;
        seconds.get(way).add(took);
      }
    }

    System.out.printf("bench sql: `costlake sql \"%s\"` on %s, a fresh JVM per run, %d runs each (interleaved), %d cores%n",
        query, lakePath, runs, Runtime.getRuntime().availableProcessors());
    System.out.print(indent(answer));
    System.out.printf("  %-40s %8s %8s   %s%n", "way", "median", "min", "every run, s");
    seconds.forEach((way, list) -> System.out.printf("  %-40s %6.2f s %6.2f s   %s%n", way.label(),
        median(list), list.stream().mapToDouble(Double::doubleValue).min().orElse(0),
        String.join(" ", list.stream().map(s -> String.format("%.1f", s)).toList())));
    if (!haveArchive) {
      System.out.println("  (no CDS archive: run through bin/costlake with COSTLAKE_CDS on, its default)");
    }
    BenchCommand.deleteRecursively(root);
    return 0;
  }

  /** A generated lakehouse: --days of events, ingested and rolled up by one `costlake hourly`. */
  private String buildLakehouse(Path root) throws IOException, InterruptedException {
    Path raw = root.resolve("raw");
    String lakePath = root.resolve("lake").toString();
    LocalDate start = LocalDate.of(2026, 11, 1);
    EventGenerator.generate(raw, new GeneratorOptions(start, days, eventsPerDay, 1, 0, 0,
        Runtime.getRuntime().availableProcessors()));
    List<String> hourly = javaCommand(false, null);
    hourly.addAll(List.of(Main.class.getName(), "hourly"));
    hourly.addAll(configArgs(lakePath));
    hourly.addAll(List.of("--set", CostlakeConfig.RAW_PATH + "=" + raw,
        "--as-of", start.plusDays(days).atStartOfDay(ZoneOffset.UTC).plusMinutes(5).toInstant().toString()));
    System.out.printf("bench sql: building a lakehouse of %d days x %,d events under %s ...%n", days, eventsPerDay, root);
    System.out.flush();
    Process child = new ProcessBuilder(hourly).redirectOutput(root.resolve("hourly.txt").toFile())
        .redirectErrorStream(true).start();
    if (child.waitFor() != 0) {
      throw new IllegalStateException("the hourly that builds the bench's lakehouse failed: see "
          + root.resolve("hourly.txt"));
    }
    return lakePath;
  }

  private List<String> command(Way way, String lakePath, String archive) {
    List<String> command = javaCommand(way.archive(), archive);
    command.addAll(List.of(Main.class.getName(), "sql"));
    command.addAll(configArgs(lakePath));
    if (way.allTables()) {
      command.add("--all-tables");
    }
    command.add(query);
    return command;
  }

  /** This JVM's java, JVM arguments and class path; the CDS archive only when asked for. */
  private static List<String> javaCommand(boolean withArchive, String archive) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!argument.startsWith("-XX:SharedArchiveFile=") && !argument.startsWith("-XX:ArchiveClassesAtExit=")) {
        command.add(argument);
      }
    }
    if (withArchive) {
      command.add("-XX:SharedArchiveFile=" + archive);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return command;
  }

  private List<String> configArgs(String lakePath) {
    List<String> args = new ArrayList<>();
    if (common.configFile != null) {
      args.addAll(List.of("--config", common.configFile.getPath()));
    }
    common.overrides.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
    args.addAll(List.of("--set", CostlakeConfig.LAKE_PATH + "=" + lakePath));
    return args;
  }

  private static String indent(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      out.append("  | ").append(line).append('\n');
    }
    return out.toString();
  }

  private static double median(List<Double> seconds) {
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }
}
