{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, conversion_id',
        change_set='int_conversions_this_run',
        order_by='(project_id, conversion_name, converted_at)',
    )
}}
-- sort key: dashboards filter by project and conversion, then by time
-- incremental: replaces the conversions of int_conversions_this_run, reading every device of
-- their owners, since a user's first signup is the first across all their devices
{%- set owner_devices = ref('int_owner_devices_this_run') %}
{%- set changed_conversions = ref('int_conversions_this_run') %}

{%- set event_names = [] %}
{%- for definition in var('millimetric__conversions') %}
    {%- do event_names.append(sql_string_literal(definition['event_name'])) %}
{%- endfor %}

with

identified_events as (
    select * from {{ ref('int_events_identified') }}
    where
        event_name in ({{ event_names | join(', ') }})
        and {{ in_change_set(owner_devices, 'project_id, anonymous_id') }}
),

event_properties as (
    -- the event chain after deduplication stays narrow; properties are fetched back here
    select project_id, event_id, properties from {{ ref('int_events_deduplicated') }}
    where
        event_name in ({{ event_names | join(', ') }})
        and {{ in_change_set(owner_devices, 'project_id, anonymous_id') }}
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

named_conversions as (
    select
        lower(hex(sipHash128(project_id, conversion_name, event_id))) as conversion_id,
        project_id,
        user_id,
        anonymous_id,
        session_id,
        conversion_name,
        revenue,
        converted_at,
        assumeNotNull((select changes_through from {{ ref('int_limits_this_run') }})) as built_at
    from all_conversions
),

final as (
    select * from named_conversions
    where {{ in_change_set(changed_conversions, 'project_id, conversion_id') }}
)

select * from final
