-- depends_on: {{ ref('int_devices_bot_flagged') }} (its materialization deletes bot devices)
{{
    config(
        materialized='device_region',
        time_column='occurred_at',
        regions='identified_device_regions',
        engine='MergeTree',
        order_by='(project_id, anonymous_id, occurred_at, event_id)',
        query_settings={'optimize_read_in_window_order': 1},
    )
}}
-- sort key: sessions aggregate one device's events in time order
-- read in order: the windows follow the input's sort key, so no event is sorted in memory (a
-- window's sort is never spilled to disk)
-- incremental: the rows int_events_sessionized rewrote, knowing the device's latest link before
-- them; the whole device when its first link changed (the pre-login stitch moves)

with

events as (
    {{ rows_in_device_regions_to_rebuild(
        ref('int_events_sessionized'),
        values={'linked_user_id_before_region': "cast(null, 'Nullable(String)')"},
    ) }}
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
            {% if var('millimetric__stitch_lookback_days') is none %}
                first_linked_user_id
            {% else %}
                if(
                    occurred_at >= first_linked_at
                    - toIntervalDay({{ var('millimetric__stitch_lookback_days') }}),
                    first_linked_user_id,
                    null
                )
            {% endif %}
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
        {{ device_rows_stamp() }} as built_at
    from resolved
)

select * from final
