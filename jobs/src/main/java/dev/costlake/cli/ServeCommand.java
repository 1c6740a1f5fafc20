package dev.costlake.cli;

import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.pricing.Pricing;
import dev.costlake.schedule.Scheduler;
import dev.costlake.schedule.ServeJobs;
import dev.costlake.schedule.ServeSchedule;
import dev.costlake.spark.Logging;
import dev.costlake.spark.SparkSessions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `costlake serve`: one long-running driver that runs the hourly and the nightly jobs itself. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the hourly and nightly jobs in one warm driver.",
      "",
      "The hourly runs at serve.hourly-minute past every UTC hour and the nightly at serve.nightly-time",
      "(UTC), in this one Spark application, until stopped (SIGTERM or Ctrl-C: the run in progress finishes,",
      "then Spark stops; a second signal abandons it). Warm runs skip the JVM and Spark start and find the",
      "tables' Delta logs cached. Runs take the lakehouse lock (lake.path/_costlake/lock) as cron's do, so the two never",
      "write at once; a failed run is recorded in ops.pipeline_runs and the next slot runs as planned;",
      "slots missed during a pause make one run. Prints one line per run: job, as-of, wall time, events, status."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    CostlakeConfig config = common.config();
    ServeSchedule schedule = ServeSchedule.from(config);
    // A catalog with errors fails every run: refuse to start instead (exit 2, as `costlake hourly` does).
    Pricing.checkedCatalog(config);
    Logging.configure(common.verbose());
    Lakehouse lake = Lakehouse.open(
        SparkSessions.getOrCreate(config, "costlake serve", SparkSessions.LONG_RUNNING), config);
    Scheduler scheduler = new Scheduler(schedule, Clock.systemUTC(), new ServeJobs(lake, config, Clock.systemUTC()),
        System.out::println);
    stopOnSignals(scheduler);
    try {
      scheduler.run();
    } finally {
      lake.spark().stop();
    }
    return 0;
  }

  /**
   * SIGTERM (systemd, Kubernetes) and SIGINT (Ctrl-C) ask the loop to stop after the run in
   * progress, which releases the lakehouse lock. Handled here rather than by the JVM's shutdown,
   * whose hooks (Spark's among them) would stop Spark under that run. A second signal abandons the
   * run: the process exits at once, and the next run takes the lock over (at once on this machine,
   * after jobs.lock-ttl elsewhere) and records this one failed.
   */
  @SuppressWarnings("removal")
  private static void stopOnSignals(Scheduler scheduler) {
    for (String name : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
        if (scheduler.stopRequested()) {
          System.out.println("serve: SIG" + name + " again: abandoning the run in progress");
          System.exit(128 + signal.getNumber());
        }
        System.out.println("serve: SIG" + name + ": stopping after the run in progress (send it again to abandon it)");
        scheduler.stop();
      });
    }
  }
}
