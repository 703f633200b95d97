-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "conversion_id","session_id","first_touch_revenue_credit","last_touch_revenue_credit","last_non_direct_revenue_credit","linear_revenue_credit","position_based_revenue_credit","time_decay_revenue_credit","first_touch_reporting_revenue_credit","last_touch_reporting_revenue_credit","last_non_direct_reporting_revenue_credit","linear_reporting_revenue_credit","position_based_reporting_revenue_credit","time_decay_reporting_revenue_credit", 'actual' as "actual_or_expected"
  from (
    
-- sort key: attribution_credits unpivots one conversion's touches at a time

with

 __dbt__cte__int_conversions_this_run as (

-- Fixture for int_conversions_this_run
select CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('String') AS String) as "conversion_id"
    limit 0
),  __dbt__cte__int_conversions as (

-- Fixture for int_conversions
select CAST('cd' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST(defaultValueOfTypeName('Nullable(Decimal(18, 6))') AS Nullable(Decimal(18, 6))) as "revenue", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('ct' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST(90 AS Nullable(Decimal(18, 6))) as "revenue", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('cu' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST(10 AS Nullable(Decimal(18, 6))) as "revenue", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('co' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('String') AS String) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST(7 AS Nullable(Decimal(18, 6))) as "revenue", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
),  __dbt__cte__int_conversion_touch_credits as (

-- Fixture for int_conversion_touch_credits
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('cd' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('sd1' AS String) as "session_id", CAST('Direct' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS UInt64) as "touch_number", CAST('0' AS UInt8) as "is_last_touch", CAST('2026-01-08 12:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST('1' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.333333333333333333' AS Decimal(38, 18)) as "linear", CAST('0.4' AS Decimal(38, 18)) as "position_based", CAST('0.333333333333333333' AS Decimal(38, 18)) as "time_decay", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('cd' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('sd2' AS String) as "session_id", CAST('Direct' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('2' AS UInt64) as "touch_number", CAST('0' AS UInt8) as "is_last_touch", CAST('2026-01-09 12:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.333333333333333333' AS Decimal(38, 18)) as "linear", CAST('0.2' AS Decimal(38, 18)) as "position_based", CAST('0.333333333333333333' AS Decimal(38, 18)) as "time_decay", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('cd' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('sd3' AS String) as "session_id", CAST('Direct' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('3' AS UInt64) as "touch_number", CAST('1' AS UInt8) as "is_last_touch", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('1' AS Decimal(38, 18)) as "last_touch", CAST('1' AS Decimal(38, 18)) as "last_non_direct", CAST('0.333333333333333334' AS Decimal(38, 18)) as "linear", CAST('0.4' AS Decimal(38, 18)) as "position_based", CAST('0.333333333333333334' AS Decimal(38, 18)) as "time_decay", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('ct' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('st1' AS String) as "session_id", CAST('Organic Search' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS UInt64) as "touch_number", CAST('0' AS UInt8) as "is_last_touch", CAST('2026-01-03 12:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST('1' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('1' AS Decimal(38, 18)) as "last_non_direct", CAST('0.5' AS Decimal(38, 18)) as "linear", CAST('0.5' AS Decimal(38, 18)) as "position_based", CAST('0.333333333333333333' AS Decimal(38, 18)) as "time_decay", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('ct' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('st2' AS String) as "session_id", CAST('Direct' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('2' AS UInt64) as "touch_number", CAST('1' AS UInt8) as "is_last_touch", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('1' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.5' AS Decimal(38, 18)) as "linear", CAST('0.5' AS Decimal(38, 18)) as "position_based", CAST('0.666666666666666667' AS Decimal(38, 18)) as "time_decay", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('co' AS String) as "conversion_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('so1' AS String) as "session_id", CAST('Direct' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS UInt64) as "touch_number", CAST('1' AS UInt8) as "is_last_touch", CAST('2026-01-10 11:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST('1' AS Decimal(38, 18)) as "first_touch", CAST('1' AS Decimal(38, 18)) as "last_touch", CAST('1' AS Decimal(38, 18)) as "last_non_direct", CAST('1' AS Decimal(38, 18)) as "linear", CAST('1' AS Decimal(38, 18)) as "position_based", CAST('1' AS Decimal(38, 18)) as "time_decay", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
),  __dbt__cte__int_conversion_revenue_converted as (

-- Fixture for int_conversion_revenue_converted
select CAST('ct' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('EUR' AS Nullable(String)) as "revenue_currency", CAST(90 AS Nullable(Decimal(18, 6))) as "revenue", CAST(1.1 AS Nullable(Decimal(38, 12))) as "exchange_rate", CAST(99 AS Nullable(Decimal(38, 6))) as "reporting_revenue", CAST(defaultValueOfTypeName('Date') AS Date) as "conversion_date", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('co' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('EUR' AS Nullable(String)) as "revenue_currency", CAST(7 AS Nullable(Decimal(18, 6))) as "revenue", CAST(2 AS Nullable(Decimal(38, 12))) as "exchange_rate", CAST(14 AS Nullable(Decimal(38, 6))) as "reporting_revenue", CAST(defaultValueOfTypeName('Date') AS Date) as "conversion_date", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('cu' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('XXX' AS Nullable(String)) as "revenue_currency", CAST(10 AS Nullable(Decimal(18, 6))) as "revenue", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 12))') AS Nullable(Decimal(38, 12))) as "exchange_rate", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue", CAST(defaultValueOfTypeName('Date') AS Date) as "conversion_date", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
),  __dbt__cte__int_limits_this_run as (

-- Fixture for int_limits_this_run
select CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changes_after", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "changes_through"
    limit 0
), conversions as (
    select * from `__dbt__cte__int_conversions`
    where true
),

touch_credits as (
    select * from `__dbt__cte__int_conversion_touch_credits`
    where true
),

reporting_revenues as (
    -- conversions with a revenue, converted at the rate of their day (NULL without one)
    select * from `__dbt__cte__int_conversion_revenue_converted`
    where true
),

touch_revenue as (
    -- revenue is shared out per touch, before the unpivot: the remainders are then summed over
    -- one row per touch instead of one per (touch, model). The conversion's own currency and
    -- the reporting currency are shared out alike
    select
                toDecimal128(round(conversions.revenue * touch_credits.first_touch, 6), 6)
                    as first_touch_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.last_touch, 6), 6)
                    as last_touch_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.last_non_direct, 6), 6)
                    as last_non_direct_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.linear, 6), 6)
                    as linear_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.position_based, 6), 6)
                    as position_based_rounded_revenue,
                toDecimal128(round(conversions.revenue * touch_credits.time_decay, 6), 6)
                    as time_decay_rounded_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.first_touch, 6), 6)
                    as first_touch_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.last_touch, 6), 6)
                    as last_touch_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.last_non_direct, 6), 6)
                    as last_non_direct_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.linear, 6), 6)
                    as linear_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.position_based, 6), 6)
                    as position_based_rounded_reporting_revenue,
                toDecimal128(round(reporting_revenues.reporting_revenue * touch_credits.time_decay, 6), 6)
                    as time_decay_rounded_reporting_revenue,
        touch_credits.project_id as project_id,
        touch_credits.conversion_id as conversion_id,
        touch_credits.session_id as session_id,
        touch_credits.channel as channel,
        touch_credits.source as source,
        touch_credits.medium as medium,
        touch_credits.campaign as campaign,
        touch_credits.entry_path as entry_path,
        touch_credits.touch_number as touch_number,
        touch_credits.is_last_touch as is_last_touch,
        touch_credits.touch_started_at as touch_started_at,
            touch_credits.first_touch as first_touch,
            touch_credits.last_touch as last_touch,
            touch_credits.last_non_direct as last_non_direct,
            touch_credits.linear as linear,
            touch_credits.position_based as position_based,
            touch_credits.time_decay as time_decay,
        conversions.user_id as user_id,
        conversions.anonymous_id as anonymous_id,
        conversions.conversion_name as conversion_name,
        conversions.converted_at as converted_at,
        conversions.revenue as revenue,
        reporting_revenues.reporting_revenue as reporting_revenue
    from touch_credits
    inner join conversions
        on
            touch_credits.project_id = conversions.project_id
            and touch_credits.conversion_id = conversions.conversion_id
    left join reporting_revenues
        on
            touch_credits.project_id = reporting_revenues.project_id
            and touch_credits.conversion_id = reporting_revenues.conversion_id
),

