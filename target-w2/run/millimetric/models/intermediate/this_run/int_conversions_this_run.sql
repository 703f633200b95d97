
  
    
    
    
        


        
  

  insert into `analytics`.`int_conversions_this_run`
        ("project_id", "conversion_id")
-- the conversions whose rows this run recomputes: each event of a conversion definition's
-- event_name owned by an owner of int_owners_this_run, at or after that owner's changed_from,
-- under every definition it could convert under (one that stopped converting, a signup that is
-- no longer the user's first, loses its rows). A conversion's rows depend on its event and its
-- owner's sessions in the lookback before it, and nothing of the owner's before changed_from
-- changed. An event whose owner changed is on a changed device, whose every owner is in
-- int_owners_this_run, the old one included. (docs/incremental.md)

with

owners as (
    select * from `analytics`.`int_owners_this_run`
),

devices as (
    select * from `analytics`.`int_owner_devices_this_run`
),

events as (
    select
        project_id,
        event_id,
        event_name,
        occurred_at,
        if(resolved_user_id is null, 'device', 'user') as owner_type,
        assumeNotNull(coalesce(resolved_user_id, anonymous_id)) as owner_id
    from `analytics`.`int_events_identified`
    where
        event_name in (
            '$identify',
            'purchase'
        )
        and (project_id, anonymous_id) in (select project_id, anonymous_id from devices)
),

changed_events as (
    select events.*
    from events
    inner join owners
        on
            events.project_id = owners.project_id
            and events.owner_type = owners.owner_type
            and events.owner_id = owners.owner_id
    where events.occurred_at >= owners.changed_from
),

final as (
    -- conversion_id as int_conversions names a conversion: (project_id, name, event_id)
    select
        toString(project_id) as project_id,
        lower(hex(sipHash128(
            project_id, 'signup', event_id
        ))) as conversion_id
    from changed_events
    where event_name = '$identify'
    union distinct
    select
        toString(project_id) as project_id,
        lower(hex(sipHash128(
            project_id, 'purchase', event_id
        ))) as conversion_id
    from changed_events
    where event_name = 'purchase'
    
)

select distinct * from final
  