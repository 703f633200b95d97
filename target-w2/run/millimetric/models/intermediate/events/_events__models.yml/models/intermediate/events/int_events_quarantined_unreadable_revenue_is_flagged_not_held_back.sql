-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "event_id","quarantine_reason", 'actual' as "actual_or_expected"
  from (
    
-- sort key: forget finds a device's quarantined rows by prefix

with

 __dbt__cte__stg_millimetric__events as (

-- Fixture for stg_millimetric__events
select CAST('' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST('missing_event_id' AS String) as "quarantine_reason"
union all
select CAST('ok' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST('' AS String) as "quarantine_reason"
),  __dbt__cte__int_events_deduplicated as (

-- Fixture for int_events_deduplicated
select CAST('comma' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":"12,50"}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('nan' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":"NaN"}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('dash' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":"-"}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('two_points' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":"5.5.5"}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('boolean' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":true}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('too_large' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":1e30}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('number' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":12.5}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('numeric_string' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":"12.50"}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('absent' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('null' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":null}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('empty' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('purchase' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":""}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST('not_a_purchase' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST('{"revenue":"12,50"}' AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
),  __dbt__cte__int_devices_bot_flagged as (

-- Fixture for int_devices_bot_flagged
select CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "peak_events_per_minute", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_bot", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
    limit 0
), held_back as (
    -- kept out of every downstream model
    select
        event_id, project_id, event_name, anonymous_id, user_id, url, referrer, properties, user_agent,
        quarantine_reason,
        occurred_at, received_at, inserted_at
    from `__dbt__cte__stg_millimetric__events`
    where
        quarantine_reason != ''
        and true
        
),

unreadable_revenue as (
    -- not held back: conversions counts the event, with a NULL revenue; this row says why.
    -- Read from the events that passed staging, one per (project_id, event_id)
    select
        event_id, project_id, event_name, anonymous_id, user_id, url, referrer, properties, user_agent,
        'revenue_not_a_decimal' as quarantine_reason,
        occurred_at, received_at, inserted_at
    from `__dbt__cte__int_events_deduplicated`
    where
        
    ((event_name = 'purchase' and (
        JSONType(properties, 'revenue') != 'Null'
        and JSONExtractRaw(properties, 'revenue') != '""'
        and if(
        match(coalesce(
            nullIf(JSONExtractString(properties, 'revenue'), ''),
            JSONExtractRaw(properties, 'revenue')
        ), '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'),
        toDecimal64OrNull(coalesce(
            nullIf(JSONExtractString(properties, 'revenue'), ''),
            JSONExtractRaw(properties, 'revenue')
        ), 6),
        null
    ) is null
    )))
        -- int_events_deduplicated ran earlier in this build; rows stored between the two reads
        -- are within the margin, so the next build still finds them
        and true
        
),

machine_like as (
    -- kept out of every downstream model: every event of a device int_devices_bot_flagged flags
    -- (more than millimetric__bot_max_events_per_minute), old ones included, once each. A flag
    -- changes only with the device's new events, so an incremental run reads only the flagged
    -- devices with events stored since its last run
    select
        event_id, project_id, event_name, anonymous_id, user_id, url, referrer, properties, user_agent,
        'bot_event_rate' as quarantine_reason,
        occurred_at, received_at, inserted_at
    from `__dbt__cte__int_events_deduplicated`
    where
        (project_id, anonymous_id) in (
            select
                project_id,
                anonymous_id
            from `__dbt__cte__int_devices_bot_flagged`
            where
                is_bot
                
        )
        
),

final as (
    select * from held_back
    union all
    select * from unreadable_revenue
    union all
    select * from machine_like
)

select * from final
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "event_id", "quarantine_reason", 'expected' as "actual_or_expected"
  from (
    select CAST('' AS String) as "event_id", CAST('missing_event_id' AS String) as "quarantine_reason"
union all
select CAST('comma' AS String) as "event_id", CAST('revenue_not_a_decimal' AS String) as "quarantine_reason"
union all
select CAST('nan' AS String) as "event_id", CAST('revenue_not_a_decimal' AS String) as "quarantine_reason"
union all
select CAST('dash' AS String) as "event_id", CAST('revenue_not_a_decimal' AS String) as "quarantine_reason"
union all
select CAST('two_points' AS String) as "event_id", CAST('revenue_not_a_decimal' AS String) as "quarantine_reason"
union all
select CAST('boolean' AS String) as "event_id", CAST('revenue_not_a_decimal' AS String) as "quarantine_reason"
union all
select CAST('too_large' AS String) as "event_id", CAST('revenue_not_a_decimal' AS String) as "quarantine_reason"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected