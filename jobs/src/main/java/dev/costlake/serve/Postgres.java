package dev.costlake.serve;

import dev.costlake.config.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC connections to the serving database, and quoting for the SQL Java renders for it. */
public final class Postgres {
  /** The driver Spark's JDBC writer loads by name (the shaded jar relocates it with this string). */
  static final String DRIVER = "org.postgresql.Driver";

  private Postgres() {}

  /** A connection as the configured (publishing) role, in autocommit mode. */
  public static Connection connect(PostgresSettings settings) {
    return connect(settings.url(), settings.user(), settings.password());
  }

  public static Connection connect(String url, String user, String password) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password == null ? "" : password);
    properties.setProperty("ApplicationName", "costlake");
    try {
      Class.forName(DRIVER);
      return DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot connect to PostgreSQL at " + url + " as " + user + ": "
          + e.getMessage() + " (check postgres.url, postgres.user and postgres.password)", e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("The PostgreSQL JDBC driver is not on the class path", e);
    }
  }

  /** A string literal (standard_conforming_strings, PostgreSQL's default since 9.1). */
  public static String literal(String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("A PostgreSQL value cannot hold a NUL character");
    }
    return "'" + value.replace("'", "''") + "'";
  }

  /** A quoted identifier: any role or schema name a person chose stays one name. */
  public static String identifier(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0 || name.length() > 63) {
      throw new IllegalArgumentException("'" + name + "' is not a PostgreSQL name (1 to 63 characters)");
    }
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
