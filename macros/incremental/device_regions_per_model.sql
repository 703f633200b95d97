{#- The regions of the device-region models whose change reaches further back than their
    input's changed rows, named by each one's `regions` config: int_events_sessionized (a new
    event joins a stored session), int_events_identified (a first link re-identifies the whole
    device) and marts.sessions (a conversion moved). The other models take
    changed_device_regions() (device_regions.sql). -#}

{#- marts.sessions' regions: its input's changes, and its own: stored sessions whose
    has_conversion no longer matches int_conversions (a user's first signup moved to another
    device, a re-stitch gave a purchase to someone else); is_engaged counts it. Two columns of
    the stored sessions, no events. -#}
{% macro sessions_device_regions() -%}
    {{- require_stored_columns(['has_conversion']) -}}
    {%- set conversions_moved -%}
        select
            project_id,
            anonymous_id,
            started_at as changed_from
        from {{ this }}
        where
            has_conversion != ((project_id, session_id) in (
                select project_id, session_id from {{ ref('int_conversions') }}
            ))
    {%- endset -%}
    {{ changed_device_regions(also_changed=conversions_moved) }}
{%- endmacro %}

{#- int_events_sessionized's regions. A new event can only join the stored session of the
    device's last stored event before it (if within the timeout of that event and the length cap
    of that session's start), or start a session; either way it can change that session and the
    ones after it, never the ones before, whose boundaries depend on earlier events only. So the
    region starts at the joined session's start, or at the new event, which stays a session
    start; the stored rows before it give the region's numbering offsets. A device with no
    stored event before its earliest new one (a new device, or one forget or the bot rule
    removed) is recomputed whole. -#}
{% macro sessionized_device_regions() -%}
    with

    changed_devices as (
        select
            project_id,
            anonymous_id,
            min(occurred_at) as earliest_change_at
        from {{ ref('int_events_deduplicated') }}
        where built_at > (select max(built_at) from {{ this }})
        group by project_id, anonymous_id
    ),

    stored_sessions_before_change as (
        -- one read of the changed devices' stored rows before their change, narrow columns
        select
            stored.project_id as project_id,
            stored.anonymous_id as anonymous_id,
            stored.session_number as session_number,
            any(stored.session_started_at) as session_started_at,
            any(devices.earliest_change_at) as earliest_change_at,
            max(stored.occurred_at) as last_event_at,
            min(stored.device_event_number) as first_event_number,
            max(stored.device_event_number) as last_event_number
        from {{ this }} as stored
        {{ join_on_device(
            'stored', 'changed_devices', 'stored.occurred_at < devices.earliest_change_at'
        ) }}
        group by project_id, anonymous_id, session_number
    ),

    previous_sessions as (
        -- the session of the last stored event before the change
        select
            project_id,
            anonymous_id,
            argMax(
                (session_started_at, earliest_change_at, last_event_at, first_event_number,
                last_event_number),
                session_number
            ) as previous_session,
            max(session_number) as previous_session_number,
            previous_session.1 as session_started_at,
            previous_session.2 as earliest_change_at,
            previous_session.3 as last_event_at,
            previous_session.4 as first_event_number,
            previous_session.5 as last_event_number
        from stored_sessions_before_change
        group by project_id, anonymous_id
    ),

    resume_points as (
        select
            project_id,
            anonymous_id,
            dateDiff('millisecond', last_event_at, earliest_change_at)
            <= {{ session_timeout_milliseconds() }}
            and dateDiff('millisecond', session_started_at, earliest_change_at)
            <= {{ max_session_milliseconds() }} as is_joinable,
            if(is_joinable, session_started_at, earliest_change_at) as rebuild_from,
            toUInt64(if(is_joinable, previous_session_number - 1, previous_session_number))
                as session_number_offset,
            toUInt64(if(is_joinable, first_event_number - 1, last_event_number))
                as device_event_number_offset
        from previous_sessions
    )

    select
        changed_devices.project_id as project_id,
        changed_devices.anonymous_id as anonymous_id,
        coalesce(resume_points.rebuild_from, {{ before_any_event() }}) as rebuild_from,
        coalesce(resume_points.session_number_offset, toUInt64(0)) as session_number_offset,
        coalesce(resume_points.device_event_number_offset, toUInt64(0))
            as device_event_number_offset
    from changed_devices
    left join resume_points
        on
            changed_devices.project_id = resume_points.project_id
            and changed_devices.anonymous_id = resume_points.anonymous_id
{%- endmacro %}

{#- int_events_identified's regions: those int_events_sessionized rewrote. An event's user
    depends on the links before it, which the region's first event carries in as the device's
    latest link so far; and, before the device's first link, on that first link. So a device
    with no link before its region and a link inside it (its first link arrived, or an earlier
    one) has its whole history re-identified, without being re-sessionized. -#}
{% macro identified_device_regions() -%}
    {{- require_stored_columns(['latest_linked_user_id']) -}}
    with

    changed_devices as (
        select
            project_id,
            anonymous_id,
            min(occurred_at) as changed_from,
            countIf(user_id is not null) > 0 as has_changed_link
        from {{ ref('int_events_sessionized') }}
        where built_at > (select max(built_at) from {{ this }})
        group by project_id, anonymous_id
    ),

    links_before_change as (
        select
            stored.project_id as project_id,
            stored.anonymous_id as anonymous_id,
            -- tuple(): argMax skips NULL values, and "no link yet" must stay NULL
            argMax(tuple(stored.latest_linked_user_id), stored.device_event_number) .1
                as latest_linked_user_id
        from {{ this }} as stored
        {{ join_on_device('stored', 'changed_devices', 'stored.occurred_at < devices.changed_from') }}
        group by project_id, anonymous_id
    ),

    regions as (
        select
            changed_devices.project_id as project_id,
            changed_devices.anonymous_id as anonymous_id,
            links_before_change.latest_linked_user_id is null
            and changed_devices.has_changed_link as is_first_link_changed,
            if(is_first_link_changed, {{ before_any_event() }}, changed_devices.changed_from) as rebuild_from,
            if(is_first_link_changed, null, links_before_change.latest_linked_user_id)
                as linked_user_id_before_region
        from changed_devices
        left join links_before_change
            on
                changed_devices.project_id = links_before_change.project_id
                and changed_devices.anonymous_id = links_before_change.anonymous_id
    )

    select
        project_id,
        anonymous_id,
        rebuild_from,
        linked_user_id_before_region
    from regions
{%- endmacro %}
