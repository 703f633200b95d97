with

source as (
    select * from {{ source('millimetric', 'events') }}
),

not_forgotten as (
    -- tombstones: a forgotten key's events received or stamped at or before its forget never
    -- come back, whether replayed, backfilled or delivered late; events both clocks put after
    -- the forget are new data (docs/forget.md)
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
        received_at,
        inserted_at
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
            -- crawlers, headless browsers, HTTP libraries, uptime monitors: the seed
            -- bot_user_agents and millimetric__bot_user_agent_patterns (a lookup, not a join)
            {{ is_bot_user_agent('user_agent') }}, 'bot_user_agent',
            ''
        ) as quarantine_reason
    from renamed
),

final as (
    select * from validated
)

select * from final
