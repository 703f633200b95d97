{{
    config(
        unique_key='project_id, conversion_id',
    )
}}
-- the conversions whose rows this run recomputes: every conversion event (a candidate under
-- each definition, whether it converts or not, so that one that stopped converting loses its
-- rows) on a device of a changed owner, at or after that device's changed_from. A conversion's
-- credits read its person's sessions in the lookback before it; its person's sessions changed
-- from changed_from on, so conversions before it keep their rows. (docs/incremental.md)

with

devices as (
    select * from {{ ref('int_owner_devices_this_run') }}
),

events as (
    select project_id, anonymous_id, event_id, event_name, occurred_at
    from {{ ref('int_events_deduplicated') }}
    where
        event_name in (
            {%- for definition in var('millimetric__conversions') %}
            {{ sql_string_literal(definition['event_name']) }}{{ "," if not loop.last }}
            {%- endfor %}
        )
        and (project_id, anonymous_id) in (select project_id, anonymous_id from devices)
),

changed_events as (
    select events.*
    from events
    inner join devices
        on events.project_id = devices.project_id and events.anonymous_id = devices.anonymous_id
    where events.occurred_at >= devices.changed_from
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
    {% if not loop.last %}union distinct{% endif %}
    {%- endfor %}
)

select distinct * from final
