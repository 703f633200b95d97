
  
    
    
    
        


        
  

  insert into `analytics`.`int_owner_devices_this_run`
        ("project_id", "anonymous_id")
-- every device of the owners in int_owners_this_run: what a model recomputing those owners
-- reads of the device-grain tables

with

owners as (
    select * from `analytics`.`int_owners_this_run`
),

stitch as (
    select * from `analytics`.`int_identity_stitch`
),

owner_devices as (
    select
        project_id,
        owner_id as anonymous_id
    from owners
    where owner_type = 'device'
    union all
    select
        stitch.project_id as project_id,
        stitch.anonymous_id as anonymous_id
    from stitch
    inner join owners
        on
            stitch.project_id = owners.project_id
            and stitch.user_id = owners.owner_id
            and owners.owner_type = 'user'
),

final as (
    select distinct
        toString(project_id) as project_id,
        toString(anonymous_id) as anonymous_id
    from owner_devices
)

select * from final
  