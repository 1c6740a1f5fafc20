package dev.costlake.cli;

import dev.costlake.Main;
import dev.costlake.alert.Alert;
import dev.costlake.alert.AlertJob;
import dev.costlake.alert.AlertSettings;
import dev.costlake.alert.Channel;
import dev.costlake.alert.ChannelSettings;
import dev.costlake.alert.Deliverer;
import dev.costlake.alert.Notification;
import dev.costlake.alert.Severity;
import dev.costlake.config.CostlakeConfig;
import dev.costlake.lake.Lakehouse;
import dev.costlake.report.TablePrinter;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `costlake alerts`: send a test message through a channel, and list the alerts of gold.alerts. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = {"Test an alert channel and list the alerts.",
        "The hourly and nightly jobs evaluate the rules and deliver the alerts (gold.alerts) by themselves.",
        "See docs/alerts.md."},
    subcommands = {AlertsCommand.Test.class, AlertsCommand.ListAlerts.class})
public final class AlertsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: test or list");
  }

  /** `costlake alerts test --channel NAME`: one test message, with the channel's retries; no Spark. */
  @Command(name = "test", mixinStandardHelpOptions = true,
      description = {"Send a test message through a channel and say how it went.",
          "Uses alerts.channels.NAME, with its retries."})
  public static final class Test implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--channel", required = true, paramLabel = "NAME", description = "A channel of alerts.channels.")
    String channel;

    @Override
    public Integer call() {
      AlertSettings settings = AlertSettings.from(common.config());
      ChannelSettings cs = settings.channels().get(channel);
      if (cs == null) {
        throw new IllegalArgumentException("No channel '" + channel + "': configured channels are "
            + settings.channels().keySet() + " (alerts.channels.<name>.type and its settings)");
      }
      String error = test(settings, cs, Clock.systemUTC());
      if (error == null) {
        System.out.println("costlake alerts test: delivered a test message through " + cs);
        return 0;
      }
      System.out.println("costlake alerts test: FAILED to deliver through " + cs + " after "
          + settings.maxAttempts() + " attempts: " + error);
      return Main.EXIT_FAILED;
    }

    /** Sends the test alert through a channel; the (redacted) error, or null when delivered. */
    public static String test(AlertSettings settings, ChannelSettings cs, Clock clock) {
      Instant now = clock.instant();
      Alert alert = new Alert("test:channel:" + cs.name(), "test", "channel", cs.name(), Severity.INFO, Alert.OPEN,
          "Test message from costlake to channel " + cs.name(),
          "If you read this, alerts reach channel " + cs.name() + " (" + cs.type() + ").", now.toString(),
          BigDecimal.ZERO, BigDecimal.ZERO, "count", now, now, null, now, 1, "test", List.of());
      Channel c = Channel.of(cs, settings);
      return new Deliverer(settings, Map.of(cs.name(), c), clock, d -> Thread.sleep(d.toMillis()))
          .test(c, new Notification(alert, "test", settings.link("test", "channel", cs.name())));
    }
  }

  /** `costlake alerts list [--open]`. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List gold.alerts, newest first, with what each channel got.")
  public static final class ListAlerts implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Option(names = "--open", description = "Only the open ones.")
    boolean open;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "At most N. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Override
    public Integer call() {
      CostlakeConfig config = common.config();
      Lakehouse lake = Sessions.open(config, common.verbose(), "alerts list");
      print(lake, open, limit, System.out);
      return 0;
    }
  }

  /** The alerts as a table: state, what, since when, and per channel the delivery (shared with the demo). */
  public static void print(Lakehouse lake, boolean openOnly, int limit, PrintStream out) {
    var alerts = lake.spark().sql("select status, severity, rule, scope_type || ' ' || scope_value as scope, title,"
        + " date_format(first_seen_at, 'yyyy-MM-dd HH:mm') as first_seen,"
        + " date_format(last_seen_at, 'yyyy-MM-dd HH:mm') as last_seen, notification_seq as notified,"
        + " notification_event as last_event,"
        + " coalesce(array_join(transform(deliveries, d -> d.channel || ':' || d.outcome || '(' || d.attempts || ')'),"
        + " ' '), '') as deliveries from gold.alerts"
        + (openOnly ? " where status = 'open'" : "")
        + " order by status, case severity when 'critical' then 0 when 'warning' then 1 else 2 end, last_seen_at desc,"
        + " dedupe_key");
    TablePrinter.print(alerts, TablePrinter.Format.TABLE, limit, out);
  }

  /** One run's alerts, as hourly and nightly print them. */
  public static void printSummary(AlertJob.Summary s, PrintStream out) {
    if (s.error() != null) {
      out.println("  alerts: NOT evaluated (the run itself is unaffected): " + s.error());
      return;
    }
    long delivered = s.attempted().stream().filter(Deliverer.Attempted::delivered).count();
    out.printf("  alerts: %d rules evaluated, %d signals, %d notifications (%d deliveries, %d failed and kept for"
        + " the next run), %d open%n", s.rulesEvaluated().size(), s.signals().size(), s.notified().size(), delivered,
        s.attempted().size() - delivered, s.openAlerts());
    for (Alert a : s.notified()) {
      out.printf("    %-9s %-8s %s%n", a.notificationEvent(), a.severity().label(), a.title());
    }
  }
}
