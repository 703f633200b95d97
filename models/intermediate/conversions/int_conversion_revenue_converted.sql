{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, conversion_id',
        change_set='int_conversions_this_run',
        engine='MergeTree',
        order_by='(project_id, conversion_id)',
    )
}}
-- sort key: read whole by the marts, joined on conversion_id
{%- set owner_devices = ref('int_owner_devices_this_run') %}
{%- set changed_conversions = ref('int_conversions_this_run') %}

{%- set revenue_definitions = [] %}
{%- for definition in var('millimetric__conversions') %}
    {%- if definition.get('revenue_property') %}
        {%- do revenue_definitions.append(definition) %}
    {%- endif %}
{%- endfor %}
{%- set currency_property = var('millimetric__revenue_currency_property') %}

with

conversions as (
    select * from {{ ref('int_conversions') }}
    where revenue is not null and {{ in_change_set(changed_conversions, 'project_id, conversion_id') }}
),

rates as (
    select * from {{ ref('currency_rates') }}
),

events as (
    select * from {{ ref('int_events_deduplicated') }}
    where event_name in (
        {%- for definition in revenue_definitions %}
            {{ sql_string_literal(definition['event_name']) }}{{ "," if not loop.last }}
        {%- endfor %}
        {%- if not revenue_definitions %}''{% endif %}
    )
    and {{ in_change_set(owner_devices, 'project_id, anonymous_id') }}
),

event_currencies as (
    -- conversion_id as conversions.sql names a conversion: (project_id, name, event_id)
    {%- for definition in revenue_definitions %}
    select
        project_id,
        lower(hex(sipHash128(
            project_id, {{ sql_string_literal(definition['name']) }}, event_id
        ))) as conversion_id,
        upper(trim(JSONExtractString(properties, {{ sql_string_literal(currency_property) }})))
            as currency
    from events
    where event_name = {{ sql_string_literal(definition['event_name']) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {%- if not revenue_definitions %}
    select '' as project_id, '' as conversion_id, '' as currency from events
    {%- endif %}
),

currencies as (
    select
        conversions.conversion_id as conversion_id,
        conversions.project_id as project_id,
        conversions.user_id as user_id,
        conversions.anonymous_id as anonymous_id,
        conversions.revenue as revenue,
        -- no currency in the event: the default; no event found (which the not_null test on
        -- revenue_currency reports): NULL, never a guess
        if(
            event_currencies.conversion_id is null,
            null,
            if(
                event_currencies.currency = '',
                {{ sql_string_literal(var('millimetric__default_revenue_currency')) }},
                event_currencies.currency
            )
        ) as revenue_currency,
        toDate(conversions.converted_at) as conversion_date
    from conversions
    left join event_currencies
        on
            conversions.project_id = event_currencies.project_id
            and conversions.conversion_id = event_currencies.conversion_id
),

final as (
    select
        currencies.conversion_id as conversion_id,
        currencies.project_id as project_id,
        currencies.user_id as user_id,
        currencies.anonymous_id as anonymous_id,
        currencies.revenue_currency as revenue_currency,
        currencies.revenue as revenue,
        {{ reporting_exchange_rate('currencies.revenue_currency', 'rates.rate') }}
            as exchange_rate,
        toDecimal128(round(toDecimal128(currencies.revenue, 6) * exchange_rate, 6), 6)
            as reporting_revenue,
        currencies.conversion_date as conversion_date,
        assumeNotNull((select changes_through from {{ ref('int_limits_this_run') }})) as built_at
    from currencies
    asof left join rates
        on
            currencies.revenue_currency = rates.currency
            and currencies.conversion_date >= rates.valid_from
)

select * from final
