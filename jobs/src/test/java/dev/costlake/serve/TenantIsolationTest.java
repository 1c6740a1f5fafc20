package dev.costlake.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.config.PostgresSettings;
import dev.costlake.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Row-level security: each tenant's role sees exactly its rows, through tables and views; admins see all. */
class TenantIsolationTest {
  static final String PASSWORD = PublishedFixture.PASSWORD;
  static PostgresSettings settings;
  static String acme;
  static String globex;
  static String admin;

  @BeforeAll
  static void publishAndGrant() {
    settings = PublishedFixture.settings();
    acme = PublishedFixture.acme(settings);
    globex = PublishedFixture.globex(settings);
    admin = PublishedFixture.admin(settings);
  }

  private static String value(String role, String sql) throws SQLException {
    try (Connection connection = TestPostgres.connectAs(settings, role, PASSWORD)) {
      return TestPostgres.value(connection, sql);
    }
  }

  private static String q(String table) {
    return settings.schema() + "." + table;
  }

  @Test
  void eachTenantRoleSeesExactlyItsOwnRowsOfTheTenantTables() throws Exception {
    String sql = "select count(*) || '|' || sum(cost_usd) from " + q("cost_daily");
    assertEquals("3|" + ServeFixtures.ACME_COST, value(acme, sql));
    assertEquals("2|" + ServeFixtures.GLOBEX_COST, value(globex, sql));
    assertEquals("5|" + ServeFixtures.TOTAL_COST, value(admin, sql));
    String hourly = "select string_agg(distinct tenant_id, ',') || '|' || sum(requests) from " + q("cost_hourly");
    assertEquals("acme|19", value(acme, hourly));
    assertEquals("globex|10", value(globex, hourly));
    assertEquals("acme,globex|29", value(admin, hourly));
    assertEquals("acme|" + ServeFixtures.ACME_COST, value(acme, "select string_agg(distinct tenant_id, ',') || '|'"
        + " || sum(cost_usd) from " + q("cost_daily_by_tenant")));
    assertEquals("2", value(globex, "select count(*) from " + q("cost_daily_by_user")));
  }

  @Test
  void companyWideTablesAreForAdminsOnly() throws Exception {
    for (String table : List.of("cost_daily_by_feature", "cost_daily_by_model", "cost_daily_by_region",
        "cost_daily_total", "top_cost_drivers", "cost_per_request_trend", "forecast_accuracy")) {
      assertEquals("0", value(acme, "select count(*) from " + q(table)), table);
      assertTrue(Long.parseLong(value(admin, "select count(*) from " + q(table))) > 0, table);
    }
    assertEquals(ServeFixtures.TOTAL_COST, value(admin, "select sum(cost_usd) from " + q("cost_daily_total")));
  }

  @Test
  void anomaliesAndForecastsShowATenantOnlyItsOwnScopes() throws Exception {
    String anomalies = "select string_agg(scope_type || ':' || scope_value, ',' order by scope_type) from "
        + q("cost_anomalies");
    assertEquals("tenant:acme", value(acme, anomalies));
    assertEquals("tenant_feature:globex/search", value(globex, anomalies));
    assertEquals("tenant:acme,tenant_feature:globex/search,total:all", value(admin, anomalies));
    String forecasts = "select string_agg(scope_type || ':' || scope_value, ',' order by scope_type, scope_value)"
        + " from " + q("spend_forecast");
    assertEquals("tenant:acme", value(acme, forecasts));
    assertEquals("feature:chat,tenant:acme,tenant:globex,total:all", value(admin, forecasts));
    assertEquals("1", value(globex, "select count(*) from " + q("spend_forecast_daily")));
  }

  @Test
  void budgetsAndAlertsShowATenantOnlyThoseOnItself() throws Exception {
    String budgets = "select coalesce(string_agg(budget_name || ':' || scope_type || ':' || scope_value, ','"
        + " order by budget_name), '-') from " + q("budget_status");
    assertEquals("acme:tenant:acme", value(acme, budgets));
    assertEquals("-", value(globex, budgets));
    assertEquals("acme:tenant:acme,all-up:all:all,each-user:user:u1", value(admin, budgets));
    String alerts = "select coalesce(string_agg(dedupe_key, ',' order by dedupe_key), '-') from " + q("alerts");
    assertEquals("budget:tenant:acme", value(acme, alerts));
    assertEquals("-", value(globex, alerts));
    assertEquals("budget:all:all,budget:tenant:acme", value(admin, alerts));
    // The forecast tile shows acme its own budget.
    assertEquals("tenant:acme:5.000000000", value(acme, "select scope_type || ':' || scope_value || ':' || budget_usd"
        + " from " + q("forecast_vs_budget")));
  }

  @Test
  void viewsApplyTheCallersRowLevelSecurity() throws Exception {
    String users = "select string_agg(user_id, ',' order by rank) from " + q("top_20_users_by_cost");
    assertEquals("u2,u1", value(acme, users));
    assertEquals(ServeFixtures.NUL_USER_SERVED + ",g1", value(globex, users));
    assertEquals(ServeFixtures.NUL_USER_SERVED + ",u2,u1,g1", value(admin, users));
    String features = "select string_agg(feature || ':' || cost_usd, ',' order by feature) from "
        + q("cost_by_feature_last_30_days");
    assertEquals("chat:1.400000001,search:2.500000000", value(acme, features));
    assertEquals("chat:2.100000001,search:5.800000000", value(admin, features));
    assertEquals("tenant:acme", value(acme, "select string_agg(scope_type || ':' || scope_value, ',') from "
        + q("forecast_vs_budget")));
  }

  @Test
  void aTenantRoleCannotWriteNorReadTheMappingNorOtherSchemas() throws Exception {
    try (Connection connection = TestPostgres.connectAs(settings, acme, PASSWORD);
        Statement statement = connection.createStatement()) {
      for (String sql : List.of(
          "delete from " + q("cost_daily"),
          "insert into " + q("cost_daily_by_tenant") + " (event_date, tenant_id, requests, unpriced_requests,"
              + " input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,"
              + " unpriced_tokens) values (current_date, 'acme', 1, 0, 0, 0, 0, 0, 0, 0)",
          "update " + q("publish_log") + " set rows_published = 0",
          "select * from " + q("tenant_roles"),
          "select * from " + settings.stagingSchema() + ".cost_daily",
          "select * from " + settings.schema() + ".flyway_schema_history",
          "create table " + settings.schema() + ".mine (x int)")) {
        SQLException denied = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
        assertEquals("42501", denied.getSQLState(), sql + ": " + denied.getMessage());
      }
      assertEquals(List.of("acme"), TestPostgres.rows(connection, "select tenant_id from " + q("my_tenants")));
    }
  }

  @Test
  void policiesKeyOnTheCurrentRoleSoSetRoleWorks() throws Exception {
    try (Connection connection = dev.costlake.serve.Postgres.connect(settings);
        Statement statement = connection.createStatement()) {
      // A BI tool's service account that switches to the tenant's role.
      statement.execute("grant " + globex + " to current_user");
      statement.execute("set role " + globex);
      assertEquals("2|" + ServeFixtures.GLOBEX_COST, TestPostgres.value(connection,
          "select count(*) || '|' || sum(cost_usd) from " + q("cost_daily")));
      statement.execute("reset role");
    }
  }
}
