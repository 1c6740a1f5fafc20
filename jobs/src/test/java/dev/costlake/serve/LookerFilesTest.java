package dev.costlake.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.PostgresSettings;
import dev.costlake.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The LookML under sql/bi/looker/: well-formed, and naming only views and columns that exist. */
class LookerFilesTest {
  static final Path LOOKER = Path.of(System.getProperty("costlake.repo.root", ".."), "sql/bi/looker");
  static final Set<String> TOP_LEVEL_KEYS = Set.of("connection", "include", "explore", "view", "label", "datagroup");
  static final Pattern TOP_LEVEL = Pattern.compile("^([a-z_]+):", Pattern.MULTILINE);
  static final Pattern TABLE_COLUMN = Pattern.compile("\\$\\{TABLE}\\.([a-z_0-9]+)");
  static final Pattern SQL_TABLE_NAME = Pattern.compile("sql_table_name:\\s*costlake\\.([a-z_0-9]+)\\s*;;");

  private static List<Path> files() throws Exception {
    try (Stream<Path> walk = Files.walk(LOOKER)) {
      return walk.filter(f -> f.toString().endsWith(".lkml")).sorted().toList();
    }
  }

  /** The text outside strings and comments, where braces must balance. */
  private static String code(String text) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (String line : text.split("\n", -1)) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (!inString && c == '#') {
          break;
        }
        if (c == '"') {
          inString = !inString;
        } else if (!inString) {
          out.append(c);
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  @Test
  void everyFileIsBalancedAndUsesKnownTopLevelKeys() throws Exception {
    List<Path> files = files();
    assertTrue(files.size() >= 11, files.toString());
    for (Path file : files) {
      String code = code(Files.readString(file));
      int depth = 0;
      for (char c : code.toCharArray()) {
        depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        assertTrue(depth >= 0, file + ": a '}' closes nothing");
      }
      assertEquals(0, depth, file + ": unbalanced braces");
      // Top-level keys are the ones at column 0, outside any block.
      StringBuilder topLevel = new StringBuilder();
      int level = 0;
      for (char c : code.toCharArray()) {
        if (level == 0) {
          topLevel.append(c);
        }
        level += c == '{' ? 1 : c == '}' ? -1 : 0;
      }
      Matcher keys = TOP_LEVEL.matcher(topLevel);
      while (keys.find()) {
        assertTrue(TOP_LEVEL_KEYS.contains(keys.group(1)), file + ": unknown top-level key " + keys.group(1));
      }
    }
  }

  @Test
  void everyViewNamesOnlyColumnsThatExistAndEveryExploreHasItsView() throws Exception {
    PostgresSettings settings = PublishedFixture.settings();
    Set<String> views = new TreeSet<>();
    List<String> missing = new ArrayList<>();
    try (Connection connection = Postgres.connect(settings)) {
      for (Path file : files()) {
        String text = Files.readString(file);
        Matcher table = SQL_TABLE_NAME.matcher(text);
        if (!table.find()) {
          continue;
        }
        views.add(table.group(1));
        Set<String> columns = new TreeSet<>(TestPostgres.rows(connection, "select column_name from"
            + " information_schema.columns where table_schema = '" + settings.schema() + "' and table_name = '"
            + table.group(1) + "'"));
        assertTrue(!columns.isEmpty(), file + ": no relation " + table.group(1));
        Matcher column = TABLE_COLUMN.matcher(text);
        while (column.find()) {
          if (!columns.contains(column.group(1))) {
            missing.add(file.getFileName() + ": " + column.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), missing);
    Matcher explores = Pattern.compile("^explore:\\s*([a-z_0-9]+)", Pattern.MULTILINE)
        .matcher(Files.readString(LOOKER.resolve("costlake.model.lkml")));
    Set<String> explored = new TreeSet<>();
    while (explores.find()) {
      explored.add(explores.group(1));
    }
    assertEquals(views, explored);
    assertEquals(10, views.size());
  }
}
