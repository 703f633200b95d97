-- the Dagster asset check belongs to attribution_roas, whose sums these amounts leave unknown

-- Spend and revenue are converted into the reporting currency at the seed currency_rates'
-- rate for their day. An amount whose currency has no rate for that day has no converted
-- value: the rows it belongs to in attribution_roas and path_summary show NULL, never a
-- smaller sum. A warning, not an error: one odd currency code must not stop the build. Returns
-- one row per (kind, currency) without a rate, with its days and amount; add rates to the seed.

with

spend as (
    select * from `analytics`.`int_ad_spend_classified`
),

revenue as (
    select * from `analytics`.`int_conversion_revenue_converted`
),

amounts_without_rate as (
    select
        'spend' as amount_kind,
        currency,
        spend_date as amount_date,
        spend as amount
    from spend
    where exchange_rate is null
    union all
    select
        'revenue' as amount_kind,
        coalesce(revenue_currency, '(no event found)') as currency,
        conversion_date as amount_date,
        revenue as amount
    from revenue
    where exchange_rate is null
),

final as (
    select
        amount_kind,
        currency,
        min(amount_date) as first_date,
        max(amount_date) as last_date,
        count() as amount_count,
        sum(amount) as total_amount
    from amounts_without_rate
    group by amount_kind, currency
)

select * from final