
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- the Dagster asset check belongs to the seed currency_rates

-- Every rate converts: an upper-case three-letter code (spend and revenue codes are upper-cased
-- before the lookup) and a rate above 0; a row for the reporting currency itself must say 1.
-- Returns the offending rows.

with

rates as (
    select * from `analytics`.`currency_rates`
),

final as (
    select
        currency,
        valid_from,
        rate
    from rates
    where
        not match(currency, '^[A-Z]{3}$')
        or rate <= 0
        or (
            currency = 'USD'
            and rate != 1
        )
)

select * from final
  
  
    ) dbt_internal_test