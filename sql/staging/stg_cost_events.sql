-- stg_cost_events: the raw records of one ingest micro-batch, parsed, normalised and validated.
--
-- grain:     one row per raw record read by the batch (a non-blank JSON line or a Parquet row
--            rendered as JSON); nothing is filtered here, so records read = rows of this relation.
-- input:     temp view raw_records(raw, source_file, file_modified_at, file_block_start, record_ordinal),
--            built by dev.costlake.ingest.RawRecords; the only relation that touches raw input.
-- cadence:   every ingest micro-batch (`costlake ingest`, the hourly job).
-- params:    bound as literals by IngestJob: max_event_time (ingest clock + ingest.max-clock-skew),
--            max_event_id_length (200), max_dimension_length (ingest.max-dimension-length).
-- invariant: reason is null exactly when the record is usable; then every column is set and the
--            token invariants of silver.cost_events hold. The first failing check names the reason.
-- exactness: fields are parsed as text (JSON numbers keep their digits as integers); the cost is
--            parsed a second time straight into DECIMAL(38,18), because Spark renders a JSON
--            fraction through a double when asked for text.

with

raw_records as (
    select * from raw_records
),

parsed as (
    select
        raw,
        source_file,
        file_modified_at,
        file_block_start,
        record_ordinal,
        from_json(
            raw,
            'event_id string, request_id string, event_time string, `timestamp` string, model string,
             tenant_id string, feature string, feature_name string, user_id string, project string,
             region string, environment string, provider string, operation string,
             service_tier string, tags string, input_tokens string, output_tokens string,
             cached_input_tokens string, cache_write_tokens string, reasoning_tokens string,
             cost_usd string, cost string, _corrupt_record string',
            map('mode', 'PERMISSIVE', 'columnNameOfCorruptRecord', '_corrupt_record')
        ) as j
    from raw_records
),

renamed as (
    select
        raw,
        source_file,
        file_modified_at,
        file_block_start,
        record_ordinal,
        -- a JSON value that is not an object (or is not JSON) leaves j null or sets _corrupt_record
        (j is null or j._corrupt_record is not null) as is_malformed,
        -- ids and time: canonical names win over their aliases
        coalesce(j.event_id, j.request_id) as event_id,
        coalesce(j.event_time, j.`timestamp`) as event_time_text,
        -- dimensions: an empty string counts as absent
        nullif(j.model, '') as model,
        nullif(j.tenant_id, '') as tenant_id,
        coalesce(nullif(j.feature, ''), nullif(j.feature_name, '')) as feature,
        nullif(j.user_id, '') as user_id,
        nullif(j.project, '') as project,
        nullif(j.region, '') as region,
        nullif(j.environment, '') as environment,
        nullif(lower(j.provider), '') as provider,
        lower(nullif(j.operation, '')) as operation,
        lower(nullif(j.service_tier, '')) as service_tier,
        j.tags as tags_text,
        -- usage, as the text of the JSON value
        j.input_tokens as input_tokens_text,
        j.cached_input_tokens as cached_input_tokens_text,
        j.cache_write_tokens as cache_write_tokens_text,
        j.output_tokens as output_tokens_text,
        j.reasoning_tokens as reasoning_tokens_text,
        -- money
        coalesce(j.cost_usd, j.cost) as cost_text
    from parsed
),

