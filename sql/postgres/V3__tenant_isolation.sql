-- Tenant isolation: which database role sees which tenant's rows, enforced by row-level security.
--
-- roles:     ${schema}_reader: the group every BI role joins (USAGE on ${schema}, SELECT on the
--            serving tables and views, nothing else: no staging, no mapping table, no writes).
--            ${schema}_reader_all: the admin/BI group; its members see every tenant and the
--            company-wide tables. `costlake db grant-tenant TENANT ROLE` makes ROLE a login role in
--            ${schema}_reader that sees only TENANT (TENANT '*': every tenant, via the mapping).
-- mapping:   ${schema}.tenant_roles (role -> tenant), readable by the publisher only. Policies key on
--            current_user (so SET ROLE works, as BI tools use it) through ${schema}.my_tenants, a view
--            that runs with its owner's rights but returns only the rows of the roles current_user is
--            a member of. BI tools can't set session variables, so nothing here uses them.
-- policies:  every serving table has row-level security ENABLEd and FORCEd (FORCE: it applies to the
--            owner too), with a permissive all-rights policy for the publisher (the role that ran
--            these migrations, which owns the tables and publishes into them).
--            tenant_id tables (cost_hourly, cost_daily, cost_daily_by_tenant, cost_daily_by_user):
--              the role's tenants' rows.
--            cost_anomalies: scope tenant = the tenant, scope tenant_feature = '<tenant>/<feature>'.
--            spend_forecast, spend_forecast_daily: scope tenant = the tenant.
--            company-wide tables (cost_daily_by_feature/model/region, cost_daily_total,
--              top_cost_drivers, cost_per_request_trend, forecast_accuracy) and the total/feature/model
--              scopes of anomalies and forecasts: only '*' roles. A total across tenants tells one
--              tenant about the others (their spend is the total minus its own), so a tenant's role
--              sees none of it; the BI views are built on the tenant-scoped tables, so the same view
--              gives a tenant its own figures and an admin the company's.

do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = '${schema}_reader') then
        create role ${schema}_reader nologin;
    end if;
    if not exists (select from pg_catalog.pg_roles where rolname = '${schema}_reader_all') then
        create role ${schema}_reader_all nologin;
    end if;
end;
$$;
grant ${schema}_reader to ${schema}_reader_all;
comment on role ${schema}_reader is 'costlake BI readers of schema ${schema}: SELECT on its serving tables and views; rows by tenant (row-level security).';
comment on role ${schema}_reader_all is 'costlake admin/BI readers of schema ${schema}: every tenant and the company-wide tables.';

create table ${schema}.tenant_roles (
    role_name  text        not null primary key,
    tenant_id  text        not null,
    granted_at timestamptz not null default now()
);
comment on table ${schema}.tenant_roles is 'Which tenant each database role sees (one tenant per role; * = every tenant). Written by costlake db grant-tenant; not readable by BI roles.';
comment on column ${schema}.tenant_roles.role_name is 'Database role (login or group); members of a group role see what it sees.';
comment on column ${schema}.tenant_roles.tenant_id is 'The tenant_id its rows carry, or * for every tenant and the company-wide tables.';
comment on column ${schema}.tenant_roles.granted_at is 'When the mapping was last written (UTC instant).';
insert into ${schema}.tenant_roles (role_name, tenant_id) values ('${schema}_reader_all', '*');

-- Runs with its owner's rights (a plain view), so a BI role reads its own mapping without reading
-- the table; current_user is still the caller's role (after SET ROLE, the role set).
create view ${schema}.my_tenants as
select
    tenant_roles.tenant_id
from ${schema}.tenant_roles
join pg_catalog.pg_roles on pg_roles.rolname = tenant_roles.role_name
where pg_catalog.pg_has_role(current_user, pg_roles.oid, 'member');
comment on view ${schema}.my_tenants is 'The tenants the current role sees (* = all): what the row-level security policies key on.';
comment on column ${schema}.my_tenants.tenant_id is 'A tenant_id the current role may read, or * for every tenant.';

create or replace procedure ${schema}.isolate(serving_table text, tenant_predicate text)
language plpgsql as $$
declare
    sees_all constant text := 'exists (select 1 from ${schema}.my_tenants where my_tenants.tenant_id = ''*'')';
begin
    execute format('alter table %I.%I enable row level security', '${schema}', serving_table);
    execute format('alter table %I.%I force row level security', '${schema}', serving_table);
    -- The owner publishes (delete the window, insert from staging): FORCE applies RLS to it too.
    execute format('create policy publisher_writes on %I.%I for all to current_user using (true) with check (true)',
                   '${schema}', serving_table);
    execute format('create policy tenant_reads on %I.%I for select using (%s)', '${schema}', serving_table,
                   case when tenant_predicate is null then sees_all
                        else sees_all || ' or (' || tenant_predicate || ')' end);
    execute format('grant select on %I.%I to %I', '${schema}', serving_table, '${schema}_reader');
end;
$$;

call ${schema}.isolate('cost_hourly', 'tenant_id in (select tenant_id from ${schema}.my_tenants)');
call ${schema}.isolate('cost_daily', 'tenant_id in (select tenant_id from ${schema}.my_tenants)');
call ${schema}.isolate('cost_daily_by_tenant', 'tenant_id in (select tenant_id from ${schema}.my_tenants)');
call ${schema}.isolate('cost_daily_by_user', 'tenant_id in (select tenant_id from ${schema}.my_tenants)');
call ${schema}.isolate('cost_anomalies',
    '(scope_type = ''tenant'' and scope_value in (select tenant_id from ${schema}.my_tenants))'
    || ' or (scope_type = ''tenant_feature'' and split_part(scope_value, ''/'', 1) in (select tenant_id from ${schema}.my_tenants))');
call ${schema}.isolate('spend_forecast',
    'scope_type = ''tenant'' and scope_value in (select tenant_id from ${schema}.my_tenants)');
call ${schema}.isolate('spend_forecast_daily',
    'scope_type = ''tenant'' and scope_value in (select tenant_id from ${schema}.my_tenants)');
call ${schema}.isolate('cost_daily_by_feature', null);
call ${schema}.isolate('cost_daily_by_model', null);
call ${schema}.isolate('cost_daily_by_region', null);
call ${schema}.isolate('cost_daily_total', null);
call ${schema}.isolate('top_cost_drivers', null);
call ${schema}.isolate('cost_per_request_trend', null);
call ${schema}.isolate('forecast_accuracy', null);

drop procedure ${schema}.isolate(text, text);

grant usage on schema ${schema} to ${schema}_reader;
grant select on ${schema}.my_tenants to ${schema}_reader;
-- Freshness is no tenant's secret: every reader sees what was published when.
grant select on ${schema}.publish_log to ${schema}_reader;
