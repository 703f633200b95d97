{{
    config(
        materialized='daily_rollup',
        day_column='conversion_date',
        days_of={'attribution_credits': 'converted_at'},
        engine='MergeTree',
        order_by='(project_id, conversion_date, conversion_name, model)',
    )
}}
-- sort key: dashboards chart one project's conversions by day
-- an incremental run replaces the days whose credits changed
-- (macros/materializations/daily_rollup.sql)

with

credits as (
    select * from {{ ref('attribution_credits') }}
    where {{ day_is_rebuilt('converted_at') }}
),

final as (
    select
        project_id,
        conversion_name,
        model,
        channel,
        source,
        medium,
        campaign,
        sum(credit) as conversions,
        -- in the reporting currency: amounts in different currencies are never added
        {{ known_sum(credited_reporting_revenue()) }} as revenue,
        toDate(converted_at) as conversion_date
    from credits
    group by project_id, conversion_date, conversion_name, model, channel, source, medium, campaign
)

select * from final
