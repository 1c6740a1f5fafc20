package dev.costlake.notebook;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Named parameter markers ({@code :name}) in notebook SQL: finding them and binding them as string
 * literals, as a Databricks widget does. Java binds them itself because Spark 4.2 leaves named
 * parameters unbound inside CTEs and SET VAR. Markers inside quotes and comments are left alone, and
 * so are the casts ({@code x::int}) and JSON paths ({@code col:field}) that a colon also starts.
 */
public final class NotebookParameters {
  private NotebookParameters() {}

  /** The parameter names used in the SQL, in order of first use. */
  public static Set<String> names(String sql) {
    Set<String> names = new LinkedHashSet<>();
    scan(sql, name -> {
      names.add(name);
      return ":" + name;
    });
    return names;
  }

  /**
   * The SQL with every marker replaced by its value as a string literal; a name with no value binds
   * the empty string (an empty widget).
   */
  public static String bind(String sql, Map<String, String> values) {
    return scan(sql, name -> literal(values.getOrDefault(name, "")));
  }

  /** A Spark SQL string literal (Databricks reads the same escapes). */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String scan(String sql, Function<String, String> replace) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        out.append(sql, i, end);
        i = end;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = i + 1;
        while (end < n && sql.charAt(end) != c) {
          end += sql.charAt(end) == '\\' && c != '`' ? 2 : 1;
        }
        end = Math.min(end + 1, n);
        out.append(sql, i, end);
        i = end;
      } else if (c == ':' && isMarker(sql, i)) {
        int end = i + 1;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        out.append(replace.apply(sql.substring(i + 1, end)));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** A colon that starts a marker: followed by a name, not part of '::', not after a value (col:field). */
  private static boolean isMarker(String sql, int at) {
    if (at + 1 >= sql.length()) {
      return false;
    }
    char next = sql.charAt(at + 1);
    if (!(Character.isLetter(next) || next == '_')) {
      return false;
    }
    if (at > 0) {
      char before = sql.charAt(at - 1);
      if (before == ':' || Character.isLetterOrDigit(before) || before == '_' || before == ')' || before == ']'
          || before == '`') {
        return false;
      }
    }
    return true;
  }
}
