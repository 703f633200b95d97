with

source as (
    select * from {{ source('millimetric', 'events') }}
),

not_forgotten as (
    -- tombstones: a forgotten key's events stamped at or before its forget never come back,
    -- whether replayed, backfilled or delivered late; newer events are new data
    select * from source
    where
        not {{ is_forgotten('user_id', 'user_id', 'timestamp') }}
        and not {{ is_forgotten('anonymous_id', 'anonymous_id', 'timestamp') }}
),

renamed as (
    select
        event_id,
        project_id,
        event_name,
        anonymous_id,
        -- the API stores "no user" as NULL, but some SDKs send ''
        nullIf(user_id, '') as user_id,
        url,
        referrer,
        properties,
        user_agent,
        is_anonymous_id_fabricated,
        timestamp as occurred_at,
        received_at
    from not_forgotten
),

validated as (
    select
        *,
        multiIf(
            event_id = '', 'missing_event_id',
            anonymous_id = '', 'missing_anonymous_id',
            occurred_at < toDateTime64('{{ var("millimetric__min_valid_timestamp") }}', 3, 'UTC'),
            'timestamp_before_minimum',
            occurred_at
            > received_at + toIntervalHour({{ var("millimetric__max_clock_skew_hours") }}),
            'timestamp_in_future_of_received_at',
            ''
        ) as quarantine_reason
    from renamed
),

final as (
    select * from validated
)

select * from final
