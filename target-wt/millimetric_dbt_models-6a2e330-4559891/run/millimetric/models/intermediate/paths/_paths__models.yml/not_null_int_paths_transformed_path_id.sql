
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select path_id
from `analytics`.`int_paths_transformed`
where path_id is null



  
  
    ) dbt_internal_test