{{
    config(
        order_by='(project_id, anonymous_id, occurred_at, event_id)',
        query_settings={'optimize_read_in_window_order': 1},
        pre_hook="{{ stage_device_regions_changed_since_last_run(sessionized_device_regions()) }}",
        post_hook="{{ replace_device_regions() }}",
    )
}}
-- sort key: sessions and identity resolution read one device's events in time order
-- read in order: the first window level streams from the input's identical sort key, because a
-- window's sort is never spilled to disk; numbering the sessions still needs one sort
-- incremental: a changed device is sessionized from its earliest new event, or from the start
-- of the stored session that event joins; the numbers continue from the rows before it

with

events as (
    {{ rows_in_device_regions_to_rebuild(
        ref('int_events_deduplicated'),
        values={'session_number_offset': '0', 'device_event_number_offset': '0'},
    ) }}
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
        session_number_offset,
        device_event_number_offset,
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

chain_starts as (
    select
        *,
        -- a chain is a run of events without a gap longer than the timeout: the session before
        -- the length cap. Strictly longer: a gap of exactly 30:00 stays in the chain
        device_event_number = 1
        or milliseconds_since_previous_event
        > {{ var('millimetric__session_timeout_minutes') }} * 60 * 1000 as is_chain_start
    from gaps
),

chains as (
    select
        *,
        sum(toUInt32(is_chain_start)) over device_timeline as chain_number,
        -- chain starts only move forward in time, so the latest one so far is this chain's
        maxIf(occurred_at, is_chain_start) over device_timeline as chain_started_at
    from chain_starts
    window device_timeline as (
        partition by project_id, anonymous_id
        order by device_event_number
        rows between unbounded preceding and current row
    )
),

-- The length cap makes a session's start depend on the previous session's start, which no
-- window expresses. Only chains longer than the cap (always-on devices, bots) need that, so
-- they are split apart from the windows, which stay as they were; the price is one more read
-- of the events, grouped by device (about 0.2 s of CPU per million events).
long_chain_devices as (
    select
        project_id,
        anonymous_id,
        arraySort(groupArray(occurred_at)) as device_timestamps
    from events
    group by project_id, anonymous_id
    -- outlasting the cap takes more than cap / timeout gaps of at most the timeout, so a device
    -- with fewer events has no long chain (~2.5% of generated devices pass this)
    having
        (count() - 1) * {{ var('millimetric__session_timeout_minutes') }} * 60 * 1000
        > {{ var('millimetric__max_session_hours') }} * 3600 * 1000
),

long_chains as (
    select
        project_id,
        anonymous_id,
        chain_timestamps
    from long_chain_devices
    -- the same chains as the windows find: split before each gap longer than the timeout
    array join
        arraySplit(
            (occurred_at, milliseconds_since_previous_event) -> milliseconds_since_previous_event
            > {{ var('millimetric__session_timeout_minutes') }} * 60 * 1000,
            device_timestamps,
            arrayDifference(
                arrayMap(occurred_at -> toUnixTimestamp64Milli(occurred_at), device_timestamps)
            )
        ) as chain_timestamps
    where
        dateDiff('millisecond', chain_timestamps[1], chain_timestamps[-1])
        > {{ var('millimetric__max_session_hours') }} * 3600 * 1000
),

long_chain_sessions as (
    select
        project_id,
        anonymous_id,
        -- PostHog's rule: a session's cap counts from its own first event, so each next session
        -- starts at the chain's first event more than the cap after the previous start. The
        -- fold jumps one session per step rather than one event (arrayFold runs step by step
        -- for all rows together: a week of events every 10 minutes is 1,008 events but 7
        -- sessions). Each session starts more than one cap after the previous one, so span /
        -- cap steps always suffice; steps past the chain's last session change nothing
        arrayFold(
            (session_starts, step) -> if(
                dateDiff('millisecond', session_starts[-1], chain_timestamps[-1])
                > {{ var('millimetric__max_session_hours') }} * 3600 * 1000,
                arrayPushBack(
                    session_starts,
                    arrayFirst(
                        occurred_at -> dateDiff('millisecond', session_starts[-1], occurred_at)
                        > {{ var('millimetric__max_session_hours') }} * 3600 * 1000,
                        chain_timestamps
                    )
                ),
                session_starts
            ),
            range(intDiv(
                dateDiff('millisecond', chain_timestamps[1], chain_timestamps[-1]),
                {{ var('millimetric__max_session_hours') }} * 3600 * 1000
            )),
            [chain_timestamps[1]]
        ) as session_starts
    from long_chains
),

capped_session_starts as (
    select
        project_id,
        anonymous_id,
        -- the starts the cap adds; the chain's own first event is already a start
        arraySort(arrayFlatten(groupArray(arrayPopFront(session_starts)))) as capped_starts
    from long_chain_sessions
    group by project_id, anonymous_id
),

sessions as (
    select
        chains.*,
        -- a device without long chains joins an empty array (arrays are never NULL, even with
        -- join_use_nulls): its sessions are its chains. Otherwise the capped starts so far,
        -- earlier chains' included, add to the number
        chains.chain_number + arrayCount(
            started_at -> started_at <= chains.occurred_at, capped_session_starts.capped_starts
        ) as session_number,
        -- the latest capped start at or before the event if it is in this chain (older ones
        -- belong to earlier chains), else the chain's start; arrayLast gives 1970 for none
        greatest(
            chains.chain_started_at,
            arrayLast(
                started_at -> started_at <= chains.occurred_at, capped_session_starts.capped_starts
            )
        ) as session_started_at
    from chains
    left join capped_session_starts
        on
            chains.project_id = capped_session_starts.project_id
            and chains.anonymous_id = capped_session_starts.anonymous_id
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
        session_number + session_number_offset as session_number,
        device_event_number + device_event_number_offset as device_event_number,
        occurred_at,
        session_started_at,
        {{ device_rows_stamp() }} as deduplicated_at
    from sessions
)

select * from final
