{{
    config(
        unique_key='project_id, anonymous_id',
    )
}}
-- every device of the owners in int_owners_this_run: what a model recomputing those owners
-- reads of the device-grain tables. changed_from: the earliest change of any owner the device
-- belongs to, so a conversion on the device before it is unchanged (int_conversions_this_run)

with

owners as (
    select * from {{ ref('int_owners_this_run') }}
),

stitch as (
    select * from {{ ref('identity_stitch') }}
),

owner_devices as (
    select
        project_id,
        owner_id as anonymous_id,
        changed_from
    from owners
    where owner_type = 'device'
    union all
    select
        stitch.project_id as project_id,
        stitch.anonymous_id as anonymous_id,
        owners.changed_from as changed_from
    from stitch
    inner join owners
        on
            stitch.project_id = owners.project_id
            and stitch.user_id = owners.owner_id
            and owners.owner_type = 'user'
),

final as (
    select
        toString(project_id) as project_id,
        toString(anonymous_id) as anonymous_id,
        min(changed_from) as changed_from
    from owner_devices
    group by project_id, anonymous_id
)

select * from final
