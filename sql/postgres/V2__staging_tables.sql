-- Staging tables: where Spark's JDBC writer loads a publish's rows before one transaction moves them
-- into the serving table (dev.costlake.serve.Publisher, sql/serve/publish_window.sql).
--
-- owner:     these migrations; Spark only appends rows to them, never creates or drops them.
-- keyed:     every row carries its publish_id: concurrent or failed publishes never mix, and the
--            apply step moves (and deletes) exactly one publish's rows. Rows a failed publish left
--            are deleted by the next publish once older than a day (staged_at).
-- access:    the publisher only: BI roles get no USAGE on ${staging_schema}.

create or replace procedure ${staging_schema}.create_staging_table(serving_table text)
language plpgsql as $$
begin
    execute format('create table %I.%I (like %I.%I)', '${staging_schema}', serving_table, '${schema}', serving_table);
    execute format('alter table %I.%I add column publish_id text not null, '
                   'add column staged_at timestamptz not null default now()', '${staging_schema}', serving_table);
    execute format('create index on %I.%I (publish_id)', '${staging_schema}', serving_table);
    execute format('comment on table %I.%I is %L', '${staging_schema}', serving_table,
                   'Staging for ' || serving_table || ': rows of one publish (publish_id) before they replace its window.');
end;
$$;

call ${staging_schema}.create_staging_table('cost_hourly');
call ${staging_schema}.create_staging_table('cost_daily');
call ${staging_schema}.create_staging_table('cost_daily_by_tenant');
call ${staging_schema}.create_staging_table('cost_daily_by_feature');
call ${staging_schema}.create_staging_table('cost_daily_by_model');
call ${staging_schema}.create_staging_table('cost_daily_by_user');
call ${staging_schema}.create_staging_table('cost_daily_by_region');
call ${staging_schema}.create_staging_table('cost_daily_total');
call ${staging_schema}.create_staging_table('top_cost_drivers');
call ${staging_schema}.create_staging_table('cost_per_request_trend');
call ${staging_schema}.create_staging_table('cost_anomalies');
call ${staging_schema}.create_staging_table('spend_forecast');
call ${staging_schema}.create_staging_table('spend_forecast_daily');
call ${staging_schema}.create_staging_table('forecast_accuracy');

drop procedure ${staging_schema}.create_staging_table(text);
