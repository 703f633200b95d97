{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, anonymous_id',
        change_set='int_devices_this_run',
        order_by='(project_id, anonymous_id, valid_from)',
    )
}}
-- sort key: lookups go device -> users, in validity order
-- the mart BI tools read; the models read int_identity_stitch, so the graph flows one way
{%- set changed_devices = ref('int_devices_this_run') %}

with

stitch as (
    select * from {{ ref('int_identity_stitch') }}
    where {{ in_change_set(changed_devices, 'project_id, anonymous_id') }}
),

final as (
    select
        project_id,
        anonymous_id,
        user_id,
        link_count,
        first_linked_at,
        last_linked_at,
        valid_from,
        valid_to,
        built_at
    from stitch
)

select * from final
