{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, conversion_id',
        change_set='int_conversions_this_run',
        order_by='(project_id, conversion_name, converted_at)',
    )
}}
-- sort key: like conversions: filtered by project and conversion, then by time
{%- set changed_conversions = ref('int_conversions_this_run') %}

with

paths as (
    select * from {{ ref('int_paths_transformed') }}
    where is_conversion and {{ in_change_set(changed_conversions, 'project_id, conversion_id') }}
),

revenues as (
    select * from {{ ref('int_conversion_revenue_converted') }}
    where {{ in_change_set(changed_conversions, 'project_id, conversion_id') }}
),

final as (
    select
        assumeNotNull(paths.conversion_id) as conversion_id,
        paths.project_id as project_id,
        paths.user_id as user_id,
        assumeNotNull(paths.anonymous_id) as anonymous_id,
        paths.conversion_name as conversion_name,
        paths.channel_path as channel_path,
        paths.campaign_path as campaign_path,
        revenues.revenue_currency as revenue_currency,
        {{ sql_string_literal(var('millimetric__reporting_currency')) }} as reporting_currency,
        paths.path_length as path_length,
        paths.touch_count as touch_count,
        revenues.revenue as revenue,
        revenues.reporting_revenue as reporting_revenue,
        dateDiff('millisecond', paths.first_touch_at, paths.path_ended_at) / 86400000
            as days_from_first_touch,
        paths.first_touch_at as first_touch_at,
        paths.path_ended_at as converted_at,
        assumeNotNull((select changes_through from {{ ref('int_limits_this_run') }})) as built_at
    from paths
    left join revenues
        on
            paths.project_id = revenues.project_id
            and paths.conversion_id = revenues.conversion_id
)

select * from final
