
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  

with

key_counts as (
    select
        project_id, conversion_id,
        count() as row_count
    from `analytics`.`int_conversion_revenue_converted`
    group by project_id, conversion_id
),

final as (
    select * from key_counts
    where row_count > 1
)

select * from final

  
  
    ) dbt_internal_test