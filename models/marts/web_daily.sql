{{
    config(
        materialized='daily_rollup',
        day_column='session_date',
        days_of={
            'sessions': 'started_at',
            'attribution_credits': 'coalesce(touch_started_at, converted_at)',
        },
        engine='MergeTree',
        order_by='(project_id, session_date, channel, source, medium, campaign, entry_path)',
    )
}}
-- sort key: dashboards read one project's date range, then group by channel and source
-- an incremental run replaces the days whose sessions or credits changed
-- (macros/materializations/daily_rollup.sql)
{%- set session_counts = [
    'visitor_count', 'new_visitor_count', 'person_count', 'session_count',
    'engaged_session_count', 'bounce_count', 'pageview_count',
] %}
{#- a row's key besides its day, the sort key's order -#}
{%- set row_key = ['project_id', 'channel', 'source', 'medium', 'campaign', 'entry_path'] %}

with

sessions as (
    select * from {{ ref('sessions') }}
    where {{ day_is_rebuilt('started_at') }}
),

credits as (
    -- GA4's reports credit conversions to the last non-direct session; under that model a
    -- conversion's whole credit (1) goes to one touch and the other touches get 0
    select * from {{ ref('attribution_credits') }}
    where
        model = 'last_non_direct' and credit = 1
        and {{ day_is_rebuilt('coalesce(touch_started_at, converted_at)') }}
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
    group by session_date, {{ row_key | join(', ') }}
),

credited_conversions as (
    -- a conversion lands on the row of the session credited with it: that session's day and
    -- entry page (carried by the credit), which may be days before the conversion. One without
    -- any touch keeps the Unassigned credit row's empty source, medium, campaign and entry
    -- page, on the day it converted.
    select
        {%- for column in row_key %}
            {{ column }},
        {%- endfor %}
        {%- for count in session_counts %}
            toUInt64(0) as {{ count }},
        {%- endfor %}
        toInt64(0) as duration_milliseconds,
        count() as conversion_count,
        -- in the reporting currency: amounts in different currencies are never added
        toDecimal128({{ known_sum(credited_reporting_revenue()) }}, 6) as revenue,
        toDate(coalesce(touch_started_at, converted_at)) as session_date
    from credits
    group by session_date, {{ row_key | join(', ') }}
),

daily_rows as (
    select * from session_metrics
    union all
    select * from credited_conversions
),

final as (
    -- each key has at most one row of each kind, so summing the distinct counts is exact
    select
        {%- for column in row_key %}
            {{ column }},
        {%- endfor %}
        {%- for count in session_counts %}
            sum({{ count }}) as {{ count }},
        {%- endfor %}
        sum(duration_milliseconds) / 1000 as total_duration_seconds,
        if(
            sum(session_count) = 0,
            null,
            sum(duration_milliseconds) / 1000 / sum(session_count)
        ) as average_session_duration_seconds,
        sum(conversion_count) as conversion_count,
        {{ known_sum('revenue') }} as revenue,
        session_date
    from daily_rows
    group by session_date, {{ row_key | join(', ') }}
)

select * from final
