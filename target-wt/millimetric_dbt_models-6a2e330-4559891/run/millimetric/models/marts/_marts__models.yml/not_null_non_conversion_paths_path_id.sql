
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select path_id
from `marts`.`non_conversion_paths`
where path_id is null



  
  
    ) dbt_internal_test