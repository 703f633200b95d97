{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='project_id, conversion_id',
        change_set='int_conversions_this_run',
        engine='MergeTree',
        order_by='(project_id, conversion_id, touch_number)',
    )
}}
-- sort key: attribution_credits unpivots one conversion's touches at a time
{%- set changed_conversions = ref('int_conversions_this_run') %}
{%- set attribution_models = attribution_models() %}
{%- set amounts = {
    'revenue': 'conversions.revenue',
    'reporting_revenue': 'reporting_revenues.reporting_revenue',
} %}

with

conversions as (
    select * from {{ ref('int_conversions') }}
    where {{ in_change_set(changed_conversions, 'project_id, conversion_id') }}
),

touch_credits as (
    select * from {{ ref('int_conversion_touch_credits') }}
    where {{ in_change_set(changed_conversions, 'project_id, conversion_id') }}
),

reporting_revenues as (
    -- conversions with a revenue, converted at the rate of their day (NULL without one)
    select * from {{ ref('int_conversion_revenue_converted') }}
    where {{ in_change_set(changed_conversions, 'project_id, conversion_id') }}
),

touch_revenue as (
    -- revenue is shared out per touch, before the unpivot: the remainders are then summed over
    -- one row per touch instead of one per (touch, model). The conversion's own currency and
    -- the reporting currency are shared out alike
    select
        {%- for amount, column in amounts.items() %}
            {%- for model in attribution_models %}
                toDecimal128(round({{ column }} * touch_credits.{{ model }}, 6), 6)
                    as {{ model }}_rounded_{{ amount }},
            {%- endfor %}
        {%- endfor %}
        touch_credits.project_id as project_id,
        touch_credits.conversion_id as conversion_id,
        touch_credits.session_id as session_id,
        touch_credits.channel as channel,
        touch_credits.source as source,
        touch_credits.medium as medium,
        touch_credits.campaign as campaign,
        touch_credits.entry_path as entry_path,
        touch_credits.touch_number as touch_number,
        touch_credits.is_last_touch as is_last_touch,
        touch_credits.touch_started_at as touch_started_at,
        {%- for model in attribution_models %}
            touch_credits.{{ model }} as {{ model }},
        {%- endfor %}
        conversions.user_id as user_id,
        conversions.anonymous_id as anonymous_id,
        conversions.conversion_name as conversion_name,
        conversions.converted_at as converted_at,
        conversions.revenue as revenue,
        reporting_revenues.reporting_revenue as reporting_revenue
    from touch_credits
    inner join conversions
        on
            touch_credits.project_id = conversions.project_id
            and touch_credits.conversion_id = conversions.conversion_id
    left join reporting_revenues
        on
            touch_credits.project_id = reporting_revenues.project_id
            and touch_credits.conversion_id = reporting_revenues.conversion_id
),

earlier_touches_credited as (
    -- per conversion and model, what the touches before the last are credited. A per-conversion
    -- aggregate joined back, not a window over the touches: the window sorted every touch with
    -- all its columns (1.6 GB more at 10M events)
    select
        {%- for amount in amounts %}
            {%- for model in attribution_models %}
                sum({{ model }}_rounded_{{ amount }}) as {{ model }}_earlier_{{ amount }},
            {%- endfor %}
        {%- endfor %}
        project_id,
        conversion_id
    from touch_revenue
    where not is_last_touch
    group by project_id, conversion_id
),

final as (
    -- the last touch takes the rounding remainder: credited revenue adds up, per conversion
    -- and model, to the revenue in either currency. A conversion with one touch has no earlier
    -- touches, and so no row to join: coalesce leaves it the whole amount
    select
        {%- for amount in amounts %}
            {%- for model in attribution_models %}
                if(
                    is_last_touch,
                    {{ amount }}
                    - coalesce({{ model }}_earlier_{{ amount }}, toDecimal128(0, 6)),
                    {{ model }}_rounded_{{ amount }}
                ) as {{ model }}_{{ amount }}_credit,
            {%- endfor %}
        {%- endfor %}
        {%- for model in attribution_models %}
            {{ model }},
        {%- endfor %}
        project_id,
        conversion_id,
        user_id,
        anonymous_id,
        session_id,
        conversion_name,
        channel,
        source,
        medium,
        campaign,
        entry_path,
        touch_number,
        touch_started_at,
        converted_at,
        assumeNotNull((select changes_through from {{ ref('int_limits_this_run') }})) as built_at
    from touch_revenue
    left join earlier_touches_credited using (project_id, conversion_id)
)

select * from final
