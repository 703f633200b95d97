
-- sort key: dashboards read one project's date range, then group by channel and source
-- an incremental run replaces the days whose sessions or credits changed
-- (days_whose_inputs_changed.sql)

with

 __dbt__cte__sessions as (

-- Fixture for sessions
select CAST('s2' AS String) as "session_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('d1' AS String) as "anonymous_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST('/' AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('google' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('(not set)' AS String) as "entry_campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_content", CAST(defaultValueOfTypeName('String') AS String) as "entry_term", CAST('Organic Search' AS String) as "channel", CAST('2' AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST('3' AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST('0' AS UInt8) as "is_bounce", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_conversion", CAST('1' AS UInt8) as "is_engaged", CAST('2026-01-05 12:00:00' AS DateTime64(3, 'UTC')) as "started_at", CAST('2026-01-05 12:00:04.499' AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('s1' AS String) as "session_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST('/' AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('google' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('(not set)' AS String) as "entry_campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_content", CAST(defaultValueOfTypeName('String') AS String) as "entry_term", CAST('Organic Search' AS String) as "channel", CAST('1' AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST('1' AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST('1' AS UInt8) as "is_bounce", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_conversion", CAST('0' AS UInt8) as "is_engaged", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "started_at", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('s3' AS String) as "session_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('d2' AS String) as "anonymous_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST('/' AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('google' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('(not set)' AS String) as "entry_campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_content", CAST(defaultValueOfTypeName('String') AS String) as "entry_term", CAST('Organic Search' AS String) as "channel", CAST('1' AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST('2' AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST('0' AS UInt8) as "is_bounce", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_conversion", CAST('1' AS UInt8) as "is_engaged", CAST('2026-01-05 23:59:59.999' AS DateTime64(3, 'UTC')) as "started_at", CAST('2026-01-06 00:10:00' AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('s4' AS String) as "session_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('d3' AS String) as "anonymous_id", CAST('u2' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST('/pricing' AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('facebook' AS String) as "entry_source", CAST('paid_social' AS String) as "entry_medium", CAST('spring' AS String) as "entry_campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_content", CAST(defaultValueOfTypeName('String') AS String) as "entry_term", CAST('Paid Social' AS String) as "channel", CAST('1' AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST('1' AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST('1' AS UInt8) as "is_bounce", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_conversion", CAST('1' AS UInt8) as "is_engaged", CAST('2026-01-06 09:00:00' AS DateTime64(3, 'UTC')) as "started_at", CAST('2026-01-06 09:01:00' AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('s5' AS String) as "session_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST('d1' AS String) as "anonymous_id", CAST('u1' AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST('/' AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('(direct)' AS String) as "entry_source", CAST('(none)' AS String) as "entry_medium", CAST('(not set)' AS String) as "entry_campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_content", CAST(defaultValueOfTypeName('String') AS String) as "entry_term", CAST('Direct' AS String) as "channel", CAST('3' AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST('2' AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST('0' AS UInt8) as "is_bounce", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_conversion", CAST('1' AS UInt8) as "is_engaged", CAST('2026-01-08 08:00:00' AS DateTime64(3, 'UTC')) as "started_at", CAST('2026-01-08 08:00:30' AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('s6' AS String) as "session_id", CAST('p2' AS LowCardinality(String)) as "project_id", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "entry_url", CAST('/' AS String) as "entry_path", CAST(defaultValueOfTypeName('String') AS String) as "exit_path", CAST(defaultValueOfTypeName('String') AS String) as "entry_referrer", CAST('google' AS String) as "entry_source", CAST('organic' AS String) as "entry_medium", CAST('(not set)' AS String) as "entry_campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_content", CAST(defaultValueOfTypeName('String') AS String) as "entry_term", CAST('Organic Search' AS String) as "channel", CAST('1' AS UInt64) as "session_number", CAST(defaultValueOfTypeName('UInt64') AS UInt64) as "event_count", CAST('1' AS UInt64) as "pageview_count", CAST(defaultValueOfTypeName('Float64') AS Float64) as "duration_seconds", CAST('1' AS UInt8) as "is_bounce", CAST(defaultValueOfTypeName('UInt8') AS UInt8) as "has_conversion", CAST('0' AS UInt8) as "is_engaged", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "started_at", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "ended_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
),  __dbt__cte__attribution_credits as (

-- Fixture for attribution_credits
select CAST('c1' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s3' AS Nullable(String)) as "session_id", CAST(defaultValueOfTypeName('String') AS String) as "conversion_name", CAST('last_non_direct' AS String) as "model", CAST('Organic Search' AS String) as "channel", CAST('google' AS String) as "source", CAST('organic' AS String) as "medium", CAST('(not set)' AS String) as "campaign", CAST('/' AS String) as "entry_path", CAST('1' AS Decimal(38, 18)) as "credit", CAST('100' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('110' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-05 23:59:59.999' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-08 08:00:20' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('c1' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s5' AS Nullable(String)) as "session_id", CAST(defaultValueOfTypeName('String') AS String) as "conversion_name", CAST('last_non_direct' AS String) as "model", CAST('Direct' AS String) as "channel", CAST('(direct)' AS String) as "source", CAST('(none)' AS String) as "medium", CAST('(not set)' AS String) as "campaign", CAST('/' AS String) as "entry_path", CAST('0' AS Decimal(38, 18)) as "credit", CAST('0' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('0' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-08 08:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-08 08:00:20' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('c1' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s3' AS Nullable(String)) as "session_id", CAST(defaultValueOfTypeName('String') AS String) as "conversion_name", CAST('linear' AS String) as "model", CAST('Organic Search' AS String) as "channel", CAST('google' AS String) as "source", CAST('organic' AS String) as "medium", CAST('(not set)' AS String) as "campaign", CAST('/' AS String) as "entry_path", CAST('0.5' AS Decimal(38, 18)) as "credit", CAST('50' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('55' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-05 23:59:59.999' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-08 08:00:20' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('c1' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s5' AS Nullable(String)) as "session_id", CAST(defaultValueOfTypeName('String') AS String) as "conversion_name", CAST('linear' AS String) as "model", CAST('Direct' AS String) as "channel", CAST('(direct)' AS String) as "source", CAST('(none)' AS String) as "medium", CAST('(not set)' AS String) as "campaign", CAST('/' AS String) as "entry_path", CAST('0.5' AS Decimal(38, 18)) as "credit", CAST('50' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('55' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-08 08:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-08 08:00:20' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('c2' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST('s4' AS Nullable(String)) as "session_id", CAST(defaultValueOfTypeName('String') AS String) as "conversion_name", CAST('last_non_direct' AS String) as "model", CAST('Paid Social' AS String) as "channel", CAST('facebook' AS String) as "source", CAST('paid_social' AS String) as "medium", CAST('spring' AS String) as "campaign", CAST('/pricing' AS String) as "entry_path", CAST('1' AS Decimal(38, 18)) as "credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-06 09:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-06 09:00:40' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('c3' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST(defaultValueOfTypeName('String') AS String) as "conversion_name", CAST('last_non_direct' AS String) as "model", CAST('Unassigned' AS String) as "channel", CAST(defaultValueOfTypeName('String') AS String) as "source", CAST(defaultValueOfTypeName('String') AS String) as "medium", CAST(defaultValueOfTypeName('String') AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS Decimal(38, 18)) as "credit", CAST('7' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST(defaultValueOfTypeName('Nullable(DateTime64(3, \'UTC\'))') AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-09 10:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
), sessions as (
    select * from `__dbt__cte__sessions`
    where true
),

credits as (
    -- GA4's reports credit conversions to the last non-direct session; under that model a
    -- conversion's whole credit (1) goes to one touch and the other touches get 0
    select * from `__dbt__cte__attribution_credits`
    where
        model = 'last_non_direct' and credit = 1
        and true
),

session_metrics as (
    select
        project_id,
        channel,
        entry_source as source,
        entry_medium as medium,
        entry_campaign as campaign,
        entry_path,
        uniqExact(anonymous_id) as visitor_count,
        countIf(session_number = 1) as new_visitor_count,
        -- aggregate functions skip NULL: sessions nobody is known behind count no person
        uniqExact(user_id) as person_count,
        count() as session_count,
        countIf(is_engaged) as engaged_session_count,
        countIf(is_bounce) as bounce_count,
        sum(pageview_count) as pageview_count,
        -- whole milliseconds add up exactly, in any order (a Float64 sum would not)
        sum(dateDiff('millisecond', started_at, ended_at)) as duration_milliseconds,
        toUInt64(0) as conversion_count,
        toNullable(toDecimal128(0, 6)) as revenue,
        toDate(started_at) as session_date
    from sessions
    group by session_date, project_id, channel, source, medium, campaign, entry_path
),

credited_conversions as (
    -- a conversion lands on the row of the session credited with it: that session's day and
    -- entry page (carried by the credit), which may be days before the conversion. One without
    -- any touch keeps the Unassigned credit row's empty source, medium, campaign and entry
    -- page, on the day it converted.
    select
            project_id,
            channel,
            source,
            medium,
            campaign,
            entry_path,
            toUInt64(0) as visitor_count,
            toUInt64(0) as new_visitor_count,
            toUInt64(0) as person_count,
            toUInt64(0) as session_count,
            toUInt64(0) as engaged_session_count,
            toUInt64(0) as bounce_count,
            toUInt64(0) as pageview_count,
        toInt64(0) as duration_milliseconds,
        count() as conversion_count,
        -- in the reporting currency: amounts in different currencies are never added
        toDecimal128(if(countIf(if(revenue_credit is null, toDecimal128(0, 6), reporting_revenue_credit) is null) > 0, null, sum(if(revenue_credit is null, toDecimal128(0, 6), reporting_revenue_credit))), 6) as revenue,
        toDate(coalesce(touch_started_at, converted_at)) as session_date
    from credits
    group by session_date, project_id, channel, source, medium, campaign, entry_path
),

daily_rows as (
    select * from session_metrics
    union all
    select * from credited_conversions
),

final as (
    -- each key has at most one row of each kind, so summing the distinct counts is exact
    select
            project_id,
            channel,
            source,
            medium,
            campaign,
            entry_path,
            sum(visitor_count) as visitor_count,
            sum(new_visitor_count) as new_visitor_count,
            sum(person_count) as person_count,
            sum(session_count) as session_count,
            sum(engaged_session_count) as engaged_session_count,
            sum(bounce_count) as bounce_count,
            sum(pageview_count) as pageview_count,
        sum(duration_milliseconds) / 1000 as total_duration_seconds,
        if(
            sum(session_count) = 0,
            null,
            sum(duration_milliseconds) / 1000 / sum(session_count)
        ) as average_session_duration_seconds,
        sum(conversion_count) as conversion_count,
        if(countIf(revenue is null) > 0, null, sum(revenue)) as revenue,
        session_date
    from daily_rows
    group by session_date, project_id, channel, source, medium, campaign, entry_path
)

select * from final