
  
    
    
    
        


        
  

  insert into `analytics`.`int_devices_this_run`
        ("project_id", "anonymous_id")
-- the devices a change reached: a row of int_events_deduplicated stamped within this run's
-- limits, a new event or one a forget marked for reprocessing

with

limits as (
    select * from `analytics`.`int_limits_this_run`
),

final as (
    select distinct
        toString(project_id) as project_id,
        toString(anonymous_id) as anonymous_id
    from `analytics`.`int_events_deduplicated`
    where
        built_at > (select changes_after from limits)
        and built_at <= (select changes_through from limits)
)

select * from final
  