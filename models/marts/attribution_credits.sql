{{
    config(
        engine='MergeTree',
        order_by='(project_id, conversion_name, converted_at, model)',
    )
}}
-- sort key: dashboards filter by project and conversion, then by time
{%- set attribution_models = [
    'first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'
] %}

with

conversions as (
    select * from {{ ref('conversions') }}
),

touches as (
    select * from {{ ref('int_conversion_touches') }}
),

touch_positions as (
    select
        touches.*,
        touch_number = touch_count as is_last_touch,
        -- the latest touch that is not Direct; the last touch when all are Direct
        max(if(channel != 'Direct', touch_number, 0)) over conversion_touches
            as last_non_direct_number,
        -- time_decay: a touch loses half its weight every half-life before the conversion;
        -- ages count from the youngest touch, so no weight underflows the 18 decimals
        toDecimal128(
            pow(
                2,
                -(touch_age_days - min(touch_age_days) over conversion_touches)
                / {{ var('millimetric__attribution_half_life_days') }}
            ),
            18
        ) as decay_weight
    from touches
    window conversion_touches as (partition by conversion_id)
),

rounded_credits as (
    -- Decimal(38, 18) throughout: a Float64 share would carry binary noise into the decimals
    select
        *,
        toDecimal128(1, 18) / touch_count as linear_share,
        toDecimal128('0.2', 18) / greatest(touch_count - 2, 1) as position_middle_share,
        decay_weight / sum(decay_weight) over (partition by conversion_id) as decay_share
    from touch_positions
),

credits as (
    -- the last touch takes each model's rounding remainder: every conversion's credits under
    -- every model sum to exactly 1
    select
        *,
        toDecimal128(touch_number = 1, 18) as first_touch,
        toDecimal128(is_last_touch, 18) as last_touch,
        toDecimal128(
            touch_number = if(last_non_direct_number = 0, touch_count, last_non_direct_number), 18
        ) as last_non_direct,
        if(is_last_touch, 1 - (touch_count - 1) * linear_share, linear_share) as linear,
        multiIf(
            touch_count = 1, toDecimal128(1, 18),
            touch_count = 2, toDecimal128('0.5', 18),
            touch_number = 1, toDecimal128('0.4', 18),
            is_last_touch, toDecimal128('0.6', 18) - (touch_count - 2) * position_middle_share,
            position_middle_share
        ) as position_based,
        if(
            is_last_touch,
            1 - sum(if(is_last_touch, toDecimal128(0, 18), decay_share))
                over (partition by conversion_id),
            decay_share
        ) as time_decay
    from rounded_credits
),

touch_revenue as (
    -- revenue is shared out per touch, before the unpivot: the remainder windows then sort one
    -- row per touch instead of one per (touch, model)
    select
        credits.*,
        conversions.user_id as user_id,
        conversions.conversion_name as conversion_name,
        conversions.converted_at as converted_at,
        conversions.revenue as revenue
    from credits
    inner join conversions on credits.conversion_id = conversions.conversion_id
),

rounded_revenue as (
    select
        *,
    {%- for model in attribution_models %}
        toDecimal128(round(revenue * {{ model }}, 6), 6) as {{ model }}_rounded_revenue
        {{- "," if not loop.last }}
    {%- endfor %}
    from touch_revenue
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
    from rounded_revenue
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
    where conversion_id not in (select conversion_id from touches)
),

final as (
    select * from credited_touches
    union all
    select * from unassigned
)

select * from final
