-- depends_on: {{ ref('channel_source_categories') }}
{{
    config(
        engine='MergeTree',
        order_by='(project_id, spend_date, source, medium, campaign)',
    )
}}
-- sort key: the grain, in the order attribution_roas groups by

with

spend as (
    select * from {{ ref('stg_millimetric__ad_spend') }}
),

rates as (
    select * from {{ ref('currency_rates') }}
),

categorized as (
    select
        *,
        tupleElement({{ source_lookup('lower(source)') }}, 'source_category') as source_category
    from spend
),

converted as (
    -- the rate of the spend's currency on its day: the seed row with the latest valid_from
    -- at or before it
    select
        categorized.*,
        {{ reporting_exchange_rate('categorized.currency', 'rates.rate') }} as exchange_rate
    from categorized
    asof left join rates
        on
            categorized.currency = rates.currency
            and categorized.spend_date >= rates.valid_from
),

final as (
    select
        project_id,
        source,
        medium,
        campaign,
        -- the channel a session from these UTM tags gets, by the same rules
        {{ channel_group('source', 'medium', 'campaign', 'source_category') }} as channel,
        currency,
        origin,
        spend,
        exchange_rate,
        -- NULL when the seed has no rate: unknown, never counted as 0
        toDecimal128(round(toDecimal128(spend, 6) * exchange_rate, 6), 6) as reporting_spend,
        spend_date
    from converted
)

select * from final
