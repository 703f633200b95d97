-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "path_id","channel_path","campaign_path","path_length","touch_count", 'actual' as "actual_or_expected"
  from (
    
-- sort key: the path marts read one kind of path of one conversion name at a time

with

 __dbt__cte__int_owners_this_run as (

-- Fixture for int_owners_this_run
select CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "owner_type", CAST(defaultValueOfTypeName('String') AS String) as "owner_id", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changed_from"
    limit 0
),  __dbt__cte__int_path_touches as (

-- Fixture for int_path_touches
select CAST('p' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('p' AS Nullable(String)) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST('d1' AS Nullable(String)) as "anonymous_id", CAST('s3' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Email' AS Nullable(String)) as "channel", CAST('weekly_1' AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST('2026-01-03 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('p' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('p' AS Nullable(String)) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST('d1' AS Nullable(String)) as "anonymous_id", CAST('s1' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Direct' AS Nullable(String)) as "channel", CAST('(not set)' AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST('2026-01-01 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('p' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('p' AS Nullable(String)) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST('d1' AS Nullable(String)) as "anonymous_id", CAST('s2' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Paid Search' AS Nullable(String)) as "channel", CAST('brand' AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST('2026-01-02 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('p' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('p' AS Nullable(String)) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST('d1' AS Nullable(String)) as "anonymous_id", CAST('s4' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Email' AS Nullable(String)) as "channel", CAST('weekly_2' AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST('2026-01-04 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('p' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('p' AS Nullable(String)) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST('d1' AS Nullable(String)) as "anonymous_id", CAST('s5' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Organic Search' AS Nullable(String)) as "channel", CAST('(not set)' AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST('2026-01-05 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('p' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('p' AS Nullable(String)) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST('d1' AS Nullable(String)) as "anonymous_id", CAST('s6' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Direct' AS Nullable(String)) as "channel", CAST('(not set)' AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST('2026-01-06 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('p' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('p' AS Nullable(String)) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST('d1' AS Nullable(String)) as "anonymous_id", CAST('s7' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Organic Search' AS Nullable(String)) as "channel", CAST('(not set)' AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST('2026-01-07 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('p' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('p' AS Nullable(String)) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST('d1' AS Nullable(String)) as "anonymous_id", CAST('s8' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Organic Search' AS Nullable(String)) as "channel", CAST('(not set)' AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST('2026-01-08 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('q' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('d2' AS Nullable(String)) as "anonymous_id", CAST('s9' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Direct' AS Nullable(String)) as "channel", CAST('(not set)' AS Nullable(String)) as "campaign", CAST('false' AS Bool) as "is_conversion", CAST('2026-01-02 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-03 10:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('q' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('d2' AS Nullable(String)) as "anonymous_id", CAST('s10' AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Direct' AS Nullable(String)) as "channel", CAST('(not set)' AS Nullable(String)) as "campaign", CAST('false' AS Bool) as "is_conversion", CAST('2026-01-03 10:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-03 10:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
union all
select CAST('r' AS String) as "path_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('r' AS Nullable(String)) as "conversion_id", CAST('u2' AS Nullable(String)) as "user_id", CAST('d3' AS Nullable(String)) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "channel", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "campaign", CAST('true' AS Bool) as "is_conversion", CAST(defaultValueOfTypeName('Nullable(DateTime64(3, \'UTC\'))') AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-05 12:00:00' AS DateTime64(3, 'UTC')) as "path_ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "built_at"
),  __dbt__cte__int_limits_this_run as (

-- Fixture for int_limits_this_run
select CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changes_after", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changes_through"
    limit 0
), touches as (
    select * from `__dbt__cte__int_path_touches`
    where true
),

paths as (
    -- touches in time order (session_id breaks ties, as in int_conversion_touches); a touch
    -- row without a session is a conversion that had none
    select
        path_id,
        toLowCardinality(any(project_id)) as project_id,
        any(conversion_id) as conversion_id,
        any(user_id) as user_id,
        any(anonymous_id) as anonymous_id,
        any(conversion_name) as conversion_name,
        arrayMap(
            touch -> (touch.3, touch.4),
            arraySort(
                groupArrayIf(
                    (
                        assumeNotNull(touch_started_at),
                        assumeNotNull(session_id),
                        assumeNotNull(channel),
                        assumeNotNull(campaign)
                    ),
                    session_id is not null
                )
            )
        ) as steps_0,
        countIf(session_id is not null) as touch_count,
        any(is_conversion) as is_conversion,
        min(touch_started_at) as first_touch_at,
        any(path_ended_at) as path_ended_at
    from touches
    group by path_id
),

transformed as (
    -- millimetric__path_transforms, in order: steps_1 is steps_0 after the first, and so on
    select
        *,
        steps_0 as steps
    from paths
),

final as (
    select
        path_id,
        project_id,
        conversion_id,
        user_id,
        anonymous_id,
        conversion_name,
        arrayStringConcat(arrayMap(step -> step.1, steps), ' > ') as channel_path,
        arrayStringConcat(arrayMap(step -> step.2, steps), ' > ') as campaign_path,
        length(steps) as path_length,
        touch_count,
        is_conversion,
        first_touch_at,
        path_ended_at,
        assumeNotNull((select changes_through from `__dbt__cte__int_limits_this_run`)) as built_at
    from transformed
)

select * from final
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "path_id", "channel_path", "campaign_path", "path_length", "touch_count", 'expected' as "actual_or_expected"
  from (
    select CAST('p' AS String) as "path_id", CAST('Direct > Paid Search > Email > Email > Organic Search > Direct > Organic Search > Organic Search' AS String) as "channel_path", CAST('(not set) > brand > weekly_1 > weekly_2 > (not set) > (not set) > (not set) > (not set)' AS String) as "campaign_path", CAST('8' AS UInt64) as "path_length", CAST('8' AS UInt64) as "touch_count"
union all
select CAST('q' AS String) as "path_id", CAST('Direct > Direct' AS String) as "channel_path", CAST('(not set) > (not set)' AS String) as "campaign_path", CAST('2' AS UInt64) as "path_length", CAST('2' AS UInt64) as "touch_count"
union all
select CAST('r' AS String) as "path_id", CAST(defaultValueOfTypeName('String') AS String) as "channel_path", CAST(defaultValueOfTypeName('String') AS String) as "campaign_path", CAST('0' AS UInt64) as "path_length", CAST('0' AS UInt64) as "touch_count"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected