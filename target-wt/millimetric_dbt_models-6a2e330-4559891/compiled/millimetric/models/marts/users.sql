
-- sort key: one user's row is found by id

with

stitch as (
    select * from `analytics`.`int_identity_stitch`
    where true
),

events as (
    select * from `analytics`.`int_events_identified`
    where true
),

sessions as (
    select * from `analytics`.`int_sessions_classified`
    where true
),

devices as (
    select
        project_id,
        user_id,
        count() as device_count
    from stitch
    group by project_id, user_id
),

activity as (
    -- resolved users include the pre-login history stitched to them
    select
        project_id,
        assumeNotNull(resolved_user_id) as user_id,
        min(occurred_at) as first_seen_at,
        max(occurred_at) as last_seen_at
    from events
    where resolved_user_id is not null
    group by project_id, resolved_user_id
),

identifies as (
    -- traits live only on $identify; the latest one is the user's current profile
    select
        project_id,
        assumeNotNull(user_id) as user_id,
        argMax(properties, (occurred_at, event_id)) as traits,
        min(occurred_at) as signed_up_at
    from `analytics`.`int_events_deduplicated`
    where
        event_name = '$identify'
        and user_id is not null
        and true
    group by project_id, user_id
),

user_sessions as (
    select
        project_id,
        assumeNotNull(user_id) as user_id,
        count() as session_count,
        argMin(entry_source, (started_at, session_id)) as first_touch_source,
        argMin(entry_medium, (started_at, session_id)) as first_touch_medium,
        argMin(entry_campaign, (started_at, session_id)) as first_touch_campaign,
        argMin(channel, (started_at, session_id)) as first_touch_channel
    from sessions
    where user_id is not null
    group by project_id, user_id
),

final as (
    select
        devices.project_id as project_id,
        devices.user_id as user_id,
        user_sessions.first_touch_source as first_touch_source,
        user_sessions.first_touch_medium as first_touch_medium,
        user_sessions.first_touch_campaign as first_touch_campaign,
        user_sessions.first_touch_channel as first_touch_channel,
        identifies.traits as traits,
        devices.device_count as device_count,
        coalesce(user_sessions.session_count, 0) as session_count,
        activity.first_seen_at as first_seen_at,
        identifies.signed_up_at as signed_up_at,
        activity.last_seen_at as last_seen_at,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from devices
    left join activity
        on devices.project_id = activity.project_id and devices.user_id = activity.user_id
    left join identifies
        on devices.project_id = identifies.project_id and devices.user_id = identifies.user_id
    left join user_sessions
        on
            devices.project_id = user_sessions.project_id
            and devices.user_id = user_sessions.user_id
)

select * from final