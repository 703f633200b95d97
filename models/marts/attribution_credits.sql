{{
    config(
        engine='MergeTree',
        order_by='(project_id, conversion_name, converted_at, model)',
    )
}}
-- sort key: dashboards filter by project and conversion, then by time

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

credited_touches as (
    select
        conversion_id,
        model_credit.1 as model,
        toNullable(session_id) as session_id,
        channel,
        source,
        medium,
        campaign,
        toDecimal128(model_credit.2, 18) as credit,
        is_last_touch,
        toNullable(touch_started_at) as touch_started_at
    from credits
    array join [
        ('first_touch', first_touch),
        ('last_touch', last_touch),
        ('last_non_direct', last_non_direct),
        ('linear', linear),
        ('position_based', position_based),
        ('time_decay', time_decay)
    ] as model_credit
),

unassigned as (
    -- a conversion without any touch in the window is credited in full to Unassigned
    select
        conversion_id,
        model,
        cast(null as Nullable(String)) as session_id,
        'Unassigned' as channel,
        '' as source,
        '' as medium,
        '' as campaign,
        toDecimal128(1, 18) as credit,
        true as is_last_touch,
        cast(null as Nullable(Datetime64(3, 'UTC'))) as touch_started_at
    from conversions
    array join
        [
            'first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'
        ] as model
    where conversion_id not in (select conversion_id from touches)
),

all_credits as (
    select * from credited_touches
    union all
    select * from unassigned
),

revenue_shares as (
    select
        all_credits.*,
        conversions.project_id as project_id,
        conversions.user_id as user_id,
        conversions.conversion_name as conversion_name,
        conversions.revenue as revenue,
        toDecimal128(round(conversions.revenue * all_credits.credit, 6), 6)
            as rounded_revenue_credit,
        conversions.converted_at as converted_at
    from all_credits
    inner join conversions on all_credits.conversion_id = conversions.conversion_id
),

final as (
    select
        conversion_id,
        project_id,
        user_id,
        session_id,
        conversion_name,
        model,
        channel,
        source,
        medium,
        campaign,
        credit,
        -- the last touch takes the rounding remainder here too: credited revenue adds up
        if(
            is_last_touch,
            revenue
            - sum(if(is_last_touch, toDecimal128(0, 6), rounded_revenue_credit))
                over (partition by conversion_id, model),
            rounded_revenue_credit
        ) as revenue_credit,
        touch_started_at,
        converted_at
    from revenue_shares
)

select * from final
