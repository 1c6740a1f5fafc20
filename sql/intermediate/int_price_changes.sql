-- int_price_changes: the events of a reprice window whose pricing the current catalog changes.
--
-- grain:    one row per event whose list cost, cost, status, catalog row or match rule differs
--           (null-safe) between silver now and a fresh pricing; events priced the same are left
--           alone, so re-running a reprice with the same catalog changes nothing.
-- input:    temp views reprice_current (silver.cost_events rows of the window) and reprice_priced
--           (the same events through int_cost_events_priced.sql), built by RepriceJob.

with

current as (
    select * from reprice_current
),

priced as (
    select * from reprice_priced
),

final as (
    select
        priced.event_id,
        priced.event_date,
        priced.model,
        -- after
        priced.list_cost_usd_nanos,
        priced.cost_usd_nanos,
        priced.pricing_status,
        priced.price_id,
        priced.price_match,
        priced.price_catalog_version,
        -- before
        current.list_cost_usd_nanos as old_list_cost_usd_nanos,
        current.cost_usd_nanos as old_cost_usd_nanos,
        current.pricing_status as old_pricing_status,
        current.price_catalog_version as old_price_catalog_version
    from priced
    join current
        on  priced.event_id = current.event_id
        and priced.event_date = current.event_date
    where not (priced.list_cost_usd_nanos <=> current.list_cost_usd_nanos)
       or not (priced.cost_usd_nanos <=> current.cost_usd_nanos)
       or not (priced.pricing_status <=> current.pricing_status)
       or not (priced.price_id <=> current.price_id)
       or not (priced.price_match <=> current.price_match)
)

select * from final
