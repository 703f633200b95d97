
-- sort key: lookups go device -> users, in validity order
-- a device's links are a function of its own link events: an incremental run recomputes the
-- devices of int_devices_this_run, a few link events each

with

events as (
    select
        project_id,
        anonymous_id,
        user_id,
        event_id,
        occurred_at
    from `analytics`.`int_events_deduplicated`
    where true
),

links as (
    -- every event that carries both ids links them; $identify is the usual one
    select
        project_id,
        anonymous_id,
        assumeNotNull(user_id) as user_id,
        event_id,
        occurred_at
    from events
    where user_id is not null
),

takeovers as (
    -- a link whose user differs from the device's previous link starts that user's turn
    select
        *,
        lagInFrame(user_id) over device_links as previous_user_id,
        row_number() over device_links = 1 as is_first_link
    from links
    window device_links as (
        partition by project_id, anonymous_id
        order by occurred_at, event_id
        rows between unbounded preceding and current row
    )
),

turns as (
    select
        project_id,
        anonymous_id,
        user_id,
        occurred_at as turn_started_at,
        leadInFrame(toNullable(occurred_at)) over (
            partition by project_id, anonymous_id
            order by occurred_at, event_id
            rows between unbounded preceding and unbounded following
        ) as turn_ended_at
    from takeovers
    where is_first_link or user_id != previous_user_id
),

validity as (
    select
        project_id,
        anonymous_id,
        user_id,
        min(turn_started_at) as valid_from,
        -- tuple(): argMax skips NULLs, and NULL means "still the current user"
        argMax(tuple(turn_ended_at), turn_started_at) .1 as valid_to
    from turns
    group by project_id, anonymous_id, user_id
),

link_counts as (
    select
        project_id,
        anonymous_id,
        user_id,
        count() as link_count,
        min(occurred_at) as first_linked_at,
        max(occurred_at) as last_linked_at
    from links
    group by project_id, anonymous_id, user_id
),

final as (
    select
        link_counts.project_id as project_id,
        link_counts.anonymous_id as anonymous_id,
        link_counts.user_id as user_id,
        link_counts.link_count as link_count,
        link_counts.first_linked_at as first_linked_at,
        link_counts.last_linked_at as last_linked_at,
        validity.valid_from as valid_from,
        validity.valid_to as valid_to,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`))
            as built_at
    from link_counts
    inner join validity
        on
            link_counts.project_id = validity.project_id
            and link_counts.anonymous_id = validity.anonymous_id
            and link_counts.user_id = validity.user_id
)

select * from final