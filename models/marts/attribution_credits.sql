{{
    config(
        engine='MergeTree',
        order_by='(project_id, conversion_name, converted_at, model)',
    )
}}
-- sort key: dashboards filter by project and conversion, then by time
{%- set attribution_models = attribution_models() %}

with

conversions as (
    select * from {{ ref('int_conversions') }}
),

touch_credits as (
    select * from {{ ref('int_conversion_touch_credits') }}
),

touch_revenue as (
    -- revenue is shared out per touch, before the unpivot: the remainder windows then sort one
    -- row per touch instead of one per (touch, model)
    select
        touch_credits.*,
        conversions.user_id as user_id,
        conversions.conversion_name as conversion_name,
        conversions.converted_at as converted_at,
        conversions.revenue as revenue,
    {%- for model in attribution_models %}
        toDecimal128(round(conversions.revenue * touch_credits.{{ model }}, 6), 6)
            as {{ model }}_rounded_revenue
        {{- "," if not loop.last }}
    {%- endfor %}
    from touch_credits
    inner join conversions on touch_credits.conversion_id = conversions.conversion_id
),

revenue_credits as (
    -- the last touch takes the rounding remainder here too: credited revenue adds up
    select
        *,
    {%- for model in attribution_models %}
        if(
            is_last_touch,
            revenue
            - sum(if(is_last_touch, toDecimal128(0, 6), {{ model }}_rounded_revenue))
                over (partition by conversion_id),
            {{ model }}_rounded_revenue
        ) as {{ model }}_revenue_credit
        {{- "," if not loop.last }}
    {%- endfor %}
    from touch_revenue
),

credited_touches as (
    select
        conversion_id,
        project_id,
        user_id,
        toNullable(session_id) as session_id,
        conversion_name,
        model_credit.1 as model,
        channel,
        source,
        medium,
        campaign,
        toDecimal128(model_credit.2, 18) as credit,
        model_credit.3 as revenue_credit,
        toNullable(touch_started_at) as touch_started_at,
        converted_at
    from revenue_credits
    array join [
        {%- for model in attribution_models %}
            ('{{ model }}', {{ model }}, {{ model }}_revenue_credit)
            {{- "," if not loop.last }}
        {%- endfor %}
    ] as model_credit
),

unassigned as (
    -- a conversion without any touch in the window is credited in full to Unassigned
    select
        conversion_id,
        project_id,
        user_id,
        cast(null as Nullable(String)) as session_id,
        conversion_name,
        model,
        'Unassigned' as channel,
        '' as source,
        '' as medium,
        '' as campaign,
        toDecimal128(1, 18) as credit,
        revenue as revenue_credit,
        cast(null as Nullable(Datetime64(3, 'UTC'))) as touch_started_at,
        converted_at
    from conversions
    array join {{ attribution_models }} as model
    where conversion_id not in (select conversion_id from touch_credits)
),

final as (
    select * from credited_touches
    union all
    select * from unassigned
)

select * from final
