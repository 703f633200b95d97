-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "conversion_id","session_id","first_touch","last_touch","last_non_direct","linear","position_based","time_decay", 'actual' as "actual_or_expected"
  from (
    
-- sort key: attribution_credits shares out revenue per conversion, over its touches in order

with

 __dbt__cte__int_conversions_this_run as (

-- Fixture for int_conversions_this_run
select CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "conversion_id"
    limit 0
),  __dbt__cte__int_conversion_touches as (

-- Fixture for int_conversion_touches
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('c1' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s11' AS String) as "session_id", CAST('Organic Search' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS UInt64) as "touch_number", CAST('1' AS UInt64) as "touch_count", CAST('0' AS Float64) as "touch_age_days", CAST('2026-01-10 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('c2' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s21' AS String) as "session_id", CAST('Paid Search' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS UInt64) as "touch_number", CAST('2' AS UInt64) as "touch_count", CAST('0' AS Float64) as "touch_age_days", CAST('2026-01-09 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('c2' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s22' AS String) as "session_id", CAST('Direct' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('2' AS UInt64) as "touch_number", CAST('2' AS UInt64) as "touch_count", CAST('0' AS Float64) as "touch_age_days", CAST('2026-01-10 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('c5' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s51' AS String) as "session_id", CAST('Organic Search' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS UInt64) as "touch_number", CAST('5' AS UInt64) as "touch_count", CAST('0' AS Float64) as "touch_age_days", CAST('2026-01-06 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('c5' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s52' AS String) as "session_id", CAST('Email' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('2' AS UInt64) as "touch_number", CAST('5' AS UInt64) as "touch_count", CAST('0' AS Float64) as "touch_age_days", CAST('2026-01-07 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('c5' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s53' AS String) as "session_id", CAST('Direct' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('3' AS UInt64) as "touch_number", CAST('5' AS UInt64) as "touch_count", CAST('0' AS Float64) as "touch_age_days", CAST('2026-01-08 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('c5' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s54' AS String) as "session_id", CAST('Paid Social' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('4' AS UInt64) as "touch_number", CAST('5' AS UInt64) as "touch_count", CAST('0' AS Float64) as "touch_age_days", CAST('2026-01-09 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('c5' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s55' AS String) as "session_id", CAST('Direct' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('5' AS UInt64) as "touch_number", CAST('5' AS UInt64) as "touch_count", CAST('0' AS Float64) as "touch_age_days", CAST('2026-01-10 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
),  __dbt__cte__int_limits_this_run as (

-- Fixture for int_limits_this_run
select CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changes_after", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changes_through"
    limit 0
), touches as (
    select * from `__dbt__cte__int_conversion_touches`
    where true
),

touch_positions as (
    select
        touches.*,
        touch_number = touch_count as is_last_touch,
        -- the latest touch that is not Direct; the last touch when all are Direct
        max(if(channel != 'Direct', touch_number, 0)) over conversion_touches
            as last_non_direct_number,
        -- time_decay: a touch loses half its weight every half-life before the conversion;
        -- ages count from the youngest touch, so no weight underflows the 18 decimals
        toDecimal128(
            pow(
                2,
                -(touch_age_days - min(touch_age_days) over conversion_touches)
                / 7
            ),
            18
        ) as decay_weight
    from touches
    window conversion_touches as (partition by conversion_id)
),

shares as (
    -- Decimal(38, 18) throughout: a Float64 share would carry binary noise into the decimals
    select
        *,
        toDecimal128(1, 18) / touch_count as linear_share,
        toDecimal128('0.2', 18) / greatest(touch_count - 2, 1) as position_middle_share,
        decay_weight / sum(decay_weight) over (partition by conversion_id) as decay_share
    from touch_positions
),

final as (
    -- the last touch takes each model's rounding remainder: every conversion's credits under
    -- every model sum to exactly 1
    select
        project_id,
        conversion_id,
        user_id,
        anonymous_id,
        session_id,
        channel,
        source,
        medium,
        campaign,
        entry_path,
        touch_number,
        is_last_touch,
        touch_started_at,
        toDecimal128(touch_number = 1, 18) as first_touch,
        toDecimal128(is_last_touch, 18) as last_touch,
        toDecimal128(
            touch_number = if(last_non_direct_number = 0, touch_count, last_non_direct_number), 18
        ) as last_non_direct,
        if(is_last_touch, 1 - (touch_count - 1) * linear_share, linear_share) as linear,
        multiIf(
            touch_count = 1, toDecimal128(1, 18),
            touch_count = 2, toDecimal128('0.5', 18),
            touch_number = 1, toDecimal128('0.4', 18),
            is_last_touch, toDecimal128('0.6', 18) - (touch_count - 2) * position_middle_share,
            position_middle_share
        ) as position_based,
        if(
            is_last_touch,
            1 - sum(if(is_last_touch, toDecimal128(0, 18), decay_share))
                over (partition by conversion_id),
            decay_share
        ) as time_decay,
        assumeNotNull((select changes_through from `__dbt__cte__int_limits_this_run`)) as deduplicated_at
    from shares
)

select * from final
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "conversion_id", "session_id", "first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay", 'expected' as "actual_or_expected"
  from (
    select CAST('c1' AS String) as "conversion_id", CAST('s11' AS String) as "session_id", CAST('1' AS Decimal(38, 18)) as "first_touch", CAST('1' AS Decimal(38, 18)) as "last_touch", CAST('1' AS Decimal(38, 18)) as "last_non_direct", CAST('1' AS Decimal(38, 18)) as "linear", CAST('1' AS Decimal(38, 18)) as "position_based", CAST('1' AS Decimal(38, 18)) as "time_decay"
union all
select CAST('c2' AS String) as "conversion_id", CAST('s21' AS String) as "session_id", CAST('1' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('1' AS Decimal(38, 18)) as "last_non_direct", CAST('0.5' AS Decimal(38, 18)) as "linear", CAST('0.5' AS Decimal(38, 18)) as "position_based", CAST('0.5' AS Decimal(38, 18)) as "time_decay"
union all
select CAST('c2' AS String) as "conversion_id", CAST('s22' AS String) as "session_id", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('1' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.5' AS Decimal(38, 18)) as "linear", CAST('0.5' AS Decimal(38, 18)) as "position_based", CAST('0.5' AS Decimal(38, 18)) as "time_decay"
union all
select CAST('c5' AS String) as "conversion_id", CAST('s51' AS String) as "session_id", CAST('1' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.2' AS Decimal(38, 18)) as "linear", CAST('0.4' AS Decimal(38, 18)) as "position_based", CAST('0.2' AS Decimal(38, 18)) as "time_decay"
union all
select CAST('c5' AS String) as "conversion_id", CAST('s52' AS String) as "session_id", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.2' AS Decimal(38, 18)) as "linear", CAST('0.066666666666666666' AS Decimal(38, 18)) as "position_based", CAST('0.2' AS Decimal(38, 18)) as "time_decay"
union all
select CAST('c5' AS String) as "conversion_id", CAST('s53' AS String) as "session_id", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.2' AS Decimal(38, 18)) as "linear", CAST('0.066666666666666666' AS Decimal(38, 18)) as "position_based", CAST('0.2' AS Decimal(38, 18)) as "time_decay"
union all
select CAST('c5' AS String) as "conversion_id", CAST('s54' AS String) as "session_id", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('1' AS Decimal(38, 18)) as "last_non_direct", CAST('0.2' AS Decimal(38, 18)) as "linear", CAST('0.066666666666666666' AS Decimal(38, 18)) as "position_based", CAST('0.2' AS Decimal(38, 18)) as "time_decay"
union all
select CAST('c5' AS String) as "conversion_id", CAST('s55' AS String) as "session_id", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('1' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.2' AS Decimal(38, 18)) as "linear", CAST('0.400000000000000002' AS Decimal(38, 18)) as "position_based", CAST('0.2' AS Decimal(38, 18)) as "time_decay"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected