{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=owner_key(),
        change_set='int_owners_this_run',
        order_by='(project_id, conversion_name, last_session_started_at)',
    )
}}
-- sort key: compared with conversion_paths of the same project and conversion name
{%- set changed_owners = ref('int_owners_this_run') %}

with

paths as (
    select * from {{ ref('int_paths_transformed') }}
    where not is_conversion and {{ in_change_set(changed_owners, owner_key()) }}
),

final as (
    select
        path_id,
        project_id,
        user_id,
        anonymous_id,
        conversion_name,
        channel_path,
        campaign_path,
        path_length,
        touch_count,
        dateDiff('millisecond', first_touch_at, path_ended_at) / 86400000
            as days_from_first_touch,
        assumeNotNull(first_touch_at) as first_touch_at,
        path_ended_at as last_session_started_at,
        assumeNotNull((select changes_through from {{ ref('int_limits_this_run') }})) as built_at
    from paths
)

select * from final
