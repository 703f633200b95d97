{{
    config(
        engine='MergeTree',
        order_by='(project_id, conversion_name, converted_at)',
    )
}}
-- sort key: dashboards filter by project and conversion, then by time

{%- set event_names = [] %}
{%- for definition in var('millimetric__conversions') %}
    {%- do event_names.append(sql_string_literal(definition['event_name'])) %}
{%- endfor %}

with

identified_events as (
    select * from {{ ref('int_events_identified') }}
    where event_name in ({{ event_names | join(', ') }}) and {{ devices_of_owners_to_rebuild() }}
),

event_properties as (
    -- the event chain after deduplication stays narrow; properties are fetched back here
    select project_id, event_id, properties from {{ ref('int_events_deduplicated') }}
    where event_name in ({{ event_names | join(', ') }}) and {{ devices_of_owners_to_rebuild() }}
),

events as (
    select
        identified_events.*,
        event_properties.properties as properties
    from identified_events
    inner join event_properties
        on
            identified_events.project_id = event_properties.project_id
            and identified_events.event_id = event_properties.event_id
),

{% for definition in var('millimetric__conversions') %}
{{ definition['name'] }}_events as (
    select
        project_id,
        resolved_user_id as user_id,
        anonymous_id,
        session_id,
        event_id,
        {{ sql_string_literal(definition['name']) }} as conversion_name,
        {% if definition.get('revenue_property') %}
            {{ json_decimal('properties', definition['revenue_property']) }} as revenue,
        {% else %}
            cast(null as Nullable(Decimal(18, 6))) as revenue,
        {% endif %}
        occurred_at as converted_at
    from events
    where event_name = {{ sql_string_literal(definition['event_name']) }}
    {% if definition.get('first_per_user') %}
        -- only the user's first such event across all devices; later ones are logins
        and resolved_user_id is not null
    order by occurred_at, event_id
    limit 1 by project_id, resolved_user_id
    {% endif %}
),

{% endfor %}
all_conversions as (
    {% for definition in var('millimetric__conversions') %}
        select * from {{ definition['name'] }}_events
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        lower(hex(sipHash128(project_id, conversion_name, event_id))) as conversion_id,
        project_id,
        user_id,
        anonymous_id,
        session_id,
        conversion_name,
        revenue,
        converted_at,
        {{ owners_rebuilt_through() }} as deduplicated_at
    from all_conversions
    -- a user's conversions on any device come back with them; other owners' are kept as stored
    where {{ owner_is_rebuilt() }}
)

select * from final
