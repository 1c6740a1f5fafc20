package dev.costlake.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A SQL notebook in Databricks source format, parsed into its cells: the first line is
 * {@value #HEADER}, cells are separated by {@value #SEPARATOR} lines, and a cell whose lines all
 * start with {@code -- MAGIC} runs a magic command (%md is markdown, %sql is SQL; nothing else runs here).
 */
public record Notebook(String name, List<Cell> cells) {
  public static final String HEADER = "-- Databricks notebook source";
  public static final String SEPARATOR = "-- COMMAND ----------";
  private static final String MAGIC = "-- MAGIC";
  private static final String TITLE = "-- DBTITLE";

  /** What a cell is. */
  public enum Kind { SQL, MARKDOWN }

  /**
   * One cell.
   *
   * @param number 1-based, counting every cell of the file (as Databricks shows them)
   * @param title the cell's DBTITLE, or null
   * @param text the SQL, or the markdown without its MAGIC prefixes and %md
   */
  public record Cell(int number, Kind kind, String title, String text) {
    /** The cell's first non-blank line, to name it in messages. */
    public String firstLine() {
      return text.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse("");
    }

    /**
     * The SQL statements of the cell, split after lines ending in ';' outside comments (the rule of
     * dev.costlake.lake.SqlFile), each without its ';'.
     */
    public List<String> statements() {
      List<String> statements = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : text.split("\n", -1)) {
        current.append(line).append('\n');
        String code = line.contains("--") ? line.substring(0, line.indexOf("--")) : line;
        if (code.strip().endsWith(";")) {
          add(statements, current.toString());
          current.setLength(0);
        }
      }
      add(statements, current.toString());
      return statements;
    }

    private static void add(List<String> statements, String statement) {
      String sql = statement.strip();
      if (sql.endsWith(";")) {
        sql = sql.substring(0, sql.length() - 1).strip();
      }
      boolean onlyComments = sql.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("--"));
      if (!onlyComments) {
        statements.add(sql);
      }
    }
  }

  /** The SQL cells, in order. */
  public List<Cell> sqlCells() {
    return cells.stream().filter(cell -> cell.kind() == Kind.SQL).toList();
  }

  /**
   * Parses a notebook's source.
   *
   * @throws IllegalArgumentException when it is not a Databricks SQL notebook or a cell runs a magic
   *     command other than %md and %sql; the message names the notebook and the cell
   */
  public static Notebook parse(String name, String source) {
    List<String> lines = source.replace("\r\n", "\n").lines().toList();
    int first = 0;
    while (first < lines.size() && lines.get(first).isBlank()) {
      first++;
    }
    if (first == lines.size() || !lines.get(first).strip().equals(HEADER)) {
      throw new IllegalArgumentException("Notebook " + name + " is not in Databricks source format: its first line"
          + " must be '" + HEADER + "'");
    }
    List<List<String>> raw = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : lines.subList(first + 1, lines.size())) {
      if (line.strip().equals(SEPARATOR)) {
        raw.add(current);
        current = new ArrayList<>();
      } else {
        current.add(line);
      }
    }
    raw.add(current);
    List<Cell> cells = new ArrayList<>();
    for (List<String> cellLines : raw) {
      List<String> trimmed = trim(cellLines);
      if (!trimmed.isEmpty()) {
        cells.add(cell(name, cells.size() + 1, trimmed));
      }
    }
    return new Notebook(name, List.copyOf(cells));
  }

  private static Cell cell(String notebook, int number, List<String> lines) {
    String title = null;
    if (lines.get(0).startsWith(TITLE)) {
      // Databricks writes a cell's title as "-- DBTITLE 1,The title".
      String rest = lines.get(0).substring(TITLE.length());
      title = rest.contains(",") ? rest.substring(rest.indexOf(',') + 1).strip() : rest.strip();
      lines = trim(lines.subList(1, lines.size()));
      if (lines.isEmpty()) {
        return new Cell(number, Kind.SQL, title, "");
      }
    }
    if (!lines.get(0).startsWith(MAGIC)) {
      return new Cell(number, Kind.SQL, title, String.join("\n", lines));
    }
    List<String> body = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith(MAGIC)) {
        throw new IllegalArgumentException("Notebook " + notebook + ", cell " + number + ": a magic cell's lines must"
            + " all start with '" + MAGIC + "', not '" + line.strip() + "'");
      }
      String text = line.substring(MAGIC.length());
      body.add(text.startsWith(" ") ? text.substring(1) : text);
    }
    String command = body.get(0).strip();
    String magic = command.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
    String rest = command.length() > magic.length() ? command.substring(magic.length()).strip() : "";
    List<String> content = new ArrayList<>();
    if (!rest.isEmpty()) {
      content.add(rest);
    }
    content.addAll(body.subList(1, body.size()));
    String text = String.join("\n", trim(content));
    return switch (magic) {
      case "%md", "%md-sandbox" -> new Cell(number, Kind.MARKDOWN, title, text);
      case "%sql" -> new Cell(number, Kind.SQL, title, text);
      default -> throw new IllegalArgumentException("Notebook " + notebook + ", cell " + number + " runs " + magic
          + ": only SQL, %sql and %md cells can run here (costlake notebook run runs Spark SQL)");
    };
  }

  private static List<String> trim(List<String> lines) {
    int from = 0;
    int to = lines.size();
    while (from < to && lines.get(from).isBlank()) {
      from++;
    }
    while (to > from && lines.get(to - 1).isBlank()) {
      to--;
    }
    return lines.subList(from, to);
  }
}
