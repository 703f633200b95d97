
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select source_name as from_field
    from (select * from `analytics`.`channel_source_categories` where source_name != '') dbt_subquery
    where source_name is not null
),

parent as (
    select source as to_field
    from `analytics`.`channel_source_categories`
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null
-- end_of_sql
settings join_use_nulls = 1



  
  
    ) dbt_internal_test