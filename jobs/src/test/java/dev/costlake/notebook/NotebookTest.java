package dev.costlake.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Parsing Databricks notebook source, and binding its :name parameters, without Spark. */
class NotebookTest {
  private static final String SOURCE = """
      -- Databricks notebook source
      -- MAGIC %md
      -- MAGIC # Investigate an anomaly
      -- MAGIC
      -- MAGIC From the row down to the requests.

      -- COMMAND ----------

      -- the anomaly
      select * from gold.cost_anomalies
      where scope_value = :scope_value

      -- COMMAND ----------

      -- DBTITLE 1,Two statements
      declare or replace variable picked string;
      set var picked = 'x';

      -- COMMAND ----------

      -- MAGIC %sql
      -- MAGIC select 1 as one

      -- COMMAND ----------

      """;

  @Test
  void cellsAreSplitOnCommandLinesAndNumberedAsDatabricksShowsThem() {
    Notebook notebook = Notebook.parse("n.sql", SOURCE);

    assertEquals(4, notebook.cells().size());
    Notebook.Cell markdown = notebook.cells().get(0);
    assertEquals(Notebook.Kind.MARKDOWN, markdown.kind());
    assertEquals("# Investigate an anomaly\n\nFrom the row down to the requests.", markdown.text());

    Notebook.Cell query = notebook.cells().get(1);
    assertEquals(2, query.number());
    assertEquals(Notebook.Kind.SQL, query.kind());
    assertNull(query.title());
    assertEquals("-- the anomaly", query.firstLine());
    assertEquals(List.of("-- the anomaly\nselect * from gold.cost_anomalies\nwhere scope_value = :scope_value"),
        query.statements());

    Notebook.Cell titled = notebook.cells().get(2);
    assertEquals("Two statements", titled.title());
    assertEquals(List.of("declare or replace variable picked string", "set var picked = 'x'"), titled.statements());

    Notebook.Cell magicSql = notebook.cells().get(3);
    assertEquals(Notebook.Kind.SQL, magicSql.kind());
    assertEquals("select 1 as one", magicSql.text());
    assertEquals(List.of(2, 3, 4), notebook.sqlCells().stream().map(Notebook.Cell::number).toList());
  }

  @Test
  void aFileWithoutTheHeaderIsNotANotebook() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Notebook.parse("plain.sql", "select 1;\n"));
    assertEquals("Notebook plain.sql is not in Databricks source format: its first line must be"
        + " '-- Databricks notebook source'", e.getMessage());
  }

  @Test
  void aMagicOtherThanMarkdownOrSqlIsRefusedNamingTheCell() {
    String source = "-- Databricks notebook source\nselect 1\n\n-- COMMAND ----------\n\n"
        + "-- MAGIC %python\n-- MAGIC print(1)\n";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Notebook.parse("p.sql", source));
    assertEquals("Notebook p.sql, cell 2 runs %python: only SQL, %sql and %md cells can run here"
        + " (costlake notebook run runs Spark SQL)", e.getMessage());
  }

  @Test
  void aCellOfOnlyCommentsHasNoStatements() {
    Notebook notebook = Notebook.parse("c.sql", "-- Databricks notebook source\n-- nothing to run yet\n");
    assertEquals(List.of(), notebook.cells().get(0).statements());
  }

  @Test
  void parametersAreFoundOutsideStringsCommentsCastsAndPaths() {
    String sql = "select ':not_me', \":nor_me\", x::int, payload:field, `a:b` -- :comment\n"
        + "from t /* :block */ where a = :first and b = coalesce(nullif(:second, ''), :first)";
    assertEquals(Set.of("first", "second"), NotebookParameters.names(sql));
    assertEquals(List.of("first", "second"), List.copyOf(NotebookParameters.names(sql)));
  }

  @Test
  void parametersBindAsStringLiteralsAndMissingOnesAsEmpty() {
    String bound = NotebookParameters.bind("select :a as a, :b as b, 'x:y' as c", Map.of("a", "it's"));
    assertEquals("select 'it\\'s' as a, '' as b, 'x:y' as c", bound);
  }
}
