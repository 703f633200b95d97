
-- sort key: dashboards chart one project's conversions by day
-- an incremental run replaces the days whose credits changed (days_whose_inputs_changed.sql)

with

credits as (
    select * from `marts`.`attribution_credits`
    where true
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
        if(countIf(if(revenue_credit is null, toDecimal128(0, 6), reporting_revenue_credit) is null) > 0, null, sum(if(revenue_credit is null, toDecimal128(0, 6), reporting_revenue_credit))) as revenue,
        toDate(converted_at) as conversion_date
    from credits
    group by project_id, conversion_date, conversion_name, model, channel, source, medium, campaign
)

select * from final