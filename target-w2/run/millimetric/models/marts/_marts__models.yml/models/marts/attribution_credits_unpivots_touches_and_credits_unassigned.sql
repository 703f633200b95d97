-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "conversion_id","model","session_id","channel","credit","revenue_credit","reporting_revenue_credit", 'actual' as "actual_or_expected"
  from (
    
-- sort key: dashboards filter by project and conversion, then by time

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
),  __dbt__cte__int_conversion_touch_revenue as (

-- Fixture for int_conversion_touch_revenue
select CAST('90' AS Nullable(Decimal(38, 6))) as "first_touch_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "last_touch_revenue_credit", CAST('90' AS Nullable(Decimal(38, 6))) as "last_non_direct_revenue_credit", CAST('45' AS Nullable(Decimal(38, 6))) as "linear_revenue_credit", CAST('45' AS Nullable(Decimal(38, 6))) as "position_based_revenue_credit", CAST('30' AS Nullable(Decimal(38, 6))) as "time_decay_revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "first_touch_reporting_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "last_touch_reporting_revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "last_non_direct_reporting_revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "linear_reporting_revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "position_based_reporting_revenue_credit", CAST('33' AS Nullable(Decimal(38, 6))) as "time_decay_reporting_revenue_credit", CAST('1' AS Decimal(38, 18)) as "first_touch", CAST('0' AS Decimal(38, 18)) as "last_touch", CAST('1' AS Decimal(38, 18)) as "last_non_direct", CAST('0.5' AS Decimal(38, 18)) as "linear", CAST('0.5' AS Decimal(38, 18)) as "position_based", CAST('0.333333333333333333' AS Decimal(38, 18)) as "time_decay", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('ct' AS String) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('st1' AS String) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Organic Search' AS String) as "channel", CAST('google' AS String) as "source", CAST('organic' AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS UInt64) as "touch_number", CAST('2026-01-03 12:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('0' AS Nullable(Decimal(38, 6))) as "first_touch_revenue_credit", CAST('90' AS Nullable(Decimal(38, 6))) as "last_touch_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "last_non_direct_revenue_credit", CAST('45' AS Nullable(Decimal(38, 6))) as "linear_revenue_credit", CAST('45' AS Nullable(Decimal(38, 6))) as "position_based_revenue_credit", CAST('60' AS Nullable(Decimal(38, 6))) as "time_decay_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "first_touch_reporting_revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "last_touch_reporting_revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "last_non_direct_reporting_revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "linear_reporting_revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "position_based_reporting_revenue_credit", CAST('66' AS Nullable(Decimal(38, 6))) as "time_decay_reporting_revenue_credit", CAST('0' AS Decimal(38, 18)) as "first_touch", CAST('1' AS Decimal(38, 18)) as "last_touch", CAST('0' AS Decimal(38, 18)) as "last_non_direct", CAST('0.5' AS Decimal(38, 18)) as "linear", CAST('0.5' AS Decimal(38, 18)) as "position_based", CAST('0.666666666666666667' AS Decimal(38, 18)) as "time_decay", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('ct' AS String) as "conversion_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('st2' AS String) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('Direct' AS String) as "channel", CAST('(direct)' AS String) as "source", CAST('(none)' AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('2' AS UInt64) as "touch_number", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "touch_started_at", CAST('2026-01-10 12:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
),  __dbt__cte__int_conversion_revenue_converted as (

-- Fixture for int_conversion_revenue_converted
select CAST('ct' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('EUR' AS Nullable(String)) as "revenue_currency", CAST(90 AS Nullable(Decimal(18, 6))) as "revenue", CAST(1.1 AS Nullable(Decimal(38, 12))) as "exchange_rate", CAST(99 AS Nullable(Decimal(38, 6))) as "reporting_revenue", CAST(defaultValueOfTypeName('Date') AS Date) as "conversion_date", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
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

touch_revenue as (
    select * from `__dbt__cte__int_conversion_touch_revenue`
    where true
),

reporting_revenues as (
    select * from `__dbt__cte__int_conversion_revenue_converted`
    where true
),

credited_touches as (
    select
        conversion_id,
        project_id,
        user_id,
        anonymous_id,
        toNullable(session_id) as session_id,
        conversion_name,
        model_credit.1 as model,
        channel,
        source,
        medium,
        campaign,
        entry_path,
        toDecimal128(model_credit.2, 18) as credit,
        model_credit.3 as revenue_credit,
        model_credit.4 as reporting_revenue_credit,
        toNullable(touch_started_at) as touch_started_at,
        converted_at
    from touch_revenue
    array join [
            (
                'first_touch',
                first_touch,
                first_touch_revenue_credit,
                first_touch_reporting_revenue_credit
            ),
            (
                'last_touch',
                last_touch,
                last_touch_revenue_credit,
                last_touch_reporting_revenue_credit
            ),
            (
                'last_non_direct',
                last_non_direct,
                last_non_direct_revenue_credit,
                last_non_direct_reporting_revenue_credit
            ),
            (
                'linear',
                linear,
                linear_revenue_credit,
                linear_reporting_revenue_credit
            ),
            (
                'position_based',
                position_based,
                position_based_revenue_credit,
                position_based_reporting_revenue_credit
            ),
            (
                'time_decay',
                time_decay,
                time_decay_revenue_credit,
                time_decay_reporting_revenue_credit
            )
    ] as model_credit
),

unassigned as (
    -- a conversion without any touch in the window is credited in full to Unassigned
    select
        conversions.conversion_id as conversion_id,
        conversions.project_id as project_id,
        conversions.user_id as user_id,
        conversions.anonymous_id as anonymous_id,
        cast(null as Nullable(String)) as session_id,
        conversions.conversion_name as conversion_name,
        model,
        'Unassigned' as channel,
        '' as source,
        '' as medium,
        '' as campaign,
        '' as entry_path,
        toDecimal128(1, 18) as credit,
        conversions.revenue as revenue_credit,
        reporting_revenues.reporting_revenue as reporting_revenue_credit,
        cast(null as Nullable(Datetime64(3, 'UTC'))) as touch_started_at,
        conversions.converted_at as converted_at
    from conversions
    left join reporting_revenues
        on
            conversions.project_id = reporting_revenues.project_id
            and conversions.conversion_id = reporting_revenues.conversion_id
    array join ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'] as model
    where conversions.conversion_id not in (select conversion_id from touch_revenue)
),

all_touches as (
    select * from credited_touches
    union all
    select * from unassigned
),

final as (
    select
        *,
        assumeNotNull((select changes_through from `__dbt__cte__int_limits_this_run`)) as deduplicated_at
    from all_touches
)

select * from final
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "conversion_id", "model", "session_id", "channel", "credit", "revenue_credit", "reporting_revenue_credit", 'expected' as "actual_or_expected"
  from (
    select CAST('ct' AS String) as "conversion_id", CAST('first_touch' AS String) as "model", CAST('st1' AS Nullable(String)) as "session_id", CAST('Organic Search' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('90' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('first_touch' AS String) as "model", CAST('st2' AS Nullable(String)) as "session_id", CAST('Direct' AS String) as "channel", CAST('0' AS Decimal(38, 18)) as "credit", CAST('0' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('last_touch' AS String) as "model", CAST('st1' AS Nullable(String)) as "session_id", CAST('Organic Search' AS String) as "channel", CAST('0' AS Decimal(38, 18)) as "credit", CAST('0' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('last_touch' AS String) as "model", CAST('st2' AS Nullable(String)) as "session_id", CAST('Direct' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('90' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('last_non_direct' AS String) as "model", CAST('st1' AS Nullable(String)) as "session_id", CAST('Organic Search' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('90' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('99' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('last_non_direct' AS String) as "model", CAST('st2' AS Nullable(String)) as "session_id", CAST('Direct' AS String) as "channel", CAST('0' AS Decimal(38, 18)) as "credit", CAST('0' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('linear' AS String) as "model", CAST('st1' AS Nullable(String)) as "session_id", CAST('Organic Search' AS String) as "channel", CAST('0.5' AS Decimal(38, 18)) as "credit", CAST('45' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('linear' AS String) as "model", CAST('st2' AS Nullable(String)) as "session_id", CAST('Direct' AS String) as "channel", CAST('0.5' AS Decimal(38, 18)) as "credit", CAST('45' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('position_based' AS String) as "model", CAST('st1' AS Nullable(String)) as "session_id", CAST('Organic Search' AS String) as "channel", CAST('0.5' AS Decimal(38, 18)) as "credit", CAST('45' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('position_based' AS String) as "model", CAST('st2' AS Nullable(String)) as "session_id", CAST('Direct' AS String) as "channel", CAST('0.5' AS Decimal(38, 18)) as "credit", CAST('45' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('49.5' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('time_decay' AS String) as "model", CAST('st1' AS Nullable(String)) as "session_id", CAST('Organic Search' AS String) as "channel", CAST('0.333333333333333333' AS Decimal(38, 18)) as "credit", CAST('30' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('33' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('ct' AS String) as "conversion_id", CAST('time_decay' AS String) as "model", CAST('st2' AS Nullable(String)) as "session_id", CAST('Direct' AS String) as "channel", CAST('0.666666666666666667' AS Decimal(38, 18)) as "credit", CAST('60' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('66' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('first_touch' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('last_touch' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('last_non_direct' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('linear' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('position_based' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cd' AS String) as "conversion_id", CAST('time_decay' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cu' AS String) as "conversion_id", CAST('first_touch' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('10' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cu' AS String) as "conversion_id", CAST('last_touch' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('10' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cu' AS String) as "conversion_id", CAST('last_non_direct' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('10' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cu' AS String) as "conversion_id", CAST('linear' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('10' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cu' AS String) as "conversion_id", CAST('position_based' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('10' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
union all
select CAST('cu' AS String) as "conversion_id", CAST('time_decay' AS String) as "model", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('Unassigned' AS String) as "channel", CAST('1' AS Decimal(38, 18)) as "credit", CAST('10' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected