-- depends_on: {{ ref('int_devices_bot_flagged') }} (its materialization deletes bot devices)
{{
    config(
        materialized='device_region',
        time_column='started_at',
        changes_in='int_sessions_classified',
        regions='sessions_device_regions',
        engine='MergeTree',
        order_by='(project_id, started_at, anonymous_id)',
    )
}}
-- sort key: BI filters sessions by project and time range
-- device grain, kept by regions like int_sessions_classified: an incremental run replaces the
-- sessions of a changed device from its earliest change, and the sessions that gained or lost
-- a conversion without a change of their own device (a user's first signup moving to another
-- device). Bot devices leave by the materialization, as there (docs/incremental.md)

with

conversions as (
    select * from {{ ref('int_conversions') }}
),

converting_sessions as (
    select distinct
        project_id,
        session_id
    from conversions
),

sessions as (
    {{ rows_in_device_regions_to_rebuild(ref('int_sessions_classified'), 'started_at') }}
),

final as (
    select
        sessions.session_id as session_id,
        sessions.project_id as project_id,
        sessions.anonymous_id as anonymous_id,
        sessions.user_id as user_id,
        sessions.entry_url as entry_url,
        sessions.entry_path as entry_path,
        sessions.exit_path as exit_path,
        sessions.entry_referrer as entry_referrer,
        sessions.entry_source as entry_source,
        sessions.entry_medium as entry_medium,
        sessions.entry_campaign as entry_campaign,
        sessions.entry_content as entry_content,
        sessions.entry_term as entry_term,
        sessions.channel as channel,
        sessions.session_number as session_number,
        sessions.event_count as event_count,
        sessions.pageview_count as pageview_count,
        sessions.duration_seconds as duration_seconds,
        sessions.pageview_count = 1 as is_bounce,
        converting_sessions.session_id is not null as has_conversion,
        -- GA4's engaged session
        sessions.duration_seconds > {{ var('millimetric__engaged_session_min_seconds') }}
        or sessions.pageview_count >= 2
        or has_conversion as is_engaged,
        sessions.started_at as started_at,
        sessions.ended_at as ended_at,
        {{ device_rows_stamp() }} as built_at
    from sessions
    left join converting_sessions
        on
            sessions.project_id = converting_sessions.project_id
            and sessions.session_id = converting_sessions.session_id
)

select * from final
