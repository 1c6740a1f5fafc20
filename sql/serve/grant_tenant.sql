-- Creates or updates a read-only login role that sees one tenant's rows (or every tenant's, for
-- tenant '*'), for `costlake db grant-tenant TENANT ROLE`. Run as the publisher (CREATEROLE).
--
-- grants:    membership of ${reader} only: USAGE on the serving schema and SELECT on its serving
--            tables and views (sql/postgres/V3, V4). No writes, no staging, no mapping table.
-- rows:      ${schema}.tenant_roles maps the role to its tenant; row-level security does the rest.
-- params:    role (quoted identifier), role_name, tenant (literals), password_clause (empty, or
--            password '<literal>'), reader (group role), schema.

do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = ${role_name}) then
        create role ${role} login;
    end if;
end;
$$;

-- (A CREATEROLE role cannot name the superuser, replication or bypassrls attributes; new roles have none.)
alter role ${role} login nocreatedb nocreaterole inherit ${password_clause};

-- BI questions name the views plainly (spend_this_month, not costlake.spend_this_month).
alter role ${role} set search_path = ${schema};

grant ${reader} to ${role};

insert into ${schema}.tenant_roles (role_name, tenant_id)
values (${role_name}, ${tenant})
on conflict (role_name) do update
set tenant_id = excluded.tenant_id,
    granted_at = now();
