package dev.costlake.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.costlake.config.PostgresSettings;
import dev.costlake.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Metabase question (sql/bi/metabase/*.sql) runs as an admin BI role and returns the fixture's rows. */
class MetabaseQuestionsTest {
  static final Path QUESTIONS = Path.of(System.getProperty("costlake.repo.root", ".."), "sql/bi/metabase");

  @Test
  void everyQuestionReturnsTheFixturesRows() throws Exception {
    PostgresSettings settings = PublishedFixture.settings();
    boolean sameMonth = ServeFixtures.YESTERDAY.getMonth() == ServeFixtures.TODAY.getMonth();
    String nul = ServeFixtures.NUL_USER_SERVED;
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("spend_this_month.sql", List.of((sameMonth ? "7.900000001|29|" : "3.700000000|7|")
        + ServeFixtures.TODAY.withDayOfMonth(1)));
    expected.put("daily_burn_rate.sql", List.of(ServeFixtures.YESTERDAY + "|4.200000001|4.200000001"));
    expected.put("forecast_vs_budget.sql", List.of(
        // The budgets on exactly these scopes (the per-user quota is on none of them).
        "feature|chat|2.100000000|10.000000000|20.000000000|30.000000000|null",
        "tenant|acme|3.900000000|10.000000000|20.000000000|30.000000000|5.000000000",
        "tenant|globex|4.000000000|10.000000000|20.000000000|30.000000000|null",
        "total|all|7.900000000|10.000000000|20.000000000|30.000000000|25.000000000"));
    String tenHours = ServeFixtures.TODAY + " 10:00:00+00";
    expected.put("anomalies_today.sql", List.of(
        tenHours + "|hour|tenant|acme|spike|warning|2.300000000|acme spent more.",
        tenHours + "|hour|tenant_feature|globex/search|new_spend|info|2.300000000|globex/search spent for the first time."));
    expected.put("cost_by_feature_last_30_days.sql", List.of("search|5.800000000|8", "chat|2.100000001|21"));
    expected.put("cost_by_model_by_day.sql", List.of(
        ServeFixtures.YESTERDAY + "|claude|2.500000000", ServeFixtures.YESTERDAY + "|gpt-4o-mini|1.700000001",
        ServeFixtures.TODAY + "|claude|3.300000000", ServeFixtures.TODAY + "|gpt-4o-mini|0.400000000"));
    expected.put("top_20_users_by_cost.sql", List.of("1|globex|" + nul + "|3.300000000|3", "2|acme|u2|2.500000000|5",
        "3|acme|u1|1.400000001|14", "4|globex|g1|0.700000000|7"));
    expected.put("cost_per_request_trend.sql", List.of(
        ServeFixtures.YESTERDAY + "|chat|0.100000000", ServeFixtures.YESTERDAY + "|search|0.625000000",
        ServeFixtures.TODAY + "|chat|0.100000000", ServeFixtures.TODAY + "|search|1.100000000"));
    Map<String, List<String>> actual = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(QUESTIONS)) {
      files = listing.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    assertEquals(10, files.size(), "one question per tile: " + files);
    try (Connection connection = TestPostgres.connectAs(settings, PublishedFixture.admin(settings),
        PublishedFixture.PASSWORD)) {
      // Metabase's session time zone is UTC here, as the views' dates are.
      connection.createStatement().execute("set time zone 'UTC'");
      for (Path file : files) {
        List<String> rows = TestPostgres.rows(connection, Files.readString(file));
        String name = file.getFileName().toString();
        if (name.equals("top_drivers_this_week.sql")) {
          rows = rows.stream().filter(r -> r.split("\\|")[1].equals("1")).map(r -> r.split("\\|")[0] + "|"
              + r.split("\\|")[2]).toList();
          expected.put(name, List.of("feature|search", "model|claude", "user|globex/" + nul));
        } else if (name.equals("data_freshness.sql")) {
          rows = rows.stream().map(r -> r.split("\\|")[0]).toList();
          expected.put(name, Stream.of(ServingTable.values()).map(ServingTable::tableName).sorted().toList());
        }
        actual.put(name, rows);
      }
    }
    assertEquals(expected, actual);
  }
}
