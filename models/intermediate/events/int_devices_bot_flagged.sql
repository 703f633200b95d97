{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, anonymous_id',
        change_set='int_devices_this_run',
        engine='MergeTree',
        order_by='(project_id, anonymous_id)',
        query_settings={'optimize_read_in_window_order': 1},
    )
}}
-- sort key: the device-region models' bot delete and forget look devices up by key
-- read in order: the window follows int_events_deduplicated's sort key, so no event is sorted
-- in memory. A device's flag depends on all its events: an incremental run recomputes the
-- devices of int_devices_this_run whole
{%- set changed_devices = ref('int_devices_this_run') %}

with

events as (
    select
        project_id,
        anonymous_id,
        occurred_at,
        built_at
    from {{ ref('int_events_deduplicated') }}
    where {{ in_change_set(changed_devices, 'project_id, anonymous_id') }}
),

events_with_rate as (
    select
        *,
        -- the device's events in the 60 seconds up to and including this one, by its own clock
        -- (an offline queue flushed at once keeps its events' times and is not a burst)
        count() over (
            partition by project_id, anonymous_id
            order by toUnixTimestamp64Milli(occurred_at)
            range between 60000 preceding and current row
        ) as events_in_last_minute
    from events
),

devices as (
    select
        project_id,
        anonymous_id,
        count() as event_count,
        max(events_in_last_minute) as peak_events_per_minute,
        max(built_at) as built_at
    from events_with_rate
    group by project_id, anonymous_id
),

final as (
    select
        project_id,
        anonymous_id,
        event_count,
        peak_events_per_minute,
        {% if var('millimetric__bot_max_events_per_minute') is none %}
            false as is_bot,
        {% else %}
            cast(
                peak_events_per_minute > {{ var('millimetric__bot_max_events_per_minute') }}
                as Bool
            ) as is_bot,
        {% endif %}
        built_at
    from devices
)

select * from final
