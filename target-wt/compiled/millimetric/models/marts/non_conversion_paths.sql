
-- sort key: compared with conversion_paths of the same project and conversion name

with

paths as (
    select * from `analytics`.`int_paths_transformed`
    where not is_conversion and true
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
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from paths
)

select * from final