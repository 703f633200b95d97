
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select conversion_id
from `analytics`.`int_conversion_touches`
where conversion_id is null



  
  
    ) dbt_internal_test