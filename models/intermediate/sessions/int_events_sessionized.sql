{{
    config(
        materialized='device_region',
        time_column='occurred_at',
        regions='sessionized_device_regions',
        engine='MergeTree',
        order_by='(project_id, anonymous_id, occurred_at, event_id)',
        query_settings={'optimize_aggregation_in_order': 1, 'max_block_size': 8192},
    )
}}
-- sort key: sessions and identity resolution read one device's events in time order
-- read in order: the input has the same sort key, so grouping by device streams and the
-- output needs no sort before it is written. Blocks of 8,192 rows (not 65,409) hold fewer
-- devices' arrays at once: 10M events peaked at 2.7 GB instead of 3.1 GB, in the same time
-- incremental: a changed device is sessionized from its earliest new event, or from the start
-- of the stored session that event joins; the numbers continue from the rows before it

with

events as (
    {{ rows_in_device_regions_to_rebuild(
        ref('int_events_deduplicated'),
        values={'session_number_offset': '0', 'device_event_number_offset': '0'},
    ) }}
),

human_events as (
    -- bot devices are left out here, not written and then deleted by the materialization: a full
    -- build of 10M events spent 14 s deleting them. The materialization still removes the rows a
    -- device wrote before its newest events flagged it (delete_bot_devices.sql)
    select * from events
    where (project_id, anonymous_id) not in ({{ bot_devices() }})
),

device_timelines as (
    -- one row per device, its events in time order: nothing sorts every event at once, unlike
    -- the window functions this replaced (5.2 GB against 3.1 GB; docs/incremental.md)
    select
        project_id,
        anonymous_id,
        any(session_number_offset) as session_number_offset,
        any(device_event_number_offset) as device_event_number_offset,
        arraySort(
            event -> (event.occurred_at, event.event_id),
            groupArray(
                cast(
                    (event_id, event_name, user_id, url, referrer, occurred_at),
                    concat(
                        'Tuple(event_id String, event_name LowCardinality(String), ',
                        'user_id Nullable(String), url String, referrer String, ',
                        'occurred_at DateTime64(3, \'UTC\'))'
                    )
                )
            )
        ) as device_events
    from human_events
    group by project_id, anonymous_id
),

chains as (
    select
        *,
        arrayMap(event -> event.occurred_at, device_events) as event_times,
        {{ is_chain_start('event_times') }} as is_chain_start,
        arrayCumSum(arrayMap(is_start -> toUInt64(is_start), is_chain_start)) as chain_numbers,
        -- each event's chain start: the latest start at or before it
        arrayFill((at, is_start) -> is_start, event_times, is_chain_start) as chain_starts,
        {{ session_starts_added_by_length_cap('event_times', 'is_chain_start') }}
            as capped_starts
    from device_timelines
),

sessions as (
    select
        project_id,
        anonymous_id,
        session_number_offset,
        device_event_number_offset,
        event,
        event.occurred_at as occurred_at,
        toUInt64(event_position) as device_event_number,
        -- the capped starts so far, earlier chains' included, add to the number
        chain_number + arrayCount(
            started_at -> started_at <= occurred_at, capped_starts
        ) as session_number,
        -- the latest capped start at or before the event if it is in this chain (older ones
        -- belong to earlier chains), else the chain's start; arrayLast gives 1970 for none
        greatest(
            chain_started_at, arrayLast(started_at -> started_at <= occurred_at, capped_starts)
        ) as session_started_at
    from chains
    array join
        device_events as event,
        arrayEnumerate(device_events) as event_position,
        chain_numbers as chain_number,
        chain_starts as chain_started_at
),

final as (
    select
        event.event_id as event_id,
        project_id,
        event.event_name as event_name,
        anonymous_id,
        event.user_id as user_id,
        -- the same device and start instant give the same id on every rebuild
        lower(hex(sipHash128(project_id, anonymous_id, session_started_at))) as session_id,
        -- dictionary-encoded: few distinct pages and referrers
        toLowCardinality(event.url) as url,
        toLowCardinality(event.referrer) as referrer,
        session_number + session_number_offset as session_number,
        device_event_number + device_event_number_offset as device_event_number,
        occurred_at,
        session_started_at,
        {{ device_rows_stamp() }} as built_at
    from sessions
)

select * from final
