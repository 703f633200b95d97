
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select revenue_currency
from `analytics`.`int_conversion_revenue_converted`
where revenue_currency is null



  
  
    ) dbt_internal_test