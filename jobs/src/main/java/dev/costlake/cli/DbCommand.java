package dev.costlake.cli;

import dev.costlake.config.ConfigException;
import dev.costlake.config.PostgresSettings;
import dev.costlake.serve.Migrations;
import dev.costlake.serve.TenantGrants;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `costlake db`: the PostgreSQL serving schema: migrate it, grant a tenant's role. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = {"Migrate the PostgreSQL serving database and grant tenant roles.",
        "Connects with postgres.*."},
    subcommands = {DbCommand.Migrate.class, DbCommand.GrantTenant.class})
public final class DbCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: migrate or grant-tenant");
  }

  static PostgresSettings settings(CommonOptions common) {
    PostgresSettings postgres = common.config().postgres();
    if (postgres == null) {
      throw new ConfigException("postgres.url is not set (see conf/costlake.example.conf, postgres { ... })");
    }
    return postgres;
  }

  /** `costlake db migrate`: apply the migrations of sql/postgres/. */
  @Command(name = "migrate", mixinStandardHelpOptions = true,
      description = {"Apply the serving database's migrations (sql/postgres/).",
          "Migrates postgres.url; a no-op when it is up to date."})
  public static final class Migrate implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      Migrations.Result result = Migrations.migrate(settings(common));
      System.out.printf("schema %s: %d migration(s) applied, now at version %s%n", result.schema(), result.applied(),
          result.toVersion() != null ? result.toVersion() : result.fromVersion());
      return 0;
    }
  }

  /** `costlake db grant-tenant TENANT ROLE`: a read-only login role that sees one tenant. */
  @Command(name = "grant-tenant", mixinStandardHelpOptions = true,
      description = {"Create or update a read-only login role for one tenant's rows.",
          "ROLE sees only TENANT's rows of the serving",
          "tables and views (TENANT '*': every tenant and the company-wide tables, for an admin or BI role)."})
  public static final class GrantTenant implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant_id, or '*' for every tenant.")
    String tenant;

    @Parameters(index = "1", paramLabel = "ROLE", description = "The database role to create or update.")
    String role;

    @Option(names = "--password", paramLabel = "PASSWORD", interactive = true, arity = "0..1",
        description = "Set the role's password (prompted when given without a value). Default: leave it as it is.")
    String password;

    @Override
    public Integer call() {
      PostgresSettings postgres = settings(common);
      TenantGrants.grant(postgres, tenant, role, password);
      System.out.printf("role %s sees %s in schema %s (member of %s)%n", role,
          TenantGrants.ALL_TENANTS.equals(tenant) ? "every tenant" : "tenant " + tenant, postgres.schema(),
          postgres.readerRole());
      return 0;
    }
  }
}
