{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, anonymous_id',
        on_schema_change='fail',
        engine='MergeTree',
        order_by='(project_id, started_at, anonymous_id)',
        post_hook="{{ delete_bot_devices() }}",
    )
}}
-- sort key: BI filters sessions by project and time range
-- no partitions, as in the device-grain models: a changed device's sessions span its history,
-- and the replacing delete costs ~0.1 s per part it reaches (monthly partitions at 120 days:
-- 0.4-2.0 s a delete, none: 0.08-0.2 s; docs/incremental.md)
-- a device is the unit of recomputation, as in the device-grain models it reads: an incremental
-- run replaces the devices that changed, and the devices whose sessions gained or lost a
-- conversion without a change of their own (a user's first signup moving to another device).
-- Bot devices leave by the post-hook, as in those models (docs/incremental.md)

{#- devices whose stored sessions gained or lost a conversion; read on incremental runs only -#}
{% set devices_whose_conversions_moved %}
    select
        project_id,
        anonymous_id
    from {{ this }}
    where has_conversion != ((project_id, session_id) in (select * from converting_sessions))
{% endset %}

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
    select * from {{ ref('int_sessions_classified') }}
    {{ require_stored_columns(['has_conversion', 'deduplicated_at']) }}
    {{ device_changed_since_last_run(
        ref('int_sessions_classified'), also_devices=devices_whose_conversions_moved
    ) }}
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
        -- typed UTC like every other time in the marts, so that exports keep the zone
        toTimeZone(sessions.deduplicated_at, 'UTC') as deduplicated_at
    from sessions
    left join converting_sessions
        on
            sessions.project_id = converting_sessions.project_id
            and sessions.session_id = converting_sessions.session_id
)

select * from final
