
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  

with

key_counts as (
    select
        project_id, spend_date, source, medium, campaign,
        count() as row_count
    from `analytics`.`stg_millimetric__ad_spend`
    group by project_id, spend_date, source, medium, campaign
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final

  
  
    ) dbt_internal_test