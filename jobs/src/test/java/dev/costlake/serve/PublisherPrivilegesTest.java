package dev.costlake.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.costlake.Main;
import dev.costlake.config.PostgresSettings;
import dev.costlake.testing.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Publishing as a role with less than the documented privileges: the migration that creates the BI
 * group roles is the only step that needs CREATEROLE (and `db grant-tenant`); a role without it is
 * told, before anything is created, what it lacks and the statement that grants it.
 */
class PublisherPrivilegesTest {
  /** A login role of the publisher's kind (CREATE on the database) without CREATEROLE. */
  private static final String APP = "costlake_app_no_createrole";
  private static final String APP_PASSWORD = "app-secret";
  /** Its schema: the group roles it would create are costlake_noroles_reader and _reader_all. */
  private static final String SCHEMA = "costlake_noroles";

  private PostgresSettings admin;
  private PostgresSettings app;
  private String database;

  private record Result(int exitCode, String err) {}

  @BeforeEach
  void aRoleWithoutCreaterole() throws SQLException {
    admin = TestPostgres.freshSchema("costlake_privileges_admin");
    dropApp();
    try (Connection connection = Postgres.connect(admin); Statement statement = connection.createStatement()) {
      statement.execute("create role " + APP + " login nocreaterole password '" + APP_PASSWORD + "'");
      database = TestPostgres.value(connection, "select current_database()");
      statement.execute("grant create on database " + database + " to " + APP);
    }
    app = new PostgresSettings(admin.url(), APP, APP_PASSWORD, SCHEMA);
  }

  @AfterEach
  void dropAppRole() throws SQLException {
    dropApp();
  }

  @Test
  void migratingWithoutCreateroleExitsTwoNamingTheRoleAndTheStatement() throws SQLException {
    Result migrate = costlake("db", "migrate");

    assertEquals(Main.EXIT_USAGE, migrate.exitCode(), migrate.err());
    assertEquals("costlake: postgres.user costlake_app_no_createrole lacks CREATEROLE, which the first migration"
        + " of schema costlake_noroles needs: migration 3 creates the group roles costlake_noroles_reader and"
        + " costlake_noroles_reader_all that BI roles join. As a superuser, run once:"
        + " ALTER ROLE \"costlake_app_no_createrole\" CREATEROLE; (After that migration, publishing no longer"
        + " needs it; `costlake db grant-tenant` does.)\n", migrate.err());
    // Checked before Flyway started: nothing half-made to clean up.
    try (Connection connection = Postgres.connect(admin)) {
      assertEquals("0", TestPostgres.value(connection, "select count(*) from pg_namespace"
          + " where nspname like 'costlake_noroles%'"));
    }
  }

  @Test
  void theGrantedStatementIsEnoughAndPublishingNeedsNoCreateroleOnceMigrated() throws Exception {
    try (Connection connection = Postgres.connect(admin); Statement statement = connection.createStatement()) {
      statement.execute("ALTER ROLE \"costlake_app_no_createrole\" CREATEROLE");
    }
    Result migrate = costlake("db", "migrate");
    assertEquals(0, migrate.exitCode(), migrate.err());

    try (Connection connection = Postgres.connect(admin); Statement statement = connection.createStatement()) {
      statement.execute("alter role " + APP + " nocreaterole");
    }
    // Migrating again (as every publish does) and publishing need no CREATEROLE ...
    assertEquals(0, costlake("db", "migrate").exitCode());
    Publisher.Result published = new Publisher(ServeFixtures.lake(), app)
        .publish(List.of(ServingTable.COST_DAILY), PublishWindow.ALL, null);
    assertEquals(1, published.tables().size());
    try (Connection connection = Postgres.connect(app)) {
      assertEquals(ServeFixtures.TOTAL_COST, TestPostgres.value(connection,
          "select sum(cost_usd) from " + SCHEMA + ".cost_daily"));
    }
    // ... but making a tenant's login role does, and says so.
    Result grant = costlake("db", "grant-tenant", "acme", "costlake_noroles_acme");
    assertEquals(Main.EXIT_USAGE, grant.exitCode(), grant.err());
    assertEquals("costlake: postgres.user costlake_app_no_createrole lacks CREATEROLE, which `costlake db"
        + " grant-tenant` needs to create or alter the login role costlake_noroles_acme and add it to"
        + " costlake_noroles_reader. As a superuser, run once: ALTER ROLE \"costlake_app_no_createrole\""
        + " CREATEROLE;\n", grant.err());
  }

  @Test
  void aRoleWithoutCreateOnTheDatabaseIsToldThatToo() throws SQLException {
    try (Connection connection = Postgres.connect(admin); Statement statement = connection.createStatement()) {
      statement.execute("revoke create on database " + database + " from " + APP);
    }
    Result migrate = costlake("db", "migrate");

    assertEquals(Main.EXIT_USAGE, migrate.exitCode(), migrate.err());
    assertTrue(migrate.err().startsWith("costlake: postgres.user costlake_app_no_createrole lacks CREATE on database "
        + database + ", which creating the schemas costlake_noroles and costlake_noroles_staging needs. As the"
        + " database's owner or a superuser, run once: GRANT CREATE ON DATABASE \"" + database
        + "\" TO \"costlake_app_no_createrole\"; postgres.user costlake_app_no_createrole lacks CREATEROLE,"),
        migrate.err());
  }

  private Result costlake(String... command) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    List<String> args = new java.util.ArrayList<>(List.of(command));
    args.addAll(List.of("--set", "postgres.url=" + app.url(), "--set", "postgres.user=" + APP,
        "--set", "postgres.password=" + APP_PASSWORD, "--set", "postgres.schema=" + SCHEMA));
    return new Result(cli.execute(args.toArray(String[]::new)), err.toString());
  }

  /** The role, its schemas and the group roles it made, as the test's admin role (CREATEROLE) can. */
  private void dropApp() throws SQLException {
    try (Connection connection = Postgres.connect(admin); Statement statement = connection.createStatement()) {
      if (TestPostgres.value(connection, "select count(*) from pg_roles where rolname = '" + APP + "'").equals("1")) {
        // Membership lets the admin drop what the role owns (CREATEROLE may grant it, PostgreSQL 15).
        statement.execute("grant " + APP + " to current_user");
        statement.execute("drop schema if exists " + SCHEMA + " cascade");
        statement.execute("drop schema if exists " + SCHEMA + "_staging cascade");
        statement.execute("drop owned by " + APP);
        statement.execute("drop role " + APP);
      }
      statement.execute("drop role if exists " + SCHEMA + "_reader_all");
      statement.execute("drop role if exists " + SCHEMA + "_reader");
    }
  }
}