typed as (
    select
        *,
        case
            when event_time_text rlike '^[0-9]{1,15}$'
                then timestamp_millis(cast(event_time_text as bigint))
            when event_time_text rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$'
                then try_cast(upper(event_time_text) as timestamp)
        end as event_time,
        -- non-negative whole numbers (12, or 12.0 from writers that only have floats); the cheap
        -- cast settles almost every record, the pattern only the rare 12.0
        case when input_tokens_text is null then 0
             when try_cast(input_tokens_text as bigint) >= 0 then try_cast(input_tokens_text as bigint)
             when input_tokens_text rlike '^[0-9]{1,18}[.]0+$' then cast(regexp_extract(input_tokens_text, '^[0-9]+', 0) as bigint)
        end as input_tokens,
        case when cached_input_tokens_text is null then 0
             when try_cast(cached_input_tokens_text as bigint) >= 0 then try_cast(cached_input_tokens_text as bigint)
             when cached_input_tokens_text rlike '^[0-9]{1,18}[.]0+$' then cast(regexp_extract(cached_input_tokens_text, '^[0-9]+', 0) as bigint)
        end as cached_input_tokens,
        case when cache_write_tokens_text is null then 0
             when try_cast(cache_write_tokens_text as bigint) >= 0 then try_cast(cache_write_tokens_text as bigint)
             when cache_write_tokens_text rlike '^[0-9]{1,18}[.]0+$' then cast(regexp_extract(cache_write_tokens_text, '^[0-9]+', 0) as bigint)
        end as cache_write_tokens,
        case when output_tokens_text is null then 0
             when try_cast(output_tokens_text as bigint) >= 0 then try_cast(output_tokens_text as bigint)
             when output_tokens_text rlike '^[0-9]{1,18}[.]0+$' then cast(regexp_extract(output_tokens_text, '^[0-9]+', 0) as bigint)
        end as output_tokens,
        case when reasoning_tokens_text is null then 0
             when try_cast(reasoning_tokens_text as bigint) >= 0 then try_cast(reasoning_tokens_text as bigint)
             when reasoning_tokens_text rlike '^[0-9]{1,18}[.]0+$' then cast(regexp_extract(reasoning_tokens_text, '^[0-9]+', 0) as bigint)
        end as reasoning_tokens,
        -- the exact decimal, parsed again only for the records that carry a cost
        case when cost_text is not null
            then coalesce(
                from_json(raw, 'cost_usd decimal(38,18)').cost_usd,
                from_json(raw, 'cost decimal(38,18)').cost)
        end as cost_usd_exact,
        case when tags_text is not null then from_json(tags_text, 'map<string,string>') end as tags
    from renamed
),

rounded as (
    select
        *,
        -- the one rounding on the path of a reported cost: half-up to the nano-dollar
        round(cost_usd_exact, 9) as cost_usd_rounded
    from typed
),

validated as (
    select
        *,
        case
            when is_malformed then 'malformed_json'
            when event_id is null or event_id = '' then 'missing_event_id'
            when length(event_id) > ${max_event_id_length} then 'field_too_long'
            when event_time_text is null or event_time_text = '' then 'missing_event_time'
            when event_time is null then 'bad_event_time'
            when event_time > ${max_event_time} then 'event_time_in_future'
            when model is null then 'missing_model'
            when greatest(length(model), length(tenant_id), length(feature), length(user_id),
                          length(project), length(region), length(environment), length(provider))
                 > ${max_dimension_length} then 'field_too_long'
            when least(try_cast(input_tokens_text as double), try_cast(cached_input_tokens_text as double),
                       try_cast(cache_write_tokens_text as double), try_cast(output_tokens_text as double),
                       try_cast(reasoning_tokens_text as double)) < 0 then 'negative_tokens'
            when input_tokens is null or cached_input_tokens is null or cache_write_tokens is null
              or output_tokens is null or reasoning_tokens is null then 'non_integer_tokens'
            when cached_input_tokens > input_tokens then 'cached_exceeds_input'
            -- cached and written prompt tokens are both part of input_tokens, so together at most it
            when cached_input_tokens + cache_write_tokens > input_tokens then 'cache_write_exceeds_input'
            when reasoning_tokens > output_tokens then 'reasoning_exceeds_output'
            when cost_text is not null and (cost_usd_rounded is null or cost_usd_rounded < 0
              or cost_usd_rounded >= 1000000000) then 'bad_cost'
            when operation is not null
             and operation not in ('chat', 'completion', 'embedding', 'fine_tune', 'image', 'audio', 'rerank')
                then 'bad_operation'
            when service_tier is not null
             and service_tier not in ('standard', 'batch', 'flex', 'priority') then 'bad_service_tier'
            when tags_text is not null and tags is null then 'bad_tags'
        end as reason
    from rounded
),

