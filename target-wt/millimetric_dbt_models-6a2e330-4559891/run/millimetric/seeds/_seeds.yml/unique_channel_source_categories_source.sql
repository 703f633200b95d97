
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    source as unique_field,
    count(*) as n_records

from `analytics`.`channel_source_categories`
where source is not null
group by source
having count(*) > 1



  
  
    ) dbt_internal_test