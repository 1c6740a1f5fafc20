package dev.costlake.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL file from sql/ (on the class path under sql/). Java only binds its ${placeholders}, with
 * literals it renders itself (locations, limits, timestamps, ids it made): Spark 4.2's named
 * parameters are not bound inside CTEs or inserts into Delta tables.
 */
public final class SqlFile {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

  private final String name;
  private final String text;

  private SqlFile(String name, String text) {
    this.name = name;
    this.text = text;
  }

  /** Loads sql/NAME, e.g. {@code silver/cost_events.sql}. */
  public static SqlFile load(String name) {
    String resource = "sql/" + name;
    try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("SQL file " + resource + " is not on the class path");
      }
      return new SqlFile(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read SQL file " + resource, e);
    }
  }

  public String name() {
    return name;
  }

  /**
   * One statement of a file that holds several, separated by a line ending in ';' outside comments:
   * a gold table's file holds its DDL (statement 0) and the query that fills it (statement 1).
   */
  public SqlFile statement(int index) {
    List<String> statements = new java.util.ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      current.append(line).append('\n');
      String code = line.contains("--") ? line.substring(0, line.indexOf("--")) : line;
      if (code.strip().endsWith(";")) {
        statements.add(current.toString());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString());
    }
    if (index >= statements.size()) {
      throw new IllegalStateException("SQL file " + name + " has no statement " + (index + 1));
    }
    return new SqlFile(name + "#" + (index + 1), statements.get(index));
  }

  /** The statement with every ${placeholder} bound; an unbound or unused binding is an error. */
  public String bind(Map<String, String> bindings) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    java.util.Set<String> used = new java.util.HashSet<>();
    while (matcher.find()) {
      String key = matcher.group(1);
      String value = bindings.get(key);
      if (value == null) {
        throw new IllegalArgumentException("SQL file " + name + " needs a value for ${" + key + "}");
      }
      used.add(key);
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    for (String key : bindings.keySet()) {
      if (!used.contains(key)) {
        throw new IllegalArgumentException("SQL file " + name + " has no ${" + key + "}");
      }
    }
    return stripTrailingSemicolon(out.toString());
  }

  public String text() {
    return stripTrailingSemicolon(text);
  }

  private static String stripTrailingSemicolon(String sql) {
    String trimmed = sql.strip();
    return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  /** A UTC timestamp literal, to the microsecond (Spark's precision). */
  public static String timestampLiteral(java.time.Instant instant) {
    return "timestamp'" + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
        .withZone(java.time.ZoneOffset.UTC).format(instant) + "'";
  }

  /** A comma-separated list of date literals for `in (...)`; a list that matches nothing when empty. */
  public static String dateList(java.util.Collection<java.time.LocalDate> dates) {
    if (dates.isEmpty()) {
      return "cast(null as date)";
    }
    return dates.stream().sorted().map(SqlFile::dateLiteral).collect(java.util.stream.Collectors.joining(", "));
  }

  /** A comma-separated list of UTC timestamp literals for `in (...)`; matches nothing when empty. */
  public static String timestampList(java.util.Collection<java.time.Instant> instants) {
    if (instants.isEmpty()) {
      return "cast(null as timestamp)";
    }
    return instants.stream().sorted().map(SqlFile::timestampLiteral).collect(java.util.stream.Collectors.joining(", "));
  }

  public static String dateLiteral(java.time.LocalDate date) {
    return "date'" + date + "'";
  }

  /** Quotes a value as a Spark SQL string literal (for locations bound into DDL). */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