earlier_touches_credited as (
    -- per conversion and model, what the touches before the last are credited. A per-conversion
    -- aggregate joined back, not a window over the touches: the window sorted every touch with
    -- all its columns (1.6 GB more at 10M events)
    select
                sum(first_touch_rounded_revenue) as first_touch_earlier_revenue,
                sum(last_touch_rounded_revenue) as last_touch_earlier_revenue,
                sum(last_non_direct_rounded_revenue) as last_non_direct_earlier_revenue,
                sum(linear_rounded_revenue) as linear_earlier_revenue,
                sum(position_based_rounded_revenue) as position_based_earlier_revenue,
                sum(time_decay_rounded_revenue) as time_decay_earlier_revenue,
                sum(first_touch_rounded_reporting_revenue) as first_touch_earlier_reporting_revenue,
                sum(last_touch_rounded_reporting_revenue) as last_touch_earlier_reporting_revenue,
                sum(last_non_direct_rounded_reporting_revenue) as last_non_direct_earlier_reporting_revenue,
                sum(linear_rounded_reporting_revenue) as linear_earlier_reporting_revenue,
                sum(position_based_rounded_reporting_revenue) as position_based_earlier_reporting_revenue,
                sum(time_decay_rounded_reporting_revenue) as time_decay_earlier_reporting_revenue,
        project_id,
        conversion_id
    from touch_revenue
    where not is_last_touch
    group by project_id, conversion_id
),

