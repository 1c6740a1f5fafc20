package dev.costlake.serve;

import dev.costlake.config.PostgresSettings;
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
    MigrateResult result = flyway.migrate();
    return new Result(settings.schema(), result.initialSchemaVersion, result.targetSchemaVersion,
        result.migrationsExecuted);
  }
}
