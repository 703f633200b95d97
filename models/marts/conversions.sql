{{
    config(
        order_by='(project_id, conversion_name, converted_at)',
    )
}}
-- sort key: dashboards filter by project and conversion, then by time
-- the mart BI tools read; attribution reads int_conversions, so the graph flows one way
-- per owner: configured in dbt_project.yml with the per_owner/ models (docs/incremental.md)

with

conversions as (
    select * from {{ ref('int_conversions') }}
    where {{ owner_is_rebuilt() }}
),

final as (
    select
        conversion_id,
        project_id,
        user_id,
        anonymous_id,
        session_id,
        conversion_name,
        revenue,
        converted_at,
        {{ owners_rebuilt_through() }} as deduplicated_at
    from conversions
)

select * from final
