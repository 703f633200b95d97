-- depends_on: {{ ref('int_devices_bot_flagged') }} (its materialization deletes bot devices)
{{
    config(
        materialized='device_region',
        time_column='started_at',
        changes_in='int_events_identified',
        changes_at='session_started_at',
        engine='MergeTree',
        order_by='(project_id, anonymous_id, started_at)',
        query_settings={'optimize_aggregation_in_order': 1},
    )
}}
-- sort key: a changed device's latest sessions are replaced together
-- aggregation in order: the events arrive sorted by device, so each device's sessions are
-- finished and emitted as the read moves on instead of being held until the end

with

events as (
    {{ rows_in_device_regions_to_rebuild(ref('int_events_identified')) }}
),

sessions as (
    select
        project_id,
        anonymous_id,
        session_number,
        any(session_id) as session_id,
        -- tuple(): argMax skips NULL values, and "nobody known" must stay NULL
        argMax(tuple(resolved_user_id), device_event_number) .1 as user_id,
        argMin(url, device_event_number) as entry_url,
        argMin(referrer, device_event_number) as entry_referrer,
        argMax(url, device_event_number) as exit_url,
        count() as event_count,
        countIf(event_name = '$pageview') as pageview_count,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at
    from events
    group by project_id, anonymous_id, session_number
),

final as (
    select
        session_id,
        project_id,
        anonymous_id,
        user_id,
        entry_url,
        path(entry_url) as entry_path,
        path(exit_url) as exit_path,
        entry_referrer,
        domainWithoutWWW(entry_url) as entry_host,
        domainWithoutWWW(entry_referrer) as entry_referrer_host,
        {{ url_parameter('entry_url', 'utm_source') }} as utm_source,
        {{ url_parameter('entry_url', 'utm_medium') }} as utm_medium,
        {{ url_parameter('entry_url', 'utm_campaign') }} as utm_campaign,
        {{ url_parameter('entry_url', 'utm_content') }} as utm_content,
        {{ url_parameter('entry_url', 'utm_term') }} as utm_term,
        session_number,
        event_count,
        pageview_count,
        dateDiff('millisecond', started_at, ended_at) / 1000 as duration_seconds,
        -- Google Ads click ids mark paid search even without UTM tags
        (
            {{ url_parameter('entry_url', 'gclid') }} != ''
            or {{ url_parameter('entry_url', 'gbraid') }} != ''
            or {{ url_parameter('entry_url', 'wbraid') }} != ''
        ) as has_google_click_id,
        started_at,
        ended_at,
        {{ device_rows_stamp() }} as built_at
    from sessions
)

select * from final
