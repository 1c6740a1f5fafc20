package dev.costlake.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.lake.Lakehouse;
import dev.costlake.pricing.PriceList;
import dev.costlake.pricing.Pricing;
import dev.costlake.report.TablePrinter;
import dev.costlake.testing.GeneratedMonth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every notebook in notebooks/ against one generated lakehouse ({@link GeneratedMonth}: three weeks
 * of sample traffic with injected anomalies, through hourly, nightly, anomaly detection and a
 * forecast), so the notebooks cannot rot: every cell must run, and the key cells must say what the data says.
 */
class NotebooksTest {
  private static final Path NOTEBOOKS = Path.of("..", "notebooks");
  private static Lakehouse lake;

  @BeforeAll
  static void generatedLakehouse() {
    GeneratedMonth month = GeneratedMonth.get();
    lake = month.lake();
    PriceList.register(lake.spark(), Pricing.checkedCatalog(month.config()));
  }

  /** Every result of every cell of one notebook, by cell title (or first line). */
  private static Map<String, List<Row>> run(String file, Map<String, String> params) throws IOException {
    Notebook notebook = Notebook.parse(file, Files.readString(NOTEBOOKS.resolve(file), StandardCharsets.UTF_8));
    Map<String, List<Row>> results = new LinkedHashMap<>();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    new NotebookRunner(lake.spark(), TablePrinter.Format.TABLE, 50, out).run(notebook, params, (cell, result) -> {
      TablePrinter.print(result, TablePrinter.Format.TABLE, 50, out);
      results.put(cell.title() != null ? cell.title() : cell.firstLine(), result.collectAsList());
    });
    return results;
  }

