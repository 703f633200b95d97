
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        conversion_name as value_field,
        count(*) as n_records

    from `marts`.`conversions`
    group by conversion_name

)

select *
from all_values
where value_field not in (
    'signup','purchase'
)



  
  
    ) dbt_internal_test