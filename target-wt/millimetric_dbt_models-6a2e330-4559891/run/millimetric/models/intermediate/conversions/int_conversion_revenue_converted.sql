
        
  
    
    
    
        


        
  

  insert into `analytics`.`int_conversion_revenue_converted`
        ("conversion_id", "project_id", "user_id", "anonymous_id", "revenue_currency", "revenue", "exchange_rate", "reporting_revenue", "conversion_date", "built_at")
-- sort key: read whole by the marts, joined on conversion_id

with

conversions as (
    select * from `analytics`.`int_conversions`
    where revenue is not null and true
),

rates as (
    select * from `analytics`.`currency_rates`
),

events as (
    select * from `analytics`.`int_events_deduplicated`
    where event_name in (
            'purchase'
    )
    and true
),

event_currencies as (
    -- conversion_id as conversions.sql names a conversion: (project_id, name, event_id)
    select
        project_id,
        lower(hex(sipHash128(
            project_id, 'purchase', event_id
        ))) as conversion_id,
        upper(trim(JSONExtractString(properties, 'currency')))
            as currency
    from events
    where event_name = 'purchase'
    
),

currencies as (
    select
        conversions.conversion_id as conversion_id,
        conversions.project_id as project_id,
        conversions.user_id as user_id,
        conversions.anonymous_id as anonymous_id,
        conversions.revenue as revenue,
        -- no currency in the event: the default; no event found (which the not_null test on
        -- revenue_currency reports): NULL, never a guess
        if(
            event_currencies.conversion_id is null,
            null,
            if(
                event_currencies.currency = '',
                'USD',
                event_currencies.currency
            )
        ) as revenue_currency,
        toDate(conversions.converted_at) as conversion_date
    from conversions
    left join event_currencies
        on
            conversions.project_id = event_currencies.project_id
            and conversions.conversion_id = event_currencies.conversion_id
),

final as (
    select
        currencies.conversion_id as conversion_id,
        currencies.project_id as project_id,
        currencies.user_id as user_id,
        currencies.anonymous_id as anonymous_id,
        currencies.revenue_currency as revenue_currency,
        currencies.revenue as revenue,
        if(
        currencies.revenue_currency = 'USD',
        toNullable(toDecimal128(1, 12)),
        toDecimal128(rates.rate, 12)
    )
            as exchange_rate,
        toDecimal128(round(toDecimal128(currencies.revenue, 6) * exchange_rate, 6), 6)
            as reporting_revenue,
        currencies.conversion_date as conversion_date,
        assumeNotNull((select changes_through from `analytics`.`int_limits_this_run`)) as built_at
    from currencies
    asof left join rates
        on
            currencies.revenue_currency = rates.currency
            and currencies.conversion_date >= rates.valid_from
)

select * from final
  
    