final as (
    -- the last touch takes the rounding remainder: credited revenue adds up, per conversion
    -- and model, to the revenue in either currency. A conversion with one touch has no earlier
    -- touches, and so no row to join: coalesce leaves it the whole amount
    select
                if(
                    is_last_touch,
                    revenue
                    - coalesce(first_touch_earlier_revenue, toDecimal128(0, 6)),
                    first_touch_rounded_revenue
                ) as first_touch_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(last_touch_earlier_revenue, toDecimal128(0, 6)),
                    last_touch_rounded_revenue
                ) as last_touch_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(last_non_direct_earlier_revenue, toDecimal128(0, 6)),
                    last_non_direct_rounded_revenue
                ) as last_non_direct_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(linear_earlier_revenue, toDecimal128(0, 6)),
                    linear_rounded_revenue
                ) as linear_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(position_based_earlier_revenue, toDecimal128(0, 6)),
                    position_based_rounded_revenue
                ) as position_based_revenue_credit,
                if(
                    is_last_touch,
                    revenue
                    - coalesce(time_decay_earlier_revenue, toDecimal128(0, 6)),
                    time_decay_rounded_revenue
                ) as time_decay_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(first_touch_earlier_reporting_revenue, toDecimal128(0, 6)),
                    first_touch_rounded_reporting_revenue
                ) as first_touch_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(last_touch_earlier_reporting_revenue, toDecimal128(0, 6)),
                    last_touch_rounded_reporting_revenue
                ) as last_touch_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(last_non_direct_earlier_reporting_revenue, toDecimal128(0, 6)),
                    last_non_direct_rounded_reporting_revenue
                ) as last_non_direct_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(linear_earlier_reporting_revenue, toDecimal128(0, 6)),
                    linear_rounded_reporting_revenue
                ) as linear_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(position_based_earlier_reporting_revenue, toDecimal128(0, 6)),
                    position_based_rounded_reporting_revenue
                ) as position_based_reporting_revenue_credit,
                if(
                    is_last_touch,
                    reporting_revenue
                    - coalesce(time_decay_earlier_reporting_revenue, toDecimal128(0, 6)),
                    time_decay_rounded_reporting_revenue
                ) as time_decay_reporting_revenue_credit,
            first_touch,
            last_touch,
            last_non_direct,
            linear,
            position_based,
            time_decay,
        project_id,
        conversion_id,
        user_id,
        anonymous_id,
        session_id,
        conversion_name,
        channel,
        source,
        medium,
        campaign,
        entry_path,
        touch_number,
        touch_started_at,
        converted_at,
        assumeNotNull((select changes_through from `__dbt__cte__int_limits_this_run`)) as deduplicated_at
    from touch_revenue
    left join earlier_touches_credited using (project_id, conversion_id)
)

