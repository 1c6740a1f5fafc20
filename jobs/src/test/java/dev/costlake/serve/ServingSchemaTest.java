package dev.costlake.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.PostgresSettings;
import dev.costlake.lake.Lakehouse;
import dev.costlake.testing.TestPostgres;
import dev.costlake.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrated serving schema: the gold tables' columns and types, documented, and migrations that re-run as no-ops. */
class ServingSchemaTest {
  @TempDir static Path tmp;
  static PostgresSettings settings;
  static Lakehouse lake;

  @BeforeAll
  static void migrate() {
    settings = TestPostgres.freshSchema("costlake_schema_test");
    Migrations.Result result = Migrations.migrate(settings);
    assertEquals(9, result.applied());
    lake = TestSpark.lake(TestSpark.config(tmp.resolve("lake"), tmp.resolve("raw"), Map.of()));
  }

  @Test
  void everyServingTableHasItsGoldTablesColumnsAndTypes() throws Exception {
    try (Connection connection = Postgres.connect(settings)) {
      for (ServingTable table : ServingTable.values()) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (StructField field : lake.table(table.goldTable()).schema().fields()) {
          expected.put(field.name(), postgresType(field.dataType()) + (field.nullable() ? "" : " not null"));
        }
        Map<String, String> actual = new LinkedHashMap<>();
        for (String row : TestPostgres.rows(connection, "select column_name, case when data_type = 'numeric'"
            + " then 'numeric(' || numeric_precision || ',' || numeric_scale || ')' else data_type end"
            + " || case when is_nullable = 'NO' then ' not null' else '' end from information_schema.columns"
            + " where table_schema = '" + settings.schema() + "' and table_name = '" + table.tableName() + "'"
            + " order by ordinal_position")) {
          String[] parts = row.split("\\|");
          actual.put(parts[0], parts[1]);
        }
        assertEquals(expected, actual, table.tableName() + " has drifted from " + table.goldTable());
      }
    }
  }

  @Test
  void version5RenamesTheTotalsAnomaliesPublishedBeforeItToAll() throws Exception {
    PostgresSettings old = TestPostgres.freshSchema("costlake_v5_test");
    assertEquals(4, Migrations.migrate(old, "4").applied());
    try (Connection connection = Postgres.connect(old)) {
      for (String[] scope : new String[][] {{"total", "total"}, {"tenant", "total"}}) {
        connection.createStatement().execute("insert into " + old.schema() + ".cost_anomalies values ('day',"
            + " '2026-10-05', '" + scope[0] + "', '" + scope[1] + "', 'spike', 'high', 'More.', 9, 3, 6, 200, 4.5,"
            + " 1.5, 10, 4, 'trailing_days', 7, 'mean-stddev', null, null, null, 6, 0, 0, 0, 0, now())");
      }
    }
    assertEquals(1, Migrations.migrate(old, "5").applied());
    try (Connection connection = Postgres.connect(old)) {
      // The total's row is renamed; a tenant that happens to be called "total" is left alone.
      assertEquals(List.of("tenant|total", "total|all"), TestPostgres.rows(connection, "select scope_type,"
          + " scope_value from " + old.schema() + ".cost_anomalies order by scope_type"));
    }
  }

  /** The PostgreSQL type a gold column's values go to without loss. */
  private static String postgresType(DataType type) {
    if (type instanceof DecimalType decimal) {
      return "numeric(" + decimal.precision() + "," + decimal.scale() + ")";
    }
    return switch (type.typeName()) {
      case "string" -> "text";
      case "long" -> "bigint";
      case "integer" -> "integer";
      case "double" -> "double precision";
      case "boolean" -> "boolean";
      case "date" -> "date";
      case "timestamp" -> "timestamp with time zone";
      case "array" -> "jsonb";
      default -> throw new AssertionError("No PostgreSQL type for gold type " + type);
    };
  }

  @Test
  void everyTableViewAndColumnHasAComment() throws Exception {
    try (Connection connection = Postgres.connect(settings)) {
      List<String> undocumented = TestPostgres.rows(connection,
          "select c.relname || coalesce('.' || a.attname, '') from pg_class c"
              + " join pg_namespace n on n.oid = c.relnamespace"
              + " left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
              + " where n.nspname = '" + settings.schema() + "' and c.relkind in ('r', 'v')"
              + " and c.relname <> 'flyway_schema_history'"
              + " and (obj_description(c.oid, 'pg_class') is null"
              + "      or (a.attnum is not null and col_description(c.oid, a.attnum) is null))"
              + " order by 1");
      assertEquals(List.of(), undocumented);
      // Every serving table is there, and the BI views.
      List<String> relations = TestPostgres.rows(connection, "select table_name from information_schema.tables"
          + " where table_schema = '" + settings.schema() + "' order by 1");
      for (ServingTable table : ServingTable.values()) {
        assertTrue(relations.contains(table.tableName()), table.tableName() + " missing from " + relations);
      }
      assertTrue(relations.containsAll(List.of("spend_this_month", "daily_burn_rate", "forecast_vs_budget",
          "anomalies_today", "cost_by_feature_last_30_days", "cost_by_model_by_day", "top_20_users_by_cost",
          "cost_per_request_by_day", "top_drivers_this_week", "data_freshness", "publish_log")), relations.toString());
    }
  }

  @Test
  void everyServingTableHasRowLevelSecurityEnabledAndForced() throws Exception {
    try (Connection connection = Postgres.connect(settings)) {
      Map<String, String> actual = new TreeMap<>();
      for (String row : TestPostgres.rows(connection, "select relname, relrowsecurity || '/' || relforcerowsecurity"
          + " from pg_class where relnamespace = '" + settings.schema() + "'::regnamespace and relkind = 'r'"
          + " and relname not in ('flyway_schema_history', 'publish_log', 'tenant_roles')")) {
        String[] parts = row.split("\\|");
        actual.put(parts[0], parts[1]);
      }
      Map<String, String> expected = new TreeMap<>();
      for (ServingTable table : ServingTable.values()) {
        expected.put(table.tableName(), "true/true");
      }
      assertEquals(expected, actual);
    }
  }

  @Test
  void migratingAgainAppliesNothing() {
    Migrations.Result again = Migrations.migrate(settings);
    assertEquals(0, again.applied());
    assertEquals("9", again.toVersion() == null ? again.fromVersion() : again.toVersion());
  }

  @Test
  void theForecastMethodsCommentNamesThePooledMethod() throws Exception {
    try (Connection connection = Postgres.connect(settings)) {
      assertEquals(List.of("weekday_trend, weekday_trend_pooled, weekday_level or run_rate."),
          TestPostgres.rows(connection, "select col_description(c.oid, a.attnum) from pg_class c"
              + " join pg_attribute a on a.attrelid = c.oid where c.relnamespace = '" + settings.schema()
              + "'::regnamespace and c.relname = 'spend_forecast' and a.attname = 'method'"));
    }
  }

  @Test
  void dashboardFiltersHaveIndexes() throws Exception {
    try (Connection connection = Postgres.connect(settings)) {
      List<String> unindexed = new ArrayList<>();
      for (ServingTable table : ServingTable.values()) {
        if (table == ServingTable.FORECAST_ACCURACY) {
          continue;
        }
        String count = TestPostgres.value(connection, "select count(*) from pg_indexes where schemaname = '"
            + settings.schema() + "' and tablename = '" + table.tableName() + "'");
        if (count.equals("0")) {
          unindexed.add(table.tableName());
        }
      }
      assertEquals(List.of(), unindexed);
    }
  }
}
