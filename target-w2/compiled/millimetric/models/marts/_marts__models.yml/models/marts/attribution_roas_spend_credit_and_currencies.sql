
-- sort key: dashboards read one project's date range under one model, by channel and campaign
-- an incremental run replaces the days whose spend or credits changed
-- (days_whose_inputs_changed.sql)

with

 __dbt__cte__int_ad_spend_classified as (

-- Fixture for int_ad_spend_classified
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('google' AS String) as "source", CAST('cpc' AS String) as "medium", CAST('brand' AS String) as "campaign", CAST('Paid Search' AS String) as "channel", CAST('USD' AS LowCardinality(String)) as "currency", CAST(defaultValueOfTypeName('String') AS String) as "origin", CAST('100' AS Decimal(18, 6)) as "spend", CAST('1' AS Nullable(Decimal(38, 12))) as "exchange_rate", CAST('100' AS Nullable(Decimal(38, 6))) as "reporting_spend", CAST('2026-01-05' AS Date) as "spend_date"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('bing' AS String) as "source", CAST('cpc' AS String) as "medium", CAST('brand' AS String) as "campaign", CAST('Paid Search' AS String) as "channel", CAST('EUR' AS LowCardinality(String)) as "currency", CAST(defaultValueOfTypeName('String') AS String) as "origin", CAST('50' AS Decimal(18, 6)) as "spend", CAST('1.1' AS Nullable(Decimal(38, 12))) as "exchange_rate", CAST('55' AS Nullable(Decimal(38, 6))) as "reporting_spend", CAST('2026-01-05' AS Date) as "spend_date"
union all
select CAST('p1' AS LowCardinality(String)) as "project_id", CAST('facebook' AS String) as "source", CAST('paid_social' AS String) as "medium", CAST('spring' AS String) as "campaign", CAST('Paid Social' AS String) as "channel", CAST('JPY' AS LowCardinality(String)) as "currency", CAST(defaultValueOfTypeName('String') AS String) as "origin", CAST('30' AS Decimal(18, 6)) as "spend", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 12))') AS Nullable(Decimal(38, 12))) as "exchange_rate", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_spend", CAST('2026-01-06' AS Date) as "spend_date"
),  __dbt__cte__attribution_credits as (

-- Fixture for attribution_credits
select CAST('c1' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('linear' AS String) as "model", CAST('Paid Search' AS String) as "channel", CAST('google' AS String) as "source", CAST('cpc' AS String) as "medium", CAST('brand' AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('0.5' AS Decimal(38, 18)) as "credit", CAST('40' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('44' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-05 09:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-07 10:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('c1' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('linear' AS String) as "model", CAST('Email' AS String) as "channel", CAST('newsletter' AS String) as "source", CAST('email' AS String) as "medium", CAST('weekly' AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('0.5' AS Decimal(38, 18)) as "credit", CAST('40' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('44' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-05 20:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-07 10:00:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('c2' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('linear' AS String) as "model", CAST('Paid Search' AS String) as "channel", CAST('google' AS String) as "source", CAST('cpc' AS String) as "medium", CAST('brand' AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS Decimal(38, 18)) as "credit", CAST('20' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST('20' AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-05 11:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-05 11:30:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('s1' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('signup' AS String) as "conversion_name", CAST('linear' AS String) as "model", CAST('Paid Search' AS String) as "channel", CAST('google' AS String) as "source", CAST('cpc' AS String) as "medium", CAST('brand' AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS Decimal(38, 18)) as "credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-05 12:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-05 12:10:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
union all
select CAST('c3' AS String) as "conversion_id", CAST('p1' AS LowCardinality(String)) as "project_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "user_id", CAST(defaultValueOfTypeName('String') AS String) as "anonymous_id", CAST(defaultValueOfTypeName('Nullable(String)') AS Nullable(String)) as "session_id", CAST('purchase' AS String) as "conversion_name", CAST('linear' AS String) as "model", CAST('Paid Social' AS String) as "channel", CAST('facebook' AS String) as "source", CAST('paid_social' AS String) as "medium", CAST('spring' AS String) as "campaign", CAST(defaultValueOfTypeName('String') AS String) as "entry_path", CAST('1' AS Decimal(38, 18)) as "credit", CAST('10' AS Nullable(Decimal(38, 6))) as "revenue_credit", CAST(defaultValueOfTypeName('Nullable(Decimal(38, 6))') AS Nullable(Decimal(38, 6))) as "reporting_revenue_credit", CAST('2026-01-06 09:00:00' AS Nullable(DateTime64(3, 'UTC'))) as "touch_started_at", CAST('2026-01-06 09:30:00' AS DateTime64(3, 'UTC')) as "converted_at", CAST(defaultValueOfTypeName('DateTime64(3, \'UTC\')') AS DateTime64(3, 'UTC')) as "deduplicated_at"
), spend as (
    select * from `__dbt__cte__int_ad_spend_classified`
    where true
),

credits as (
    select * from `__dbt__cte__attribution_credits`
    where conversion_name in (
            'purchase'
    )
    and true
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
    array join ['linear'] as model
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
        if(revenue_credit is null, toDecimal128(0, 6), reporting_revenue_credit) as revenue,
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
        if(countIf(spend is null) > 0, null, sum(spend)) as total_spend,
        sum(conversions) as total_conversions,
        if(countIf(revenue is null) > 0, null, sum(revenue)) as total_revenue,
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
        'USD' as reporting_currency,
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