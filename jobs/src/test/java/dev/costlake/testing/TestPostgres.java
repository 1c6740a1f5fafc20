package dev.costlake.testing;

import dev.costlake.config.PostgresSettings;
import dev.costlake.serve.Postgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The real PostgreSQL server the serving tests use, from COSTLAKE_TEST_PG_URL, _USER and _PASSWORD
 * (bin/test starts one and sets them). No server is a test failure that says so, never a skip.
 */
public final class TestPostgres {
  public static final String URL = "COSTLAKE_TEST_PG_URL";
  public static final String USER = "COSTLAKE_TEST_PG_USER";
  public static final String PASSWORD = "COSTLAKE_TEST_PG_PASSWORD";

  private TestPostgres() {}

  /**
   * Settings for a schema of the test's own, dropped (with its staging schema) and left to the
   * migrations to recreate, so each test class starts from nothing.
   */
  public static PostgresSettings freshSchema(String name) {
    // Surefire runs two JVMs against one server: each gets schemas (and so roles) of its own.
    String schema = name + "_f" + System.getProperty("costlake.test.fork", "0");
    String url = System.getenv(URL);
    String user = System.getenv(USER);
    if (url == null || url.isBlank() || user == null || user.isBlank()) {
      throw new IllegalStateException("The serving tests need a PostgreSQL server: set " + URL + " (a JDBC URL), "
          + USER + " and " + PASSWORD + " (a role with CREATEROLE that owns the database, not a superuser), "
          + "or run the tests with bin/test, which starts the machine's PostgreSQL and sets them.");
    }
    PostgresSettings settings = new PostgresSettings(url, user, System.getenv(PASSWORD), schema);
    try (Connection connection = Postgres.connect(settings); Statement statement = connection.createStatement()) {
      statement.execute("drop schema if exists " + settings.schema() + " cascade");
      statement.execute("drop schema if exists " + settings.stagingSchema() + " cascade");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot reset schema " + schema + " on " + url + ": " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("The serving tests need a reachable PostgreSQL server (" + URL + "=" + url
          + "); run them with bin/test. " + e.getMessage(), e);
    }
    return settings;
  }

  /** The same server as another role (a tenant's, an admin's). */
  public static Connection connectAs(PostgresSettings settings, String role, String password) {
    return Postgres.connect(settings.url(), role, password);
  }

  /** Every row of a query, each row's columns joined by '|' (null as "null"). */
  public static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          if (i > 1) {
            row.append('|');
          }
          row.append(result.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  /** The single value of a one-row, one-column query, as a string. */
  public static String value(Connection connection, String sql) throws SQLException {
    List<String> rows = rows(connection, sql);
    if (rows.size() != 1) {
      throw new AssertionError("Expected one row from " + sql + ", got " + rows);
    }
    return rows.get(0);
  }
}
