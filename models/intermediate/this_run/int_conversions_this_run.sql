{{
    config(
        unique_key='project_id, conversion_id',
    )
}}
-- the conversions whose rows this run recomputes, under every definition their event could
-- convert under (one that stopped converting, a signup no longer the user's first, loses its
-- rows): each conversion event at or after the changed_from of its owner in
-- int_owners_this_run (its resolved user, else its device), and each one on a changed device at
-- or after the device's changed_from, whatever became of it (a bot device's events left the
-- identified events). A conversion's rows depend on its event and its owner's sessions in the
-- lookback before it, and nothing of the owner's before changed_from changed; an event whose
-- owner changed is on a changed device. (docs/incremental.md)
{%- set event_names = [] %}
{%- for definition in var('millimetric__conversions') %}
    {%- do event_names.append(sql_string_literal(definition['event_name'])) %}
{%- endfor %}

with

owners as (
    select * from {{ ref('int_owners_this_run') }}
),

devices as (
    select * from {{ ref('int_owner_devices_this_run') }}
),

events as (
    select
        project_id,
        anonymous_id,
        event_id,
        event_name,
        occurred_at
    from {{ ref('int_events_deduplicated') }}
    where
        event_name in ({{ event_names | join(', ') }})
        and (project_id, anonymous_id) in devices
),

event_owners as (
    select
        project_id,
        event_id,
        if(resolved_user_id is null, 'device', 'user') as owner_type,
        assumeNotNull(coalesce(resolved_user_id, anonymous_id)) as owner_id
    from {{ ref('int_events_identified') }}
    where
        event_name in ({{ event_names | join(', ') }})
        and (project_id, anonymous_id) in devices
),

changed_by_owner as (
    select
        events.project_id as project_id,
        events.event_id as event_id,
        events.event_name as event_name
    from events
    inner join event_owners
        on events.project_id = event_owners.project_id and events.event_id = event_owners.event_id
    inner join owners
        on
            event_owners.project_id = owners.project_id
            and event_owners.owner_type = owners.owner_type
            and event_owners.owner_id = owners.owner_id
    where events.occurred_at >= owners.changed_from
),

changed_by_device as (
    select
        events.project_id as project_id,
        events.event_id as event_id,
        events.event_name as event_name
    from events
    inner join owners
        on
            events.project_id = owners.project_id
            and owners.owner_type = 'device'
            and events.anonymous_id = owners.owner_id
    where events.occurred_at >= owners.changed_from
),

changed_events as (
    select * from changed_by_owner
    union all
    select * from changed_by_device
),

final as (
    -- conversion_id as int_conversions names a conversion: (project_id, name, event_id)
    {%- for definition in var('millimetric__conversions') %}
    select
        toString(project_id) as project_id,
        lower(hex(sipHash128(
            project_id, {{ sql_string_literal(definition['name']) }}, event_id
        ))) as conversion_id
    from changed_events
    where event_name = {{ sql_string_literal(definition['event_name']) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select distinct * from final
