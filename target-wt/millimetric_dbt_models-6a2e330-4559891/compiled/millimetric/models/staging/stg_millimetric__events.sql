with

source as (
    select * from `raw`.`events`
),

not_forgotten as (
    -- tombstones: a forgotten key's events received or stamped at or before its forget never
    -- come back, whether replayed, backfilled or delivered late; events both clocks put after
    -- the forget are new data (docs/forget.md)
    select * from source
    where
        not ifNull(
        (project_id, user_id) in (
            select project_id, forgotten_key
            from `audit`.`forget_tombstones`
            where key_type = 'user_id'
        )
        and least(timestamp, received_at) <= transform(
            hex(sipHash128(project_id, user_id)),
            (
        select (groupArray(key_hash), groupArray(forgotten_at))
        from (
            select
                hex(sipHash128(project_id, forgotten_key)) as key_hash,
                max(forgotten_at) as forgotten_at
            from `audit`.`forget_tombstones`
            where key_type = 'user_id'
            group by key_hash
        )
    ).1,
            (
        select (groupArray(key_hash), groupArray(forgotten_at))
        from (
            select
                hex(sipHash128(project_id, forgotten_key)) as key_hash,
                max(forgotten_at) as forgotten_at
            from `audit`.`forget_tombstones`
            where key_type = 'user_id'
            group by key_hash
        )
    ).2,
            toDateTime64('1900-01-01 00:00:00', 3, 'UTC')
        ),
        false
    )
        and not ifNull(
        (project_id, anonymous_id) in (
            select project_id, forgotten_key
            from `audit`.`forget_tombstones`
            where key_type = 'anonymous_id'
        )
        and least(timestamp, received_at) <= transform(
            hex(sipHash128(project_id, anonymous_id)),
            (
        select (groupArray(key_hash), groupArray(forgotten_at))
        from (
            select
                hex(sipHash128(project_id, forgotten_key)) as key_hash,
                max(forgotten_at) as forgotten_at
            from `audit`.`forget_tombstones`
            where key_type = 'anonymous_id'
            group by key_hash
        )
    ).1,
            (
        select (groupArray(key_hash), groupArray(forgotten_at))
        from (
            select
                hex(sipHash128(project_id, forgotten_key)) as key_hash,
                max(forgotten_at) as forgotten_at
            from `audit`.`forget_tombstones`
            where key_type = 'anonymous_id'
            group by key_hash
        )
    ).2,
            toDateTime64('1900-01-01 00:00:00', 3, 'UTC')
        ),
        false
    )
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
            occurred_at < toDateTime64('2000-01-01 00:00:00', 3, 'UTC'),
            'timestamp_before_minimum',
            occurred_at
            > received_at + toIntervalHour(24),
            'timestamp_in_future_of_received_at',
            -- crawlers, headless browsers, HTTP libraries, uptime monitors: the seed
            -- bot_user_agents and millimetric__bot_user_agent_patterns (a lookup, not a join)
            multiMatchAny(
        user_agent,
        (
            select
                arrayMap(
                    pattern -> concat('(?i)', pattern),
                    arrayConcat(
                        groupArray(pattern), cast([], 'Array(String)')
                    )
                )
            from `analytics`.`bot_user_agents`
        )
    ), 'bot_user_agent',
            ''
        ) as quarantine_reason
    from renamed
),

final as (
    select * from validated
)

select * from final