
        
  
    
    
    
        


        
  

  insert into `analytics`.`int_events_deduplicated`
        ("event_id", "project_id", "event_name", "anonymous_id", "user_id", "url", "referrer", "properties", "user_agent", "is_anonymous_id_fabricated", "occurred_at", "received_at", "inserted_at", "built_at")
-- sort key: every downstream model reads one device's events in time order

with

events as (
    select * from `analytics`.`stg_millimetric__events`
    where
        quarantine_reason = ''
        and true
),

repeated_ids as (
    -- hashes of the ids delivered more than once since the last run, staged by the pre-hook
    -- (repeated_event_ids.sql)
    select event_id_hash from `analytics`.`int_events_deduplicated__repeated_event_ids`
),

first_deliveries as (
    -- ~1% of ids are redelivered: only those are sorted, which keeps a full build's memory
    -- to a third of sorting every event
    select * from events
    where sipHash64(project_id, event_id) not in (select * from repeated_ids)

    union all

    (
        -- the delivery the warehouse stored first wins: an incremental run has already kept
        -- it when a later load (an old export, say) brings the same id with an older
        -- received_at, so a full rebuild must keep it too
        select * from events
        where sipHash64(project_id, event_id) in (select * from repeated_ids)
        order by inserted_at, received_at
        limit 1 by project_id, event_id
    )
),

new_first_deliveries as (
    select * from first_deliveries
    
),

final as (
    select
        event_id,
        project_id,
        event_name,
        anonymous_id,
        user_id,
        url,
        referrer,
        properties,
        user_agent,
        is_anonymous_id_fabricated,
        occurred_at,
        received_at,
        inserted_at,
        now64(3) as built_at
    from new_first_deliveries
)

select * from final
  
    