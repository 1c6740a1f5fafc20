package dev.costlake.serve;

import dev.costlake.config.ConfigException;
import dev.costlake.config.PostgresSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the versioned migrations of sql/postgres/ (Flyway) to the serving database: the serving
 * tables, their staging tables, tenant isolation and the BI views. Idempotent; run by
 * `costlake db migrate` and before every publish.
 */
public final class Migrations {
  static final String LOCATION = "classpath:sql/postgres";
  /**
   * The migration that creates (and comments on) the BI group roles: the only one that needs
   * CREATEROLE. Once a database has it, the publisher needs no CREATEROLE to migrate or publish.
   */
  static final String CREATES_ROLES = "3";

  private Migrations() {}

  /** What a migrate did: the schema's version before and after, and how many migrations ran. */
  public record Result(String schema, String fromVersion, String toVersion, int applied) {}

  public static Result migrate(PostgresSettings settings) {
    return migrate(settings, "latest");
  }

  /** Migrates up to a version ("latest": all of them); tests use it to check a migration's data changes. */
  static Result migrate(PostgresSettings settings, String targetVersion) {
    Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(settings.url(), settings.user(), settings.password())
        // The first schema holds Flyway's history table; Flyway creates both when missing.
        .schemas(settings.schema(), settings.stagingSchema())
        .defaultSchema(settings.schema())
        .locations(LOCATION)
        .placeholders(Map.of("schema", settings.schema(), "staging_schema", settings.stagingSchema()))
        .cleanDisabled(true)
        .target(targetVersion)
        .load();
    List<String> pending = Arrays.stream(flyway.info().pending())
        .map(migration -> migration.getVersion().getVersion())
        .toList();
    if (!pending.isEmpty()) {
      requirePrivileges(settings, pending);
    }
    MigrateResult result = flyway.migrate();
    return new Result(settings.schema(), result.initialSchemaVersion, result.targetSchemaVersion,
        result.migrationsExecuted);
  }

  /**
   * Fails before anything is created, naming what postgres.user lacks for the pending migrations
   * and the statement that grants it, instead of a permission error half-way through a migration.
   */
  private static void requirePrivileges(PostgresSettings settings, List<String> pendingVersions) {
    List<String> missing = new ArrayList<>();
    try (Connection connection = Postgres.connect(settings);
         PreparedStatement query = connection.prepareStatement(
             "select roles.rolsuper or roles.rolcreaterole as can_create_roles,"
                 + " pg_catalog.has_database_privilege(current_database(), 'CREATE') as can_create_schemas,"
                 + " (select count(*) from pg_catalog.pg_namespace where nspname in (?, ?)) as schemas,"
                 + " current_database() as database"
                 + " from pg_catalog.pg_roles as roles where roles.rolname = current_user")) {
      query.setString(1, settings.schema());
      query.setString(2, settings.stagingSchema());
      try (ResultSet role = query.executeQuery()) {
        role.next();
        if (role.getInt("schemas") < 2 && !role.getBoolean("can_create_schemas")) {
          missing.add("postgres.user " + settings.user() + " lacks CREATE on database " + role.getString("database")
              + ", which creating the schemas " + settings.schema() + " and " + settings.stagingSchema()
              + " needs. As the database's owner or a superuser, run once: GRANT CREATE ON DATABASE "
              + Postgres.identifier(role.getString("database")) + " TO " + Postgres.identifier(settings.user()) + ";");
        }
        if (pendingVersions.contains(CREATES_ROLES) && !role.getBoolean("can_create_roles")) {
          missing.add("postgres.user " + settings.user() + " lacks CREATEROLE, which the first migration of schema "
              + settings.schema() + " needs: migration " + CREATES_ROLES + " creates the group roles "
              + settings.readerRole() + " and " + settings.readerAllRole() + " that BI roles join."
              + " As a superuser, run once: ALTER ROLE " + Postgres.identifier(settings.user()) + " CREATEROLE;"
              + " (After that migration, publishing no longer needs it; `costlake db grant-tenant` does.)");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the privileges of postgres.user " + settings.user() + ": "
          + e.getMessage(), e);
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(String.join(" ", missing));
    }
  }
}
