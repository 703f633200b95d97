
    
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        channel as value_field,
        count(*) as n_records

    from `marts`.`web_daily`
    group by channel

)

select *
from all_values
where value_field not in (
    'Direct','Cross-network','Paid Shopping','Paid Search','Paid Social','Paid Video','Display','Paid Other','Organic Shopping','Organic Social','Organic Video','Organic Search','Referral','Email','Affiliates','Audio','SMS','Mobile Push Notifications','Unassigned'
)



  
  
    ) dbt_internal_test