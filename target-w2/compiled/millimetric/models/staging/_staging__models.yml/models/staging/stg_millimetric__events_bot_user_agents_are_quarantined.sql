with

 __dbt__cte__millimetric__events as (

-- Fixture for events
select CAST('crawler' AS String) as "event_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "timestamp", CAST('2026-01-05 10:00:01' AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at"
union all
select CAST('curl' AS String) as "event_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "timestamp", CAST('2026-01-05 10:00:01' AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST('curl/8.5.0' AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at"
union all
select CAST('browser' AS String) as "event_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "timestamp", CAST('2026-01-05 10:00:01' AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at"
union all
select CAST('own_monitor' AS String) as "event_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "timestamp", CAST('2026-01-05 10:00:01' AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST('ACME-Monitor/2.0' AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at"
union all
select CAST('not_anchored' AS String) as "event_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "timestamp", CAST('2026-01-05 10:00:01' AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST('Mozilla/5.0 acme-monitor/2.0' AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at"
union all
select CAST('no_agent' AS String) as "event_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('d1' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "timestamp", CAST('2026-01-05 10:00:01' AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST('' AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at"
union all
select CAST('crawler_without_device' AS String) as "event_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "event_name", CAST('' AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST('2026-01-05 10:00:00' AS DateTime64(3, 'UTC')) as "timestamp", CAST('2026-01-05 10:00:01' AS DateTime64(3, 'UTC')) as "received_at", CAST(defaultValueOfTypeName('String') AS String) as "url", CAST(defaultValueOfTypeName('String') AS String) as "referrer", CAST(defaultValueOfTypeName('String') AS String) as "properties", CAST('Googlebot/2.1' AS String) as "user_agent", CAST(defaultValueOfTypeName('Bool') AS Bool) as "is_anonymous_id_fabricated", CAST(defaultValueOfTypeName('DateTime64(6, \'UTC\')') AS DateTime64(6, 'UTC')) as "inserted_at"
),  __dbt__cte__audit__forget_tombstones as (

-- Fixture for forget_tombstones
select CAST(defaultValueOfTypeName('String') AS String) as "request_id", CAST(defaultValueOfTypeName('String') AS String) as "project_id", CAST(defaultValueOfTypeName('LowCardinality(String)') AS LowCardinality(String)) as "key_type", CAST(defaultValueOfTypeName('String') AS String) as "forgotten_key", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "forgotten_at"
    limit 0
),  __dbt__cte__bot_user_agents as (

-- Fixture for bot_user_agents
select CAST('googlebot' AS String) as "pattern", CAST('Googlebot' AS String) as "bot_name", CAST('search_crawler' AS LowCardinality(String)) as "category"
union all
select CAST('^curl/' AS String) as "pattern", CAST('curl' AS String) as "bot_name", CAST('http_library' AS LowCardinality(String)) as "category"
), source as (
    select * from `__dbt__cte__millimetric__events`
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
            from `__dbt__cte__audit__forget_tombstones`
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
            from `__dbt__cte__audit__forget_tombstones`
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
            from `__dbt__cte__audit__forget_tombstones`
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
            from `__dbt__cte__audit__forget_tombstones`
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
            from `__dbt__cte__audit__forget_tombstones`
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
            from `__dbt__cte__audit__forget_tombstones`
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
                        groupArray(pattern), cast(['^acme-monitor/'], 'Array(String)')
                    )
                )
            from `__dbt__cte__bot_user_agents`
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