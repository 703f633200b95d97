
-- sort key: sessions aggregate one device's events in time order
-- read in order: the windows follow the input's sort key, so no event is sorted in memory (a
-- window's sort is never spilled to disk)
-- incremental: the rows int_events_sessionized rewrote, knowing the device's latest link before
-- them; the whole device when its first link changed (the pre-login stitch moves)

with

events as (
    select *, cast(null, 'Nullable(String)') as linked_user_id_before_region from `analytics`.`int_events_sessionized`
),

device_links as (
    select
        *,
        -- anyLast skips NULLs: the user of the latest link at or before this event
        coalesce(
            anyLast(user_id) over (
                partition by project_id, anonymous_id
                order by occurred_at, event_id
                rows between unbounded preceding and current row
            ),
            linked_user_id_before_region
        ) as latest_linked_user_id,
        argMinIf(user_id, device_event_number, user_id is not null) over (
            partition by project_id, anonymous_id
        ) as first_linked_user_id,
        minIf(occurred_at, user_id is not null) over (
            partition by project_id, anonymous_id
        ) as first_linked_at
    from events
),

resolved as (
    select
        *,
        -- before any link, the event belongs to the device's first linked user (pre-login stitch)
        coalesce(
            user_id,
            latest_linked_user_id,
            
                first_linked_user_id
            
        ) as resolved_user_id
    from device_links
),

final as (
    select
        event_id,
        project_id,
        event_name,
        anonymous_id,
        user_id,
        latest_linked_user_id,
        resolved_user_id,
        session_id,
        url,
        referrer,
        session_number,
        device_event_number,
        occurred_at,
        session_started_at,
        toTimeZone(now64(3), 'UTC') as built_at
    from resolved
)

select * from final