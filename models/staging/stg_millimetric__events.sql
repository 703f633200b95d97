with

source as (
    select * from {{ source('millimetric', 'events') }}
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
    from source
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
