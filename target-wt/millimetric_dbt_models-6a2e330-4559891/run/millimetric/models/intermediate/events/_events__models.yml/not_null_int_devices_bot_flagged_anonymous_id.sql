
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select anonymous_id
from `analytics`.`int_devices_bot_flagged`
where anonymous_id is null



  
  
    ) dbt_internal_test