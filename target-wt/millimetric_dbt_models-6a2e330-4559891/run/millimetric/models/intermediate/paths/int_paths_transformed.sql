
        
  
    
    
    
        


        
  

  insert into `analytics`.`int_paths_transformed`
        ("path_id", "project_id", "conversion_id", "user_id", "anonymous_id", "conversion_name", "channel_path", "campaign_path", "path_length", "touch_count", "is_conversion", "first_touch_at", "path_ended_at", "built_at")
-- sort key: the path marts read one kind of path of one conversion name at a time

with

touches as (
    select * from `analytics`.`int_path_touches`
    where true
),

paths as (
    -- touches in time order (session_id breaks ties, as in int_conversion_touches); a touch
    -- row without a session is a conversion that had none
    select
        path_id,
        toLowCardinality(any(project_id)) as project_id,
        any(conversion_id) as conversion_id,
        any(user_id) as user_id,
        any(anonymous_id) as anonymous_id,
        any(conversion_name) as conversion_name,
        arrayMap(
            touch -> (touch.3, touch.4),
            arraySort(
                groupArrayIf(
                    (
                        assumeNotNull(touch_started_at),
                        assumeNotNull(session_id),
                        assumeNotNull(channel),
                        assumeNotNull(campaign)
                    ),
                    session_id is not null
                )
            )
        ) as steps_0,
        countIf(session_id is not null) as touch_count,
        any(is_conversion) as is_conversion,
        min(touch_started_at) as first_touch_at,
        any(path_ended_at) as path_ended_at
    from touches
    group by path_id
),

transformed as (
    -- millimetric__path_transforms, in order: steps_1 is steps_0 after the first, and so on
    select
        *,
        arrayFilter(
        (step, i) -> i = 1 or step.1 != steps_0[i - 1].1,
        steps_0,
        arrayEnumerate(steps_0)
    ) as steps_1,
        steps_1 as steps
    from paths
),

final as (
    select
        path_id,
        project_id,
        conversion_id,
        user_id,
        anonymous_id,
        conversion_name,
        arrayStringConcat(arrayMap(step -> step.1, steps), ' > ') as channel_path,
        arrayStringConcat(arrayMap(step -> step.2, steps), ' > ') as campaign_path,
        length(steps) as path_length,
        touch_count,
        is_conversion,
        first_touch_at,
        path_ended_at,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from transformed
)

select * from final
  
    