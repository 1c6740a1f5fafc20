-- Replaces one window of a serving table with a publish's staged rows, in one transaction
-- (dev.costlake.serve.Publisher runs the statements in order, then commits).
--
-- why:       a dashboard query sees the window's old rows or its new ones, never none or half:
--            PostgreSQL readers keep their snapshot until the commit, and the lock (which readers'
--            ACCESS SHARE does not conflict with) makes concurrent publishes of a table take turns.
-- params:    table, staging_table (qualified names), window (a predicate on the table's window
--            column), columns (the table's columns), publish_id, publish_log, window_from,
--            window_to, complete_through (literals Java renders).
-- idempotent: the window is deleted whole before the insert, so publishing twice gives the same rows.

lock table ${table} in share row exclusive mode;

delete from ${table}
where ${window};

insert into ${table} (${columns})
select ${columns}
from ${staging_table}
where publish_id = ${publish_id};

delete from ${staging_table}
where publish_id = ${publish_id};

insert into ${publish_log} (publish_id, table_name, window_from, window_to, rows_published, complete_through)
select
    ${publish_id}                          as publish_id,
    ${table_name}                          as table_name,
    ${window_from}                         as window_from,
    ${window_to}                           as window_to,
    count(*)                               as rows_published,
    ${complete_through}                    as complete_through
from ${table}
where ${window};
