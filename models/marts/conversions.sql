{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, conversion_id',
        change_set='int_conversions_this_run',
        order_by='(project_id, conversion_name, converted_at)',
    )
}}
-- sort key: dashboards filter by project and conversion, then by time
-- the mart BI tools read; attribution reads int_conversions, so the graph flows one way
{%- set changed_conversions = ref('int_conversions_this_run') %}

with

conversions as (
    select * from {{ ref('int_conversions') }}
    where {{ in_change_set(changed_conversions, 'project_id, conversion_id') }}
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
        assumeNotNull((select changes_through from {{ ref('int_limits_this_run') }})) as built_at
    from conversions
)

select * from final
