package dev.costlake.serve;

import dev.costlake.config.PostgresSettings;
import dev.costlake.testing.TestPostgres;
import java.time.Instant;
import java.util.List;

/**
 * ServeFixtures published once to a schema of its own, with three BI roles granted: acme's, globex's
 * and an admin ('*'). Shared by the tenant isolation and BI question tests (a publish costs seconds).
 */
final class PublishedFixture {
  static final String PASSWORD = "tenant-test-password";
  private static PostgresSettings settings;

  private PublishedFixture() {}

  static synchronized PostgresSettings settings() {
    if (settings == null) {
      PostgresSettings fresh = TestPostgres.freshSchema("costlake_bi_test");
      new Publisher(ServeFixtures.lake(), fresh).publish(List.of(ServingTable.values()), PublishWindow.ALL,
          Instant.parse("2026-11-20T23:00:00Z"));
      TenantGrants.grant(fresh, "acme", acme(fresh), PASSWORD);
      TenantGrants.grant(fresh, "globex", globex(fresh), PASSWORD);
      TenantGrants.grant(fresh, TenantGrants.ALL_TENANTS, admin(fresh), PASSWORD);
      // Granting again updates, never duplicates.
      TenantGrants.grant(fresh, "acme", acme(fresh), PASSWORD);
      settings = fresh;
    }
    return settings;
  }

  static String acme(PostgresSettings settings) {
    return settings.schema() + "_acme";
  }

  static String globex(PostgresSettings settings) {
    return settings.schema() + "_globex";
  }

  static String admin(PostgresSettings settings) {
    return settings.schema() + "_admin";
  }
}
