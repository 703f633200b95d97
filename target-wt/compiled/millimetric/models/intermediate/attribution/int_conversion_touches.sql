
-- sort key: credits are computed per conversion, over its touches in order

with

conversions as (
    select * from `analytics`.`int_conversions`
    where true
),

sessions as (
    select * from `analytics`.`int_sessions_classified`
    where true
),

converting_sessions as (
    select
        conversions.*,
        sessions.started_at as converting_session_started_at
    from conversions
    inner join sessions
        on
            conversions.project_id = sessions.project_id
            and conversions.session_id = sessions.session_id
),

touches_in_window as (
    -- the user's sessions on any stitched device up to the converting session, and the
    -- converting session itself even when it resolved to someone else
    select
        converting_sessions.project_id as project_id,
        converting_sessions.conversion_id as conversion_id,
        converting_sessions.user_id as user_id,
        converting_sessions.anonymous_id as anonymous_id,
        sessions.session_id as session_id,
        sessions.channel as channel,
        sessions.entry_source as source,
        sessions.entry_medium as medium,
        sessions.entry_campaign as campaign,
        sessions.entry_path as entry_path,
        sessions.started_at as touch_started_at,
        converting_sessions.converted_at as converted_at
    from converting_sessions
    inner join sessions
        on
            converting_sessions.project_id = sessions.project_id
            and (
                converting_sessions.user_id = sessions.user_id
                or converting_sessions.session_id = sessions.session_id
            )
    where
        (
            sessions.started_at < converting_sessions.converting_session_started_at
            or sessions.session_id = converting_sessions.session_id
        )
        and sessions.started_at >= converting_sessions.converted_at
        - toIntervalDay(30)
),

final as (
    select
        project_id,
        conversion_id,
        user_id,
        anonymous_id,
        session_id,
        channel,
        source,
        medium,
        campaign,
        entry_path,
        row_number() over conversion_touches as touch_number,
        count() over (partition by conversion_id) as touch_count,
        dateDiff('millisecond', touch_started_at, converted_at) / 86400000 as touch_age_days,
        touch_started_at,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from touches_in_window
    window conversion_touches as (
        partition by conversion_id
        order by touch_started_at, session_id
        rows between unbounded preceding and current row
    )
)

select * from final