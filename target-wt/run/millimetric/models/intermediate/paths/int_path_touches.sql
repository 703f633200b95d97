
        
  
    
    
    
        


        
  

  insert into `analytics`.`int_path_touches`
        ("path_id", "project_id", "conversion_id", "user_id", "anonymous_id", "session_id", "conversion_name", "channel", "campaign", "is_conversion", "touch_started_at", "path_ended_at", "built_at")
-- sort key: int_paths_transformed groups the touches by path
-- a table, not a view: per owner like the models it reads, so a nightly run writes the touches
-- of the owners a change reached, and int_paths_transformed reads only those

with

conversions as (
    select * from `analytics`.`int_conversions`
    where true
),

touches as (
    select * from `analytics`.`int_conversion_touches`
    where true
),

sessions as (
    -- the owner's own sessions only: a device of theirs also holds sessions of other people
    select * from `analytics`.`int_sessions_classified`
    where
        true
        and true
),

conversion_touches as (
    -- a conversion's touches are its attribution touches; one without any keeps a row with
    -- no session, so that its (empty) path still exists
    select
        conversions.conversion_id as path_id,
        conversions.project_id as project_id,
        conversions.conversion_id as conversion_id,
        conversions.user_id as user_id,
        toNullable(conversions.anonymous_id) as anonymous_id,
        touches.session_id as session_id,
        conversions.conversion_name as conversion_name,
        touches.channel as channel,
        touches.campaign as campaign,
        true as is_conversion,
        touches.touch_started_at as touch_started_at,
        conversions.converted_at as path_ended_at
    from conversions
    left join touches
        on
            conversions.project_id = touches.project_id
            and conversions.conversion_id = touches.conversion_id
),

owned_sessions as (
    -- a session belongs to its person, else (never linked to one) to its device
    select
        *,
        if(user_id is null, 'device', 'user') as owner_type,
        coalesce(user_id, anonymous_id) as owner_id,
        max(started_at) over (partition by project_id, owner_type, owner_id)
            as last_session_started_at
    from sessions
),

window_sessions as (
    -- the window ends with the owner's last session and looks back as far as attribution does
    select * from owned_sessions
    where
        started_at >= last_session_started_at
        - toIntervalDay(30)
),

sessions_per_conversion_name as (
    select
        window_sessions.*,
        conversion_name
    from window_sessions
    array join ['signup', 'purchase'] as conversion_name
),

non_conversion_touches as (
    -- owners who never converted under that name: every session in their window is a touch
    select
        lower(hex(sipHash128(
            sessions.project_id, sessions.conversion_name, sessions.owner_type, sessions.owner_id
        ))) as path_id,
        sessions.project_id as project_id,
        cast(null as Nullable(String)) as conversion_id,
        if(sessions.owner_type = 'user', sessions.owner_id, null) as user_id,
        if(sessions.owner_type = 'device', sessions.owner_id, null) as anonymous_id,
        toNullable(sessions.session_id) as session_id,
        sessions.conversion_name as conversion_name,
        toNullable(sessions.channel) as channel,
        toNullable(sessions.entry_campaign) as campaign,
        false as is_conversion,
        toNullable(sessions.started_at) as touch_started_at,
        sessions.last_session_started_at as path_ended_at
    from sessions_per_conversion_name as sessions
    where (project_id, conversion_name, owner_type, owner_id) not in (
        select
            project_id,
            conversion_name,
            if(user_id is null, 'device', 'user') as owner_type,
            coalesce(user_id, anonymous_id) as owner_id
        from conversions
    )
),

all_touches as (
    select * from conversion_touches
    union all
    select * from non_conversion_touches
),

final as (
    select
        *,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from all_touches
)

select * from final
  
    