final as (
    select
        reason,
        -- for a person: which field was wrong, and its value
        case reason
            when 'malformed_json' then 'not a JSON object'
            when 'missing_event_id' then 'event_id (or request_id) is missing or empty'
            when 'field_too_long' then
                case when length(event_id) > ${max_event_id_length}
                     then concat('event_id has ', length(event_id), ' characters; at most ', ${max_event_id_length})
                     else concat('a dimension is longer than ', ${max_dimension_length}, ' characters') end
            when 'missing_event_time' then 'event_time (or timestamp) is missing'
            when 'bad_event_time' then concat('event_time = ', left(event_time_text, 100),
                                              ': not RFC 3339 with an offset, nor epoch milliseconds')
            when 'event_time_in_future' then concat('event_time = ', event_time_text, ' is after ',
                                                    cast(${max_event_time} as string), ' (ingest clock + allowed skew)')
            when 'missing_model' then 'model is missing or empty'
            when 'negative_tokens' then concat('token counts: input=', coalesce(input_tokens_text, '0'),
                ' cached_input=', coalesce(cached_input_tokens_text, '0'), ' cache_write=', coalesce(cache_write_tokens_text, '0'),
                ' output=', coalesce(output_tokens_text, '0'), ' reasoning=', coalesce(reasoning_tokens_text, '0'))
            when 'non_integer_tokens' then concat('token counts must be whole numbers: input=', coalesce(input_tokens_text, '0'),
                ' cached_input=', coalesce(cached_input_tokens_text, '0'), ' cache_write=', coalesce(cache_write_tokens_text, '0'),
                ' output=', coalesce(output_tokens_text, '0'), ' reasoning=', coalesce(reasoning_tokens_text, '0'))
            when 'cached_exceeds_input' then concat('cached_input_tokens = ', cached_input_tokens, ' > input_tokens = ', input_tokens)
            when 'cache_write_exceeds_input' then concat('cached_input_tokens + cache_write_tokens = ', cached_input_tokens,
                ' + ', cache_write_tokens, ' > input_tokens = ', input_tokens)
            when 'reasoning_exceeds_output' then concat('reasoning_tokens = ', reasoning_tokens, ' > output_tokens = ', output_tokens)
            when 'bad_cost' then concat('cost_usd = ', left(cost_text, 100), ': not a number from 0 to 999999999.999999999')
            when 'bad_operation' then concat('operation = ', left(operation, 100))
            when 'bad_service_tier' then concat('service_tier = ', left(service_tier, 100))
            when 'bad_tags' then 'tags must be an object of string values'
        end as detail,
        -- ids
        case when reason is null or length(event_id) <= ${max_event_id_length} then event_id end as event_id,
        -- time
        event_time,
        to_date(event_time) as event_date,
        date_trunc('HOUR', event_time) as event_hour,
        -- dimensions, defaults applied
        coalesce(tenant_id, 'default') as tenant_id,
        coalesce(feature, 'unknown') as feature,
        coalesce(user_id, 'anonymous') as user_id,
        project,
        region,
        environment,
        provider,
        model,
        coalesce(operation, 'chat') as operation,
        coalesce(service_tier, 'standard') as service_tier,
        tags,
        -- measures
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
        reasoning_tokens,
        -- USD nanos, rounded half-up once
        case when reason is null and cost_usd_rounded is not null
            then cast(cast(cost_usd_rounded as decimal(18,9)) * 1000000000 as bigint)
        end as reported_cost_usd_nanos,
        -- what makes two copies of an event the same: every normalised field but lineage
        case when reason is null then xxhash64(
            event_time, coalesce(tenant_id, 'default'), coalesce(feature, 'unknown'),
            coalesce(user_id, 'anonymous'), project, region, environment, provider, model,
            coalesce(operation, 'chat'), coalesce(service_tier, 'standard'), array_sort(map_entries(tags)), input_tokens, cached_input_tokens,
            cache_write_tokens, output_tokens, reasoning_tokens, cost_usd_rounded)
        end as content_hash,
        -- lineage
        raw,
        source_file,
        file_modified_at,
        file_block_start,
        record_ordinal
    from validated
)

select * from final
