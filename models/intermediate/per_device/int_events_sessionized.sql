{{
    config(
        partition_by='toMonday(occurred_at)',
        order_by='(project_id, anonymous_id, occurred_at, event_id)',
        query_settings={'optimize_read_in_window_order': 1},
    )
}}
-- sort key: sessions and identity resolution read one device's events in time order
-- read in order: the first window level streams from the input's identical sort key, because a
-- window's sort is never spilled to disk; numbering the sessions still needs one sort

with

events as (
    select * from {{ ref('int_events_deduplicated') }}
    {{ device_changed_since_last_run(ref('int_events_deduplicated')) }}
),

gaps as (
    select
        event_id,
        project_id,
        event_name,
        anonymous_id,
        user_id,
        -- the second window level sorts every event in memory: dictionary-encoded pages
        -- and referrers (few distinct values) keep that sort small
        toLowCardinality(url) as url,
        toLowCardinality(referrer) as referrer,
        occurred_at,
        deduplicated_at,
        -- the event's position in its device's timeline: a cheap sort and tie-break key for
        -- every later per-device window and argMin, instead of the (occurred_at, event_id) tuple
        row_number() over device_timeline as device_event_number,
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

session_starts as (
    select
        *,
        -- strictly longer than the timeout: a gap of exactly 30:00 stays in the session
        device_event_number = 1
        or milliseconds_since_previous_event
        > {{ var('millimetric__session_timeout_minutes') }} * 60 * 1000 as is_session_start
    from gaps
),

session_numbers as (
    select
        *,
        sum(toUInt32(is_session_start)) over device_timeline as session_number,
        -- session starts only move forward in time, so the latest one so far is this session's
        maxIf(occurred_at, is_session_start) over device_timeline as session_started_at
    from session_starts
    window device_timeline as (
        partition by project_id, anonymous_id
        order by device_event_number
        rows between unbounded preceding and current row
    )
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
        device_event_number,
        occurred_at,
        session_started_at,
        deduplicated_at
    from session_numbers
)

select * from final
