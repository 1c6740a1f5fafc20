package dev.costlake.report;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.Iterable;

/** Prints query results for people (aligned columns) or programs (CSV, JSON lines). */
public final class TablePrinter {
  public enum Format { TABLE, CSV, JSON }

  private TablePrinter() {}

  /** Prints at most maxRows rows and says so when there were more. */
  public static void print(Dataset<Row> result, Format format, int maxRows, PrintStream out) {
    if (format == Format.JSON) {
      for (String line : result.toJSON().takeAsList(maxRows)) {
        out.println(line);
      }
      return;
    }
    String[] columns = result.columns();
    List<Row> rows = result.takeAsList(maxRows + 1);
    boolean truncated = rows.size() > maxRows;
    if (truncated) {
      rows = rows.subList(0, maxRows);
    }
    List<String[]> cells = new ArrayList<>();
    for (Row row : rows) {
      String[] line = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        line[i] = render(row.get(i));
      }
      cells.add(line);
    }
    if (format == Format.CSV) {
      out.println(csvLine(columns));
      for (String[] line : cells) {
        out.println(csvLine(line));
      }
      return;
    }
    int[] widths = new int[columns.length];
    boolean[] numeric = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      widths[i] = columns[i].length();
      numeric[i] = result.schema().fields()[i].dataType() instanceof org.apache.spark.sql.types.NumericType;
    }
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    out.println(alignedLine(columns, widths, new boolean[columns.length]));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (String[] line : cells) {
      out.println(alignedLine(line, widths, numeric));
    }
    out.println("(" + rows.size() + (truncated ? "+ rows; showing the first " + maxRows : " row" + (rows.size() == 1 ? "" : "s")) + ")");
  }

  private static String alignedLine(String[] values, int[] widths, boolean[] rightAligned) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      String pad = " ".repeat(widths[i] - values[i].length());
      line.append(rightAligned[i] ? pad + values[i] : values[i] + (i == values.length - 1 ? "" : pad));
    }
    return line.toString();
  }

  static String render(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      StringBuilder out = new StringBuilder("{");
      scala.collection.Iterator<?> it = map.iterator();
      boolean first = true;
      while (it.hasNext()) {
        scala.Tuple2<?, ?> entry = (scala.Tuple2<?, ?>) it.next();
        out.append(first ? "" : ", ").append(render(entry._1())).append(": ").append(render(entry._2()));
        first = false;
      }
      return out.append("}").toString();
    }
    if (value instanceof Map<?, ?> map) {
      return map.toString();
    }
    if (value instanceof Iterable<?> seq) {
      return seq.mkString("[", ", ", "]");
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant().toString();
    }
    return String.valueOf(value);
  }

  private static String csvLine(String[] values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        line.append(',');
      }
      String v = "NULL".equals(values[i]) ? "" : values[i];
      if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
        line.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        line.append(v);
      }
    }
    return line.toString();
  }
}