select * from final
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "conversion_id", "session_id", "first_touch_revenue_credit", "last_touch_revenue_credit", "last_non_direct_revenue_credit", "linear_revenue_credit", "position_based_revenue_credit", "time_decay_revenue_credit", "first_touch_reporting_revenue_credit", "last_touch_reporting_revenue_credit", "last_non_direct_reporting_revenue_credit", "linear_reporting_revenue_credit", "position_based_reporting_revenue_credit", "time_decay_reporting_revenue_credit", 'expected' as "actual_or_expected"
  from (
    select CAST('ct' AS String) as "conversion_id", CAST('st1' AS String) as "session_id", CAST('90' AS Nullable(Decimal(38, 6))) as "first_touch_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "last_touch_revenue_credit", CAST('90' AS Nullable(Decimal(38, 6))) as "last_non_direct_revenue_credit", CAST('45' AS Nullable(Decimal(38, 6))) as "linear_revenue_credit", CAST('45' AS Nullable(Decimal(38, 6))) as "position_based_revenue_credit", CAST('30' AS Nullable(Decimal(38, 6))) as "time_decay_revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "first_touch_reporting_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "last_touch_reporting_revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "last_non_direct_reporting_revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "linear_reporting_revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "position_based_reporting_revenue_credit", CAST('33' AS Nullable(Decimal(38, 6))) as "time_decay_reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('sd2' AS String) as "session_id", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "first_touch_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_touch_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_non_direct_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "linear_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "position_based_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "time_decay_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "first_touch_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_touch_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_non_direct_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "linear_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "position_based_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "time_decay_reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('sd3' AS String) as "session_id", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "first_touch_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_touch_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_non_direct_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "linear_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "position_based_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "time_decay_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "first_touch_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_touch_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_non_direct_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "linear_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "position_based_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "time_decay_reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('sd1' AS String) as "session_id", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "first_touch_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_touch_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_non_direct_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "linear_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "position_based_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "time_decay_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "first_touch_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_touch_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "last_non_direct_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "linear_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "position_based_reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "time_decay_reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('st2' AS String) as "session_id", CAST('0' AS Nullable(Decimal(38, 6))) as "first_touch_revenue_credit", CAST('90' AS Nullable(Decimal(38, 6))) as "last_touch_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "last_non_direct_revenue_credit", CAST('45' AS Nullable(Decimal(38, 6))) as "linear_revenue_credit", CAST('45' AS Nullable(Decimal(38, 6))) as "position_based_revenue_credit", CAST('60' AS Nullable(Decimal(38, 6))) as "time_decay_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "first_touch_reporting_revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "last_touch_reporting_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "last_non_direct_reporting_revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "linear_reporting_revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "position_based_reporting_revenue_credit", CAST('66' AS Nullable(Decimal(38, 6))) as "time_decay_reporting_revenue_credit"
union all
select CAST('co' AS String) as "conversion_id", CAST('so1' AS String) as "session_id", CAST('7' AS Nullable(Decimal(38, 6))) as "first_touch_revenue_credit", CAST('7' AS Nullable(Decimal(38, 6))) as "last_touch_revenue_credit", CAST('7' AS Nullable(Decimal(38, 6))) as "last_non_direct_revenue_credit", CAST('7' AS Nullable(Decimal(38, 6))) as "linear_revenue_credit", CAST('7' AS Nullable(Decimal(38, 6))) as "position_based_revenue_credit", CAST('7' AS Nullable(Decimal(38, 6))) as "time_decay_revenue_credit", CAST('14' AS Nullable(Decimal(38, 6))) as "first_touch_reporting_revenue_credit", CAST('14' AS Nullable(Decimal(38, 6))) as "last_touch_reporting_revenue_credit", CAST('14' AS Nullable(Decimal(38, 6))) as "last_non_direct_reporting_revenue_credit", CAST('14' AS Nullable(Decimal(38, 6))) as "linear_reporting_revenue_credit", CAST('14' AS Nullable(Decimal(38, 6))) as "position_based_reporting_revenue_credit", CAST('14' AS Nullable(Decimal(38, 6))) as "time_decay_reporting_revenue_credit"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected