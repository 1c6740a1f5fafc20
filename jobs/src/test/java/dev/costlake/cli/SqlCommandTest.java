package dev.costlake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.Main;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `costlake sql QUERY` registers only what QUERY names, and still answers every query it did before. */
class SqlCommandTest {
  @TempDir static Path tmp;

  private record Result(int exitCode, String out, String err) {}

  /** One day of 240 generated events, ingested: silver.cost_events holds exactly 240 rows. */
  @BeforeAll
  static void ingestedLakehouse() {
    TestSpark.session();
    Result generated = run("generate", "--out", tmp.resolve("raw").toString(), "--days", "1",
        "--events-per-day", "240", "--start", "2026-11-01", "--seed", "3", "--threads", "1");
    assertEquals(0, generated.exitCode(), generated.err());
    Result ingested = run(lakeArgs("lake", "ingest"));
    assertEquals(0, ingested.exitCode(), ingested.out() + ingested.err());
  }

  private static Result run(String... args) {
    PrintStream originalOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(System.out, true));
    try {
      int code = cli.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(originalOut);
    }
  }

  private static String[] lakeArgs(String lake, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--set", "raw.path=" + tmp.resolve("raw"), "--set", "lake.path=" + tmp.resolve(lake),
        "--set", "spark.master=local[2]"));
    return all.toArray(String[]::new);
  }

  /** The table folders a lakehouse holds, e.g. gold/cost_daily_total. */
  private static List<String> tableFolders(String lake) throws IOException {
    List<String> folders = new ArrayList<>();
    for (String schema : List.of("silver", "gold", "ops")) {
      Path dir = tmp.resolve(lake).resolve(schema);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> tables = Files.list(dir)) {
          tables.map(t -> schema + "/" + t.getFileName()).sorted().forEach(folders::add);
        }
      }
    }
    return folders;
  }

  @Test
  void aQueryNamingOneTableGivesItsExactCount() {
    Result result = run(lakeArgs("lake", "sql", "--format", "csv",
        "select count(*) as events from silver.cost_events"));
    assertEquals(0, result.exitCode(), result.err());
    assertEquals("events\n240\n", result.out());
  }

  @Test
  void aQueryRegistersAndCreatesOnlyTheTableItNames() throws IOException {
    Result result = run(lakeArgs("new-lake", "sql", "--format", "csv",
        "select count(*) as days from gold.cost_daily_total"));
    assertEquals(0, result.exitCode(), result.err());
    assertEquals("days\n0\n", result.out());
    assertEquals(List.of("gold/cost_daily_total"), tableFolders("new-lake"));
  }

  @Test
  void derivedTablesAndThePriceListViewStillWork() {
    // A CTE and a subquery over silver, and the catalog view price_list: all resolved as before.
    Result derived = run(lakeArgs("lake", "sql", "--format", "csv",
        "with per_day as (select event_date, count(*) as events from silver.cost_events group by event_date)"
            + " select sum(events) as events from per_day"
            + " where event_date in (select event_date from silver.cost_events where tenant_id is not null)"));
    assertEquals(0, derived.exitCode(), derived.err());
    assertEquals("events\n240\n", derived.out());

    Result view = run(lakeArgs("lake", "sql", "--format", "csv",
        "select input_usd_per_1m, output_usd_per_1m from price_list where provider = 'openai'"
            + " and model = 'gpt-4o' and operation = 'chat' and service_tier = 'standard' and valid_to is null"));
    assertEquals(0, view.exitCode(), view.err());
    assertEquals("input_usd_per_1m,output_usd_per_1m\n2.500000000,10.000000000\n", view.out());
  }

  @Test
  void aStatementThatIsNotAQuerySeesEveryTable() throws IOException {
    Result result = run(lakeArgs("catalog-lake", "sql", "--format", "csv", "show tables in ops"));
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("ops,pipeline_runs,false\n"), result.out());
    assertEquals(Lakehouse.TABLES.size(), tableFolders("catalog-lake").size());
  }

  @Test
  void anUnknownLakehouseTableIsNamedWithTheTablesThereAre() {
    Result result = run(lakeArgs("lake", "sql", "select count(*) from gold.cost_dialy"));
    assertEquals(Main.EXIT_USAGE, result.exitCode());
    assertEquals("costlake: Unknown table gold.cost_dialy in the query: the lakehouse has "
        + String.join(", ", Lakehouse.TABLES) + ", and the view price_list\n", result.err());

    Result elsewhere = run(lakeArgs("lake", "sql", "select count(*) from nowhere"));
    assertEquals(Main.EXIT_FAILED, elsewhere.exitCode());
    assertTrue(elsewhere.err().startsWith("costlake: [TABLE_OR_VIEW_NOT_FOUND] The table or view `nowhere` cannot be found."),
        elsewhere.err());
  }

  @Test
  void theTablesOfAQueryAreReadFromItsParse() throws Exception {
    var spark = TestSpark.session();
    assertEquals(Optional.of(Set.of("gold.cost_daily", "silver.cost_events", "ops.pipeline_runs", "price_list")),
        QueryTables.named(spark, "with d as (select * from GOLD.Cost_Daily)"
            + " select * from d join spark_catalog.silver.cost_events e on d.model = e.model"
            + " where e.job in (select job from `ops`.`pipeline_runs`) and exists (select 1 from price_list)"));
    assertEquals(Optional.of(Set.of()), QueryTables.named(spark, "select 1"));
    assertEquals(Optional.empty(), QueryTables.named(spark, "describe table gold.cost_daily"));
    // Another schema is not the lakehouse's to judge: Spark resolves it, or says it cannot.
    assertEquals(Optional.of(Set.of()), QueryTables.named(spark, "select * from somewhere_else.t"));
  }
}
