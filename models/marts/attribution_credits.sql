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
            as last_non_direct_number
    from touches
    array join [
        'first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'
    ] as model
),

weights as (
    select
        *,
        multiIf(
            model = 'first_touch', toFloat64(touch_number = 1),
            model = 'last_touch', toFloat64(touch_number = touch_count),
            model = 'last_non_direct',
            toFloat64(
                touch_number = if(last_non_direct_number = 0, touch_count, last_non_direct_number)
            ),
            model = 'linear', 1 / touch_count,
            model = 'position_based',
            multiIf(
                touch_count = 1, 1,
                touch_count = 2, 0.5,
                touch_number in (1, touch_count), 0.4,
                0.2 / (touch_count - 2)
            ),
            -- time_decay: a touch loses half its weight every half-life before the conversion
            pow(2, -touch_age_days / {{ var('millimetric__attribution_half_life_days') }})
        ) as weight
    from touches_per_model
),

rounded as (
    select
        *,
        toDecimal128(weight / sum(weight) over (partition by conversion_id, model), 18)
            as rounded_credit
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
        toNullable(touch_started_at) as touch_started_at
    from credited
    union all
    select * from unassigned
),

final as (
    select
        all_credits.conversion_id as conversion_id,
        conversions.project_id as project_id,
        conversions.user_id as user_id,
        all_credits.session_id as session_id,
        conversions.conversion_name as conversion_name,
        all_credits.model as model,
        all_credits.channel as channel,
        all_credits.source as source,
        all_credits.medium as medium,
        all_credits.campaign as campaign,
        all_credits.credit as credit,
        toDecimal128(conversions.revenue * all_credits.credit, 6) as revenue_credit,
        all_credits.touch_started_at as touch_started_at,
        conversions.converted_at as converted_at
    from all_credits
    inner join conversions on all_credits.conversion_id = conversions.conversion_id
)

select * from final
