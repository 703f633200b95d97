
-- sort key: like conversions: filtered by project and conversion, then by time

with

paths as (
    select * from `analytics`.`int_paths_transformed`
    where is_conversion and true
),

revenues as (
    select * from `analytics`.`int_conversion_revenue_converted`
    where true
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
        'USD' as reporting_currency,
        paths.path_length as path_length,
        paths.touch_count as touch_count,
        revenues.revenue as revenue,
        revenues.reporting_revenue as reporting_revenue,
        dateDiff('millisecond', paths.first_touch_at, paths.path_ended_at) / 86400000
            as days_from_first_touch,
        paths.first_touch_at as first_touch_at,
        paths.path_ended_at as converted_at,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from paths
    left join revenues
        on
            paths.project_id = revenues.project_id
            and paths.conversion_id = revenues.conversion_id
)

select * from final