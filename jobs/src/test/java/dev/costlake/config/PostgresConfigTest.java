package dev.costlake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** postgres.*: off by default, validated when set, named in every message. */
class PostgresConfigTest {
  @Test
  void noPostgresByDefault() {
    assertNull(CostlakeConfig.defaults().postgres());
  }

  @Test
  void aConfiguredPostgresHasItsSchemaAndStagingSchema() {
    PostgresSettings settings = CostlakeConfig.load(null, Map.of("postgres.url", "jdbc:postgresql://db:5432/bi",
        "postgres.user", "costlake", "postgres.password", "s3cret")).postgres();
    assertEquals("costlake", settings.schema());
    assertEquals("costlake_staging", settings.stagingSchema());
    assertEquals("s3cret", settings.password());
    assertTrue(!settings.toString().contains("s3cret"), "the password is never printed");
  }

  @Test
  void badValuesNameTheirKey() {
    ConfigException url = assertThrows(ConfigException.class,
        () -> CostlakeConfig.load(null, Map.of("postgres.url", "postgres://db/bi", "postgres.user", "u")));
    assertTrue(url.getMessage().startsWith("Cannot set postgres.url to 'postgres://db/bi'"), url.getMessage());
    ConfigException user = assertThrows(ConfigException.class,
        () -> CostlakeConfig.load(null, Map.of("postgres.url", "jdbc:postgresql://db/bi")));
    assertTrue(user.getMessage().startsWith("Cannot set postgres.user"), user.getMessage());
    ConfigException schema = assertThrows(ConfigException.class,
        () -> CostlakeConfig.load(null, Map.of("postgres.schema", "Cost-Lake")));
    assertTrue(schema.getMessage().startsWith("Cannot set postgres.schema to 'Cost-Lake'"), schema.getMessage());
  }
}
