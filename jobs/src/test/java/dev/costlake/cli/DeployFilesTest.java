package dev.costlake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.costlake.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The schedules in deploy/ are ready to paste: the Airflow DAGs compile under python3 with one run at a
 * time each, and every costlake command line in the crontab, the Kubernetes manifests and the
 * Databricks jobs parses with costlake's own command line, one hourly and one nightly per schedule.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of(System.getProperty("costlake.repo.root", ".."), "deploy");
  private static final String JAR = "costlake-0.1.0-SNAPSHOT.jar";

  @Test
  void airflowDagsCompileAndRunOneAtATime() throws Exception {
    // compile() is py_compile's syntax check without writing a .pyc into deploy/; the AST then gives
    // each DAG's id, schedule and max_active_runs without importing Airflow (not installed here).
    String script = """
        import ast, sys
        source = open(sys.argv[1]).read()
        compile(source, sys.argv[1], "exec")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "DAG":
                kw = {k.arg: ast.literal_eval(k.value) for k in node.keywords
                      if k.arg in ("dag_id", "schedule", "max_active_runs", "catchup")}
                print(kw["dag_id"], kw["schedule"], "max_active_runs=%d" % kw["max_active_runs"],
                      "catchup=%s" % kw["catchup"])
        """;
    ProcessBuilder python = new ProcessBuilder("python3", "-c", script,
        DEPLOY.resolve("airflow/costlake_dags.py").toString()).redirectErrorStream(true);
    Process process = python.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    assertEquals("""
        costlake_hourly 5 * * * * max_active_runs=1 catchup=False
        costlake_nightly 30 0 * * * max_active_runs=1 catchup=False
        """, output);
  }

  @Test
  void crontabCommandsParse() throws IOException {
    List<String> found = new ArrayList<>();
    for (String line : Files.readAllLines(DEPLOY.resolve("crontab"))) {
      // The launcher's lines, and the spark-submit lines left commented out as the cluster variant.
      String entry = line.startsWith("#5") || line.startsWith("#30") ? line.substring(1) : line;
      if (entry.matches("^[0-9*].*")) {
        String[] fields = entry.trim().split("\\s+");
        String schedule = String.join(" ", Arrays.copyOfRange(fields, 0, 5));
        List<String> command = Arrays.asList(fields);
        int start = command.indexOf(command.stream().filter(f -> f.endsWith("bin/costlake") || f.endsWith(JAR))
            .findFirst().orElseThrow()) + 1;
        found.add(schedule + " " + parse(command.subList(start, command.indexOf(">>"))));
      }
    }
    assertEquals(List.of("5 * * * * hourly", "30 0 * * * nightly", "5 * * * * hourly", "30 0 * * * nightly"), found);
  }

  @Test
  void kubernetesSchedulesRunOneAtATimeAndTheirCommandsParse() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<String> found = new ArrayList<>();
    for (JsonNode cronJob : yaml.readValues(yaml.createParser(DEPLOY.resolve("kubernetes/cronjob.yaml").toFile()),
        JsonNode.class).readAll()) {
      List<String> args = strings(cronJob.at("/spec/jobTemplate/spec/template/spec/containers/0/args"));
      found.add(cronJob.at("/kind").asText() + " " + cronJob.at("/spec/schedule").asText() + " "
          + cronJob.at("/spec/concurrencyPolicy").asText() + " "
          + parse(args.subList(args.indexOf("local:///opt/costlake/costlake.jar") + 1, args.size())));
    }
    for (JsonNode app : yaml.readValues(yaml.createParser(DEPLOY.resolve("kubernetes/sparkapplication.yaml").toFile()),
        JsonNode.class).readAll()) {
      boolean scheduled = app.at("/kind").asText().equals("ScheduledSparkApplication");
      JsonNode spec = scheduled ? app.at("/spec/template") : app.at("/spec");
      assertEquals("dev.costlake.Main", spec.at("/mainClass").asText());
      found.add(app.at("/kind").asText() + (scheduled ? " " + app.at("/spec/schedule").asText() + " "
          + app.at("/spec/concurrencyPolicy").asText() : "") + " " + parse(strings(spec.at("/arguments"))));
    }
    assertEquals(List.of("CronJob 5 * * * * Forbid hourly", "CronJob 30 0 * * * Forbid nightly",
        "SparkApplication nightly", "ScheduledSparkApplication 5 * * * * Forbid hourly"), found);
  }

  @Test
  void theSystemdUnitServesAndStopsGracefully() throws IOException {
    List<String> lines = Files.readAllLines(DEPLOY.resolve("systemd/costlake-serve.service"));
    List<String> settings = lines.stream().filter(l -> l.matches("^[A-Za-z]+=.*")).toList();
    String execStart = settings.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    List<String> command = Arrays.asList(execStart.substring("ExecStart=".length()).trim().split("\\s+"));
    assertTrue(command.get(0).endsWith("bin/costlake"), execStart);
    assertEquals("serve", parse(command.subList(1, command.size())));
    // SIGTERM to the driver alone, time for a nightly to finish, no restart on a bad config (exit 2).
    assertTrue(settings.containsAll(List.of("KillMode=mixed", "KillSignal=SIGTERM", "TimeoutStopSec=30min",
        "Restart=on-failure", "RestartPreventExitStatus=2", "WantedBy=multi-user.target")), settings.toString());
  }

  @Test
  void theKubernetesServeDeploymentIsOneDriverThatStopsGracefully() throws IOException {
    JsonNode deployment = new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("kubernetes/serve.yaml").toFile());
    assertEquals("Deployment", deployment.at("/kind").asText());
    assertEquals(1, deployment.at("/spec/replicas").asInt());
    assertEquals("Recreate", deployment.at("/spec/strategy/type").asText());
    assertEquals(1800, deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asInt());
    List<String> args = strings(deployment.at("/spec/template/spec/containers/0/args"));
    assertEquals("serve", parse(args.subList(args.indexOf("local:///opt/costlake/costlake.jar") + 1, args.size())));
  }

  @Test
  void databricksJobsRunOneAtATimeAndTheirCommandsParse() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> found = new ArrayList<>();
    for (String job : List.of("job-hourly.json", "job-nightly.json")) {
      JsonNode definition = json.readTree(DEPLOY.resolve("databricks").resolve(job).toFile());
      JsonNode task = definition.at("/tasks/0/spark_jar_task");
      assertEquals("dev.costlake.Main", task.at("/main_class_name").asText());
      found.add(definition.at("/schedule/quartz_cron_expression").asText() + " max_concurrent_runs="
          + definition.at("/max_concurrent_runs").asInt() + " " + parse(strings(task.at("/parameters"))));
    }
    assertEquals(List.of("0 5 * * * ? max_concurrent_runs=1 hourly", "0 30 0 * * ? max_concurrent_runs=1 nightly"),
        found);
  }

  /** Parses a costlake command line as Main does (throwing on any bad flag); returns its subcommand's name. */
  private static String parse(List<String> args) {
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs(args.toArray(String[]::new));
    assertTrue(parsed.subcommand().hasMatchedOption("--config"), "no --config in " + args);
    return parsed.subcommand().commandSpec().name();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
