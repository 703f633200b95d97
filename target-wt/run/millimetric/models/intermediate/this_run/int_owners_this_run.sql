
  
    
    
    
        


        
  

  insert into `analytics`.`int_owners_this_run`
        ("project_id", "owner_type", "owner_id", "changed_from")
-- the owners a change reached: each device of int_devices_this_run as an owner, and every
-- person ever linked to one (links only grow, so that holds whom a re-stitch takes sessions from
-- as well as whom it gives them to). changed_from: the earliest start of a session this run
-- rewrote on the owner's changed devices (stamped after the run's changes); nothing of the
-- owner's before it changed. A changed device with no session rewritten in this run (the bot
-- rule removed its sessions, or an earlier run that failed rewrote them) counts as changed
-- from its beginning.

with

limits as (
    select * from `analytics`.`int_limits_this_run`
),

changed_devices as (
    select * from `analytics`.`int_devices_this_run`
),

rewritten_sessions as (
    select
        project_id,
        anonymous_id,
        min(started_at) as changed_from
    from `analytics`.`int_sessions_classified`
    where
        built_at > (select changes_through from limits)
        and (project_id, anonymous_id) in changed_devices
    group by project_id, anonymous_id
),

device_changes as (
    select
        changed_devices.project_id as project_id,
        changed_devices.anonymous_id as anonymous_id,
        coalesce(rewritten_sessions.changed_from, toDateTime64(0, 3, 'UTC')) as changed_from
    from changed_devices
    left join rewritten_sessions
        on
            changed_devices.project_id = rewritten_sessions.project_id
            and changed_devices.anonymous_id = rewritten_sessions.anonymous_id
),

linked_users as (
    select distinct
        project_id,
        anonymous_id,
        user_id
    from `analytics`.`int_identity_stitch`
    where (project_id, anonymous_id) in changed_devices
),

owner_changes as (
    select
        project_id,
        'device' as owner_type,
        anonymous_id as owner_id,
        changed_from
    from device_changes
    union all
    select
        device_changes.project_id as project_id,
        'user' as owner_type,
        linked_users.user_id as owner_id,
        device_changes.changed_from as changed_from
    from device_changes
    inner join linked_users
        on
            device_changes.project_id = linked_users.project_id
            and device_changes.anonymous_id = linked_users.anonymous_id
),

final as (
    select
        toString(project_id) as project_id,
        owner_type,
        toString(owner_id) as owner_id,
        min(changed_from) as changed_from
    from owner_changes
    group by project_id, owner_type, owner_id
)

select * from final
  