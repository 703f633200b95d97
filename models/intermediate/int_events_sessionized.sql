{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, anonymous_id',
        engine='MergeTree',
        partition_by='toMonday(occurred_at)',
        order_by='(project_id, anonymous_id, occurred_at, event_id)',
    )
}}
-- sort key: sessions and identity resolution read one device's events in time order

with

events as (
    select * from {{ ref('int_events_deduplicated') }}
    {{ device_changed_since_last_run(ref('int_events_deduplicated')) }}
),

gaps as (
    select
        *,
        row_number() over device_timeline = 1 as is_first_event_of_device,
        dateDiff(
            'millisecond', lagInFrame(occurred_at) over device_timeline, occurred_at
        ) as milliseconds_since_previous_event
    from events
    window device_timeline as (
        partition by project_id, anonymous_id
        order by occurred_at, event_id
        rows between unbounded preceding and current row
    )
),

session_numbers as (
    select
        *,
        -- strictly longer than the timeout: a gap of exactly 30:00 stays in the session
        sum(
            toUInt32(
                is_first_event_of_device
                or milliseconds_since_previous_event
                > {{ var('millimetric__session_timeout_minutes') }} * 60 * 1000
            )
        ) over (
            partition by project_id, anonymous_id
            order by occurred_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from gaps
),

session_starts as (
    select
        *,
        min(occurred_at) over (
            partition by project_id, anonymous_id, session_number
        ) as session_started_at
    from session_numbers
),

final as (
    select
        event_id,
        project_id,
        event_name,
        anonymous_id,
        user_id,
        -- the same device and start instant give the same id on every rebuild
        lower(hex(sipHash128(project_id, anonymous_id, session_started_at))) as session_id,
        url,
        referrer,
        session_number,
        occurred_at,
        session_started_at,
        received_at,
        deduplicated_at
    from session_starts
)

select * from final
