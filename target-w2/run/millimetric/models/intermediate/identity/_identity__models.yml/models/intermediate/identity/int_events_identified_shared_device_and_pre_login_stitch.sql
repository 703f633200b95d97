-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "event_id","resolved_user_id", 'actual' as "actual_or_expected"
  from (
    
-- sort key: sessions aggregate one device's events in time order
-- read in order: the windows follow the input's sort key, so no event is sorted in memory (a
-- window's sort is never spilled to disk)
-- incremental: the rows int_events_sessionized rewrote, knowing the device's latest link before
-- them; the whole device when its first link changed (the pre-login stitch moves)

with

 __dbt__cte__int_events_sessionized as (

-- Fixture for int_events_sessionized
select CAST('e02' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$identify' AS String) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST('user_a' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(2 AS UInt64) as "device_event_number", CAST('2026-01-05 09:01:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e01' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(1 AS UInt64) as "device_event_number", CAST('2026-01-05 09:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e03' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST('user_a' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(3 AS UInt64) as "device_event_number", CAST('2026-01-05 09:02:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e04' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST('user_a' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(4 AS UInt64) as "device_event_number", CAST('2026-01-05 12:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e05' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$identify' AS String) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST('user_b' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(5 AS UInt64) as "device_event_number", CAST('2026-01-05 12:01:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e06' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST('user_b' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(6 AS UInt64) as "device_event_number", CAST('2026-01-05 12:02:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e07' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(7 AS UInt64) as "device_event_number", CAST('2026-01-05 12:03:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e11' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d2' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(1 AS UInt64) as "device_event_number", CAST('2025-01-01 00:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e12' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d2' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(2 AS UInt64) as "device_event_number", CAST('2026-01-03 23:59:59.999' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e13' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d2' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(3 AS UInt64) as "device_event_number", CAST('2026-01-04 00:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e14' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$identify' AS String) as "event_name", CAST('d2' AS String) as "anonymous_id", CAST('user_c' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(4 AS UInt64) as "device_event_number", CAST('2026-01-11 00:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('e21' AS String) as "event_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('$pageview' AS String) as "event_name", CAST('d3' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "url", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "referrer", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "session_number", CAST(1 AS UInt64) as "device_event_number", CAST('2026-01-05 09:00:00' AS DateTime64(3, 'UTC')) as "occurred_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "session_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
), events as (
    select *, cast(null, 'Nullable(String)') as linked_user_id_before_region from `__dbt__cte__int_events_sessionized`
),

device_links as (
    select
        *,
        -- anyLast skips NULLs: the user of the latest link at or before this event
        coalesce(
            anyLast(user_id) over (
                partition by project_id, anonymous_id
                order by occurred_at, event_id
                rows between unbounded preceding and current row
            ),
            linked_user_id_before_region
        ) as latest_linked_user_id,
        argMinIf(user_id, device_event_number, user_id is not null) over (
            partition by project_id, anonymous_id
        ) as first_linked_user_id,
        minIf(occurred_at, user_id is not null) over (
            partition by project_id, anonymous_id
        ) as first_linked_at
    from events
),

resolved as (
    select
        *,
        -- before any link, the event belongs to the device's first linked user (pre-login stitch)
        coalesce(
            user_id,
            latest_linked_user_id,
            
                first_linked_user_id
            
        ) as resolved_user_id
    from device_links
),

final as (
    select
        event_id,
        project_id,
        event_name,
        anonymous_id,
        user_id,
        latest_linked_user_id,
        resolved_user_id,
        session_id,
        url,
        referrer,
        session_number,
        device_event_number,
        occurred_at,
        session_started_at,
        toDateTime64(0, 3, 'UTC') as deduplicated_at
    from resolved
)

select * from final
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "event_id", "resolved_user_id", 'expected' as "actual_or_expected"
  from (
    select CAST('e01' AS String) as "event_id", CAST('user_a' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e02' AS String) as "event_id", CAST('user_a' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e03' AS String) as "event_id", CAST('user_a' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e04' AS String) as "event_id", CAST('user_a' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e05' AS String) as "event_id", CAST('user_b' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e06' AS String) as "event_id", CAST('user_b' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e07' AS String) as "event_id", CAST('user_b' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e11' AS String) as "event_id", CAST('user_c' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e12' AS String) as "event_id", CAST('user_c' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e13' AS String) as "event_id", CAST('user_c' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e14' AS String) as "event_id", CAST('user_c' AS Nullable(String)) as "resolved_user_id"
union all
select CAST('e21' AS String) as "event_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "resolved_user_id"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected