package dev.costlake.serve;

import dev.costlake.config.ConfigException;
import dev.costlake.config.PostgresSettings;
import dev.costlake.lake.SqlFile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Creates or updates a read-only login role that sees one tenant's rows of the serving tables and
 * views (or every tenant's, for tenant {@value #ALL_TENANTS}): sql/serve/grant_tenant.sql.
 */
public final class TenantGrants {
  /** The tenant that stands for every tenant (and the company-wide tables): an admin/BI role. */
  public static final String ALL_TENANTS = "*";

  private TenantGrants() {}

  /**
   * Migrates, then grants.
   *
   * @param password the role's new password, or null to leave it as it is (a new role has none)
   */
  public static void grant(PostgresSettings settings, String tenant, String role, String password) {
    if (tenant.isBlank()) {
      throw new IllegalArgumentException("TENANT must not be empty");
    }
    if (role.isBlank() || role.length() > 63) {
      throw new IllegalArgumentException("ROLE must be a PostgreSQL role name of 1 to 63 characters, not '" + role + "'");
    }
    if (role.equals(settings.user())) {
      throw new IllegalArgumentException("ROLE " + role + " is postgres.user, the publisher: grant a role of its own");
    }
    Migrations.migrate(settings);
    requireCreaterole(settings, role);
    String sql = SqlFile.load("serve/grant_tenant.sql").bind(Map.of(
        "role", Postgres.identifier(role),
        "role_name", Postgres.literal(role),
        "tenant", Postgres.literal(tenant),
        "password_clause", password == null ? "" : "password " + Postgres.literal(password),
        "reader", Postgres.identifier(settings.readerRole()),
        "schema", Postgres.identifier(settings.schema())));
    try (Connection connection = Postgres.connect(settings)) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        // One script, one transaction: the role, its grant and its mapping appear together.
        statement.execute(sql);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot grant tenant " + tenant + " to role " + role + ": " + e.getMessage(), e);
    }
  }

  /** Creating, altering and adding a login role to the reader group all need CREATEROLE. */
  private static void requireCreaterole(PostgresSettings settings, String role) {
    try (Connection connection = Postgres.connect(settings);
         Statement statement = connection.createStatement();
         ResultSet result = statement.executeQuery("select rolsuper or rolcreaterole from pg_catalog.pg_roles"
             + " where rolname = current_user")) {
      result.next();
      if (!result.getBoolean(1)) {
        throw new ConfigException("postgres.user " + settings.user() + " lacks CREATEROLE, which `costlake db"
            + " grant-tenant` needs to create or alter the login role " + role + " and add it to "
            + settings.readerRole() + ". As a superuser, run once: ALTER ROLE " + Postgres.identifier(settings.user())
            + " CREATEROLE;");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the privileges of postgres.user " + settings.user() + ": "
          + e.getMessage(), e);
    }
  }
}