  @TestFactory
  Stream<DynamicTest> everyNotebookRunsEveryCell() throws IOException {
    List<Path> files;
    try (Stream<Path> listed = Files.list(NOTEBOOKS)) {
      files = listed.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertTrue(files.size() >= 6, files::toString);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      Notebook notebook = Notebook.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
      assertFalse(notebook.sqlCells().isEmpty(), "no SQL cells");
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      int cells = new NotebookRunner(lake.spark(), TablePrinter.Format.TABLE, 20,
          new PrintStream(printed, true, StandardCharsets.UTF_8)).run(notebook, Map.of());
      assertEquals(notebook.sqlCells().size(), cells);
    }));
  }

  private static BigDecimal sum(List<Row> rows, String column) {
    BigDecimal total = BigDecimal.ZERO;
    for (Row row : rows) {
      Object value = row.get(row.fieldIndex(column));
      total = total.add(value == null ? BigDecimal.ZERO : (BigDecimal) value);
    }
    return total;
  }

  private static Set<String> strings(List<Row> rows, String column) {
    Set<String> values = new TreeSet<>();
    rows.forEach(row -> values.add(row.getString(row.fieldIndex(column))));
    return values;
  }

  @Test
  void theInvestigatedAnomalysUsersModelsAndEffectsAddUpToIt() throws IOException {
    Map<String, List<Row>> results = run("investigate_anomaly.sql", Map.of());

    List<Row> anomaly = results.get("The anomaly");
    assertEquals(1, anomaly.size(), "the default picks one anomaly");
    BigDecimal actual = anomaly.get(0).getDecimal(anomaly.get(0).fieldIndex("actual_cost_usd"));
    BigDecimal impact = anomaly.get(0).getDecimal(anomaly.get(0).fieldIndex("impact_usd"));
    assertEquals(0, actual.compareTo(sum(results.get("Spend by user: the period vs the same period of the weeks before"),
        "period_cost_usd")), "spend by user sums to actual_cost_usd");
    assertEquals(0, actual.compareTo(sum(results.get(
        "Spend by model: requests, tokens per request and cache hit rate, the period vs before"), "period_cost_usd")),
        "spend by model sums to actual_cost_usd");
    // Each effect is stored rounded to the nano, so their sum may differ from impact_usd by a few nanos.
    BigDecimal effects = sum(results.get("What moved it: the five effects add up to impact_usd"), "effect_usd");
    assertTrue(effects.subtract(impact).abs().compareTo(new BigDecimal("0.000001")) < 0,
        () -> "the five effects sum to " + effects + ", impact_usd is " + impact);
    assertFalse(results.get("The largest requests of the period").isEmpty());
  }

  @Test
  void aChosenAnomalyIsTheOneInvestigated() throws IOException {
    Row any = lake.spark().sql("select grain, cast(period_start as string) as period_start, scope_type, scope_value"
        + " from gold.cost_anomalies order by abs(impact_usd) limit 1").first();
    Map<String, List<Row>> results = run("investigate_anomaly.sql", Map.of("grain", any.getString(0),
        "period_start", any.getString(1), "scope_type", any.getString(2), "scope_value", any.getString(3)));

    Row picked = results.get("The anomaly").get(0);
    assertEquals(any.getString(2) + "/" + any.getString(3),
        picked.getString(picked.fieldIndex("scope_type")) + "/" + picked.getString(picked.fieldIndex("scope_value")));
  }

  @Test
  void theSavingsNotebookListsEveryPricedModelOfTheWindow() throws IOException {
    Map<String, List<Row>> results = run("where_could_we_save.sql", Map.of());

    Set<String> models = strings(lake.spark().sql("select distinct split(price_id, '/')[1] as model"
        + " from silver.cost_events where price_id is not null").collectAsList(), "model");
    List<Row> byModel = results.get("Spend by model vs a cheaper model of the same family");
    assertEquals(models, strings(byModel, "model"));
    // gpt-4o's sibling gpt-4o-mini prices the same tokens lower.
    Row gpt4o = byModel.stream().filter(r -> "gpt-4o".equals(r.getString(r.fieldIndex("model")))).findFirst()
        .orElseThrow();
    assertEquals("gpt-4o-mini", gpt4o.getString(gpt4o.fieldIndex("cheaper_model")));
    assertFalse(results.get("Cache hit rate by feature and model").isEmpty());
    assertFalse(results.get("Standard-tier traffic the batch tier would price lower").isEmpty());
  }

  @Test
  void theForecastReviewComparesEachForecastDayWithItsActual() throws IOException {
    Map<String, List<Row>> results = run("forecast_review.sql", Map.of());

    List<Row> days = results.get("Forecast vs actual, day by day");
    assertEquals(GeneratedMonth.DAYS - 10, days.size(), "from the run date to the last day of data");
    Map<LocalDate, BigDecimal> actuals = new LinkedHashMap<>();
    for (Row row : lake.spark().sql("select event_date, cost_usd from gold.cost_daily_total").collectAsList()) {
      actuals.put(row.getDate(0).toLocalDate(), row.getDecimal(1));
    }
    for (Row day : days) {
      LocalDate date = day.getDate(day.fieldIndex("forecast_date")).toLocalDate();
      assertEquals(0, actuals.get(date).compareTo(day.getDecimal(day.fieldIndex("actual_usd"))), date::toString);
    }
  }

  @Test
  void aFailingCellNamesTheNotebookTheCellAndItsFirstLine() {
    Notebook notebook = Notebook.parse("broken.sql", "-- Databricks notebook source\nselect 1 as one\n\n"
        + "-- COMMAND ----------\n\nselect no_such_column\nfrom gold.cost_daily_total\n");
    NotebookRunner runner = new NotebookRunner(lake.spark(), TablePrinter.Format.TABLE, 5,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    NotebookRunner.CellFailedException e = org.junit.jupiter.api.Assertions.assertThrows(
        NotebookRunner.CellFailedException.class, () -> runner.run(notebook, Map.of()));
    assertEquals(2, e.cell().number());
    assertTrue(e.getMessage().startsWith("notebook broken.sql failed at cell 2 (select no_such_column):"
        + " [UNRESOLVED_COLUMN"), e.getMessage());
  }

  @Test
  void aParameterTheNotebookDoesNotUseIsRefused() {
    Notebook notebook = Notebook.parse("p.sql", "-- Databricks notebook source\nselect :days as days\n");
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> NotebookRunner.checkParameters(notebook, Map.of("dayz", "7")));
    assertEquals("Notebook p.sql has no parameter 'dayz'; it takes days", e.getMessage());
  }
}
