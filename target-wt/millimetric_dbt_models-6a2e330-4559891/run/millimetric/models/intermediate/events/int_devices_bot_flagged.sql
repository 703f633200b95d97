
        
  
    
    
    
        


        
  

  insert into `analytics`.`int_devices_bot_flagged`
        ("project_id", "anonymous_id", "event_count", "peak_events_per_minute", "is_bot", "built_at")
-- sort key: the device-grain models' post-hook and forget look devices up by key
-- read in order: the window follows int_events_deduplicated's sort key, so no event is sorted
-- in memory. A device's flag depends on all its events: an incremental run recomputes the
-- devices of int_devices_this_run whole

with

events as (
    select
        project_id,
        anonymous_id,
        occurred_at,
        built_at
    from `analytics`.`int_events_deduplicated`
    where true
),

events_with_rate as (
    select
        *,
        -- the device's events in the 60 seconds up to and including this one, by its own clock
        -- (an offline queue flushed at once keeps its events' times and is not a burst)
        count() over (
            partition by project_id, anonymous_id
            order by toUnixTimestamp64Milli(occurred_at)
            range between 60000 preceding and current row
        ) as events_in_last_minute
    from events
),

devices as (
    select
        project_id,
        anonymous_id,
        count() as event_count,
        max(events_in_last_minute) as peak_events_per_minute,
        max(built_at) as built_at
    from events_with_rate
    group by project_id, anonymous_id
),

final as (
    select
        project_id,
        anonymous_id,
        event_count,
        peak_events_per_minute,
        
            cast(
                peak_events_per_minute > 60
                as Bool
            ) as is_bot,
        
        built_at
    from devices
)

select * from final
            -- settings_section
            SETTINGS optimize_read_in_window_order=1

            
  
    