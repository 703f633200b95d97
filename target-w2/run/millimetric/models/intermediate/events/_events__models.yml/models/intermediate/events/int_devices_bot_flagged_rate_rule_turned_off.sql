-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "anonymous_id","peak_events_per_minute","is_bot", 'actual' as "actual_or_expected"
  from (
    
-- sort key: the device-grain models' post-hook and forget look devices up by key
-- read in order: the window follows int_events_deduplicated's sort key, so no event is sorted
-- in memory. A device's flag depends on all its events: an incremental run recomputes the
-- devices of int_devices_this_run whole

with

 __dbt__cte__int_devices_this_run as (

-- Fixture for int_devices_this_run
select CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id"
    limit 0
),  __dbt__cte__int_events_deduplicated as (

-- Fixture for int_events_deduplicated
select CAST(defaultValueOfTypeName('String') AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('four_at_once' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST(defaultValueOfTypeName('String') AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('four_at_once' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST(defaultValueOfTypeName('String') AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('four_at_once' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
union all
select CAST(defaultValueOfTypeName('String') AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('four_at_once' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST(defaultValueOfTypeName('String') AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at", CAST(defaultValueOfTypeName('DateTime64(3)') AS DateTime64(3)) as "deduplicated_at"
), events as (
    select
        project_id,
        anonymous_id,
        occurred_at,
        deduplicated_at
    from `__dbt__cte__int_events_deduplicated`
    where true
),

events_with_rate as (
    select
        *,
        -- the device's events in the 60 seconds up to and including this one, by its own clock
        -- (an offline queue flushed at once keeps its events' times and is not a burst)
        count() over (
            partition by project_id, anonymous_id
            order by toUnixTimestamp64Milli(occurred_at)
            range between 60000 preceding and current row
        ) as events_in_last_minute
    from events
),

devices as (
    select
        project_id,
        anonymous_id,
        count() as event_count,
        max(events_in_last_minute) as peak_events_per_minute,
        max(deduplicated_at) as deduplicated_at
    from events_with_rate
    group by project_id, anonymous_id
),

final as (
    select
        project_id,
        anonymous_id,
        event_count,
        peak_events_per_minute,
        
            false as is_bot,
        
        deduplicated_at
    from devices
)

select * from final
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "anonymous_id", "peak_events_per_minute", "is_bot", 'expected' as "actual_or_expected"
  from (
    select CAST('four_at_once' AS String) as "anonymous_id", CAST(4 AS UInt64) as "peak_events_per_minute", CAST(False AS Bool) as "is_bot"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected