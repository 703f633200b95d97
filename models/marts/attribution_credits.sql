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

touches_per_model as (
    select
        touches.*,
        model,
        -- the latest touch that is not Direct; the last touch when all are Direct
        max(if(channel != 'Direct', touch_number, 0)) over (partition by conversion_id)
            as last_non_direct_number,
        min(touch_age_days) over (partition by conversion_id) as youngest_touch_age_days
    from touches
    array join [
        'first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'
    ] as model
),

weights as (
    -- Decimal, not Float64: a Float64 share carries binary noise into the 18 decimals
    -- (1/3 became 0.333333333333333312), so shares are divided in Decimal(38, 18)
    select
        *,
        multiIf(
            model = 'first_touch', toDecimal128(touch_number = 1, 18),
            model = 'last_touch', toDecimal128(touch_number = touch_count, 18),
            model = 'last_non_direct',
            toDecimal128(
                touch_number = if(last_non_direct_number = 0, touch_count, last_non_direct_number),
                18
            ),
            model = 'linear', toDecimal128(1, 18),
            model = 'position_based',
            multiIf(
                touch_count = 1, toDecimal128(1, 18),
                touch_count = 2, toDecimal128('0.5', 18),
                touch_number in (1, touch_count), toDecimal128('0.4', 18),
                toDecimal128('0.2', 18) / (touch_count - 2)
            ),
            -- time_decay: a touch loses half its weight every half-life before the conversion
            -- (ages count from the youngest touch, so the largest weight is 1 and none
            -- underflows the 18 decimals however long the lookback)
            toDecimal128(
                pow(
                    2,
                    -(touch_age_days - youngest_touch_age_days)
                    / {{ var('millimetric__attribution_half_life_days') }}
                ),
                18
            )
        ) as weight
    from touches_per_model
),

rounded as (
    select
        *,
        weight / sum(weight) over (partition by conversion_id, model) as rounded_credit
    from weights
),

credited as (
    -- the last touch takes the rounding remainder, so each conversion's credits sum to exactly 1
    select
        *,
        if(
            touch_number = touch_count,
            toDecimal128(1, 18)
            - sum(if(touch_number = touch_count, toDecimal128(0, 18), rounded_credit))
                over (partition by conversion_id, model),
            rounded_credit
        ) as credit
    from rounded
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
    select
        conversion_id,
        model,
        toNullable(session_id) as session_id,
        channel,
        source,
        medium,
        campaign,
        credit,
        touch_number = touch_count as is_last_touch,
        toNullable(touch_started_at) as touch_started_at
    from credited
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
