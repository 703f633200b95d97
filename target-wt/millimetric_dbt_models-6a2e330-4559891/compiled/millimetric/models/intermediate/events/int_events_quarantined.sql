
-- sort key: forget finds a device's quarantined rows by prefix

with

held_back as (
    -- kept out of every downstream model
    select
        event_id, project_id, event_name, anonymous_id, user_id, url, referrer, properties, user_agent,
        quarantine_reason,
        occurred_at, received_at, inserted_at
    from `analytics`.`stg_millimetric__events`
    where
        quarantine_reason != ''
        and true
        
),

unreadable_revenue as (
    -- not held back: conversions counts the event, with a NULL revenue; this row says why.
    -- Read from the events that passed staging, one per (project_id, event_id)
    select
        event_id, project_id, event_name, anonymous_id, user_id, url, referrer, properties, user_agent,
        'revenue_not_a_decimal' as quarantine_reason,
        occurred_at, received_at, inserted_at
    from `analytics`.`int_events_deduplicated`
    where
        
    ((event_name = 'purchase' and (
        JSONType(properties, 'revenue') != 'Null'
        and JSONExtractRaw(properties, 'revenue') != '""'
        and if(
        match(coalesce(
            nullIf(JSONExtractString(properties, 'revenue'), ''),
            JSONExtractRaw(properties, 'revenue')
        ), '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$'),
        toDecimal64OrNull(coalesce(
            nullIf(JSONExtractString(properties, 'revenue'), ''),
            JSONExtractRaw(properties, 'revenue')
        ), 6),
        null
    ) is null
    )))
        -- int_events_deduplicated ran earlier in this build; rows stored between the two reads
        -- are within the margin, so the next build still finds them
        and true
        
),

machine_like as (
    -- kept out of every downstream model: every event of a device int_devices_bot_flagged flags
    -- (more than millimetric__bot_max_events_per_minute), old ones included, once each. A flag
    -- changes only with the device's new events, so an incremental run reads only the flagged
    -- devices with events stored since its last run
    select
        event_id, project_id, event_name, anonymous_id, user_id, url, referrer, properties, user_agent,
        'bot_event_rate' as quarantine_reason,
        occurred_at, received_at, inserted_at
    from `analytics`.`int_events_deduplicated`
    where
        (project_id, anonymous_id) in (
            select
                project_id,
                anonymous_id
            from `analytics`.`int_devices_bot_flagged`
            where
                is_bot
                
        )
        
),

final as (
    select * from held_back
    union all
    select * from unreadable_revenue
    union all
    select * from machine_like
)

select * from final