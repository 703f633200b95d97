
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  -- the Dagster asset check belongs to attribution_credits

-- Every conversion is credited under every attribution model (attribution_models()), and under
-- each model its credits sum to exactly 1. credit is Decimal(38, 18), so the comparison is
-- exact: no tolerance.
-- Returns one row per (conversion_id, model) that is missing, unexpected or does not sum to 1.

with

conversions as (
    select conversion_id from `analytics`.`int_conversions`
),

credits as (
    select * from `marts`.`attribution_credits`
),

models as (
    select
        arrayJoin(['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay']) as model
),

expected as (
    select
        conversions.conversion_id as conversion_id,
        models.model as model
    from conversions
    cross join models
),

totals as (
    select
        conversion_id,
        model,
        sum(credit) as total_credit
    from credits
    group by conversion_id, model
),

final as (
    select
        coalesce(expected.conversion_id, totals.conversion_id) as conversion_id,
        coalesce(expected.model, totals.model) as model,
        totals.total_credit as total_credit,
        multiIf(
            totals.conversion_id is null, 'no credits under this model',
            expected.conversion_id is null, 'credits for an unknown conversion or model',
            'credits do not sum to 1'
        ) as failure
    from expected
    full outer join totals
        on
            expected.conversion_id = totals.conversion_id
            and expected.model = totals.model
    where
        expected.conversion_id is null
        or totals.conversion_id is null
        or totals.total_credit != 1
)

select * from final
  
  
    ) dbt_internal_test