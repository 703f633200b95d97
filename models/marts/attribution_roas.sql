{{
    config(
        materialized='daily_rollup',
        day_column='activity_date',
        days_of={
            'int_ad_spend_classified': 'spend_date',
            'attribution_credits': 'coalesce(touch_started_at, converted_at)',
        },
        engine='MergeTree',
        order_by='(project_id, activity_date, model, channel, source, medium, campaign)',
    )
}}
-- sort key: dashboards read one project's date range under one model, by channel and campaign
-- an incremental run replaces the days whose spend or credits changed
-- (macros/materializations/daily_rollup.sql)

with

spend as (
    select * from {{ ref('int_ad_spend_classified') }}
    where {{ day_is_rebuilt('spend_date') }}
),

credits as (
    select * from {{ ref('attribution_credits') }}
    where conversion_name in (
        {%- for name in var('millimetric__roas_conversion_names') %}
            {{ sql_string_literal(name) }}{{ "," if not loop.last }}
        {%- endfor %}
    )
    and {{ day_is_rebuilt('coalesce(touch_started_at, converted_at)') }}
),

spend_under_every_model as (
    -- a model shares out the credit, not the cost: each shows the whole spend
    select
        project_id,
        model,
        channel,
        source,
        medium,
        campaign,
        reporting_spend as spend,
        toDecimal128(0, 18) as conversions,
        toNullable(toDecimal128(0, 6)) as revenue,
        spend_date as activity_date
    from spend
    array join {{ attribution_models() }} as model
),

credited_revenue as (
    -- credit lands on the day its session started, as Google Ads reports by click date; a
    -- conversion without touches (Unassigned) on the day it converted. Revenue in the
    -- reporting currency (attribution_credits shares out each conversion's converted revenue).
    select
        credits.project_id as project_id,
        credits.model as model,
        credits.channel as channel,
        credits.source as source,
        credits.medium as medium,
        credits.campaign as campaign,
        toNullable(toDecimal128(0, 6)) as spend,
        credits.credit as conversions,
        {{ credited_reporting_revenue() }} as revenue,
        toDate(coalesce(credits.touch_started_at, credits.converted_at)) as activity_date
    from credits
),

daily_rows as (
    select * from spend_under_every_model
    union all
    select * from credited_revenue
),

totals as (
    -- an amount without an exchange rate leaves its row's total unknown (NULL), not smaller
    select
        project_id,
        model,
        channel,
        source,
        medium,
        campaign,
        {{ known_sum('spend') }} as total_spend,
        sum(conversions) as total_conversions,
        {{ known_sum('revenue') }} as total_revenue,
        activity_date
    from daily_rows
    group by project_id, activity_date, model, channel, source, medium, campaign
),

final as (
    select
        project_id,
        model,
        channel,
        source,
        medium,
        campaign,
        {{ sql_string_literal(var('millimetric__reporting_currency')) }} as reporting_currency,
        total_spend as spend,
        total_conversions as conversions,
        total_revenue as revenue,
        -- spend without credit: ROAS 0; credit without spend: NULL (no ratio to a zero cost)
        if(
            total_spend = 0 or total_revenue is null,
            null,
            toFloat64(total_revenue) / toFloat64(total_spend)
        ) as roas,
        if(
            total_conversions = 0,
            null,
            toFloat64(total_spend) / toFloat64(total_conversions)
        ) as cost_per_conversion,
        activity_date
    from totals
)

select * from